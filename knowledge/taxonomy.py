"""The fixed topic taxonomy and languages (contracts §1)."""

from __future__ import annotations

from typing import Literal, get_args

Topic = Literal[
    "cookies",
    "register",
    "erasure",
    "photos",
    "dpa",
    "vendor_continuity",
    "web_exposure",
    "automation",
    "other_rights",
    "breach",
    "out_of_scope",
]
Lang = Literal["nl", "fr", "en"]

TOPICS: tuple[str, ...] = get_args(Topic)
LANGS: tuple[str, ...] = get_args(Lang)
