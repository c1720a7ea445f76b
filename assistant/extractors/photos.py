"""Read the facts of the photos tool (may these photos be taken and published?) out of a message.

Every phrase lives in ``assistant/lexicons/photos.yaml``; this module is glue only. One setting
and one channel are kept per message: when several are named, the lexicon's priority picks the
one that needs the most (the safe side for the people shown); every group of people named is
kept in ``subjects``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.extractors._statements import Reader, answers, imply, option
from assistant.lexicons import lexicon
from tools.photos import PhotosFacts

TOOL = "photos"


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon(TOOL)
    return data


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the photos facts stated in ``message`` (a partial facts dict, only valid values)."""
    button = option(message, PhotosFacts)
    if button is not None:
        return button
    lex = _lex()
    reader = Reader(message, lang)
    facts: dict[str, Any] = {}
    setting = reader.choice(lex["setting"], lex["setting_priority"])
    if setting:
        facts["setting"] = setting
    subjects = reader.kinds(lex["subjects"])
    if subjects:
        facts["subjects"] = subjects
    channel = reader.choice(lex["channel"], lex["channel_priority"])
    if channel:
        facts["channel"] = channel
    origin = reader.choice(lex["origin"], lex["origin_priority"])
    if origin:
        facts["origin"] = origin
    keep = set(lex.get("keep_in_questions") or [])
    for name, spec in lex["booleans"].items():
        value = reader.boolean(spec, in_questions=name in keep)
        if value is not None:
            facts[name] = value
    asked = [str(name) for name in known.get("_asked") or [] if name not in facts]
    facts.update(answers(message, lang, asked, set(lex["booleans"])))
    imply(facts, lex.get("implies") or [], known)
    return facts
