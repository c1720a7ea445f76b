"""Read a tool's facts out of free text, deterministically, through per-tool extractors."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import re
from typing import Any

from assistant.lexicons import contains_phrase, lexicon

log = logging.getLogger(__name__)
OPTION_PATTERN = re.compile(r"^\s*([a-z_]+(?:\[[^\]]*\]\.[a-z_]+)?):([A-Za-z0-9_\-]+)\s*$")
# Keys an extractor may return that are not facts: what was asked, parts of a multi-part service.
META_KEYS = ("_asked", "_parts", "_vendor")


def _coerce(value: str) -> Any:
    if value in ("true", "false"):
        return value == "true"
    if value.isdigit():
        return int(value)
    return value


def parse_option(message: str, list_facts: set[str] | None = None) -> dict[str, Any] | None:
    """Return the fact set by a button value such as ``frequency:regular``, if it is one."""
    match = OPTION_PATTERN.match(message)
    if not match:
        return None
    name, value = match.groups()
    coerced = _coerce(value)
    if list_facts and name in list_facts:
        return {name: [coerced]}
    return {name: coerced}


def extract(tool: str, message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the facts of ``tool`` stated in ``message`` (extractor of assistant/extractors)."""
    try:
        module = importlib.import_module(f"assistant.extractors.{tool}")
    except ModuleNotFoundError:
        log.warning("no extractor for %s", tool)
        return {}
    result: dict[str, Any] = module.extract(message, lang, today, known)
    return result


def merge_facts(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Merge newly stated facts into known ones: kinds accumulate, item lists are replaced."""
    merged = dict(old)
    for key, value in new.items():
        previous = merged.get(key)
        if (
            isinstance(value, list)
            and isinstance(previous, list)
            and all(isinstance(v, str) for v in [*value, *previous])
        ):
            merged[key] = list(dict.fromkeys([*previous, *value]))
        else:
            merged[key] = value
    return merged


def facts_only(facts: dict[str, Any]) -> dict[str, Any]:
    """Return the facts without the extractor's bookkeeping keys."""
    return {k: v for k, v in facts.items() if k not in META_KEYS}


def dont_know(message: str) -> bool:
    """Tell whether the message says the user does not know (one list for every tool)."""
    phrases = [p for by_lang in lexicon("parsing")["yes_no"]["unknown"].values() for p in by_lang]
    return any(contains_phrase(message, str(p)) for p in phrases)


def command(message: str) -> str | None:
    """Return the command the message gives (start_over, why, draft), if any."""
    for name, phrases in lexicon("commands").items():
        if any(contains_phrase(message, str(p)) for p in phrases):
            return str(name)
    return None
