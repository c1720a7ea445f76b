"""The questions a tool's missing facts turn into, with buttons and safe defaults (data files)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.turn import Option

QUESTIONS_DIR = Path(__file__).with_name("questions")
_ITEM = re.compile(r"^(\w+)\[([^\]]*)\]\.(\w+)$")


@cache
def questions(tool: str) -> dict[str, Any]:
    """Return the question file of ``tool`` (empty when it has none)."""
    path = QUESTIONS_DIR / f"{tool}.yaml"
    if not path.is_file():
        return {"facts": {}, "safe_defaults": {}}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.setdefault("facts", {})
    data.setdefault("safe_defaults", {})
    return data


def _entry(tool: str, fact: str) -> tuple[dict[str, Any] | None, str | None]:
    facts = questions(tool)["facts"]
    if fact in facts:
        return facts[fact], None
    match = _ITEM.match(fact)
    if match:
        pattern = f"{match.group(1)}[].{match.group(3)}"
        return facts.get(pattern), match.group(2)
    return None, None


def item_label(
    fact: str, known: dict[str, Any], tool: str | None = None, lang: str | None = None
) -> str | None:
    """Return how to name the item an item fact is about: its kind in words, path, name or id."""
    match = _ITEM.match(fact)
    if not match:
        return None
    field, key = match.group(1), match.group(2)
    items = known.get(field) or []
    found: Any = None
    if key.isdigit() and int(key) < len(items):
        found = items[int(key)]
    else:
        found = next((i for i in items if isinstance(i, dict) and i.get("id") == key), None)
    if isinstance(found, dict):
        names = questions(tool).get("item_names", {}) if tool else {}
        named = names.get(str(found.get("type")), {}).get(lang or "")
        if named:
            # "de camerabeelden", not the internal id "cctv".
            return f"{named} {found['year']}" if found.get("year") else str(named)
        for attr in ("path", "name", "id"):
            if found.get(attr):
                return str(found[attr])
    return key


def question(tool: str, fact: str, lang: str, known: dict[str, Any] | None = None) -> str:
    """Return the question that asks for ``fact`` (item facts name their item)."""
    entry, item = _entry(tool, fact)
    if entry is None or lang not in entry:
        return fact.replace("_", " ") + "?"
    label = item_label(fact, known or {}, tool, lang) or item or ""
    return str(entry[lang]).replace("{item}", label)


def apply_default(facts: dict[str, Any], fact: str, value: Any) -> dict[str, Any]:
    """Set ``fact`` to ``value``, on the item itself for item facts like ``paths[0].noindex``."""
    match = _ITEM.match(fact)
    if not match:
        return {**facts, fact: value}
    field, key, attr = match.groups()
    items = [dict(i) if isinstance(i, dict) else i for i in facts.get(field) or []]
    for index, item in enumerate(items):
        if isinstance(item, dict) and (str(index) == key or item.get("id") == key):
            item[attr] = value
    return {**facts, field: items}


def options(tool: str, facts: list[str], lang: str) -> list[Option]:
    """Return the buttons for the asked facts whose answer is a choice."""
    out: list[Option] = []
    for fact in facts:
        entry, item = _entry(tool, fact)
        for opt in (entry or {}).get("options", []) or []:
            value = str(opt["value"])
            if item is not None and value.startswith(_pattern_prefix(fact)):
                value = fact + value[len(_pattern_prefix(fact)) :]
            out.append(Option(value=value, label=str(opt.get(lang, value))))
    return out


def _pattern_prefix(fact: str) -> str:
    match = _ITEM.match(fact)
    return f"{match.group(1)}[].{match.group(3)}" if match else fact


def safe_default(tool: str, fact: str) -> tuple[bool, Any]:
    """Return (known, value): the safe-side value for ``fact`` when the owner cannot say."""
    defaults = questions(tool)["safe_defaults"]
    if fact in defaults:
        return True, defaults[fact]
    entry_key = _pattern_prefix(fact)
    if entry_key in defaults:
        return True, defaults[entry_key]
    return False, None
