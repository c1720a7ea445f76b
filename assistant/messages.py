"""The conversation's wording per language, from ``messages/<lang>.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MESSAGES_DIR = Path(__file__).with_name("messages")


@lru_cache(maxsize=8)
def messages(lang: str) -> dict[str, Any]:
    """Return the message tree for ``lang``."""
    data = yaml.safe_load((MESSAGES_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"messages/{lang}.yaml is not a mapping")
    return data


def text(lang: str, *path: str, **fmt: object) -> str:
    """Return the message at ``path`` in ``lang``, formatted with ``fmt``."""
    node: Any = messages(lang)
    for key in path:
        node = node[key]
    return str(node).format(**fmt) if fmt else str(node)
