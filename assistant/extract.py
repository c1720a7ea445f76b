"""Read a tool's facts out of free text, deterministically, from multilingual lexicons."""

from __future__ import annotations

import re
from typing import Any

from assistant.lexicons import contains_phrase, lexicon, normalise, words

OPTION_PATTERN = re.compile(r"^\s*([a-z_]+):([a-z0-9_]+)\s*$")


def parse_option(message: str) -> dict[str, Any] | None:
    """Return the fact set by a button value such as ``frequency:regular``, if it is one."""
    match = OPTION_PATTERN.match(message)
    if not match:
        return None
    name, value = match.groups()
    if name == "employees":
        return {name: int(value)}
    if name == "processing":
        return {name: [value]}
    return {name: value}


def _any(message: str, phrases: list[str]) -> bool:
    return any(contains_phrase(message, p) for p in phrases)


def _number_before_staff(message: str, lex: dict[str, Any]) -> int | None:
    """Find '4 werknemers', 'vier werknemers', 'quatre employés', 'staff of 12'."""
    numbers: dict[str, int] = {}
    for table in lex["numbers"].values():
        numbers.update({str(k): int(v) for k, v in table.items()})
    tokens = words(message)
    staff = [str(s) for s in lex["staff_words"]]
    for i, token in enumerate(tokens):
        if any(token.startswith(s.split()[0]) for s in staff):
            for back in (1, 2):
                if i - back >= 0:
                    prev = tokens[i - back]
                    if prev.isdigit():
                        return int(prev)
                    if prev in numbers:
                        return numbers[prev]
    text = " ".join(tokens)
    for phrase in lex["team_phrases"]:
        match = re.search(re.escape(str(phrase)) + r" (\w+)", text)
        if match:
            word = match.group(1)
            if word.isdigit():
                return int(word)
            if word in numbers:
                return numbers[word]
    # A bare number answers "how many people work there?" when asked.
    bare = re.fullmatch(r"\s*(\d{1,6})\s*", message)
    if bare:
        return int(bare.group(1))
    return None


def extract_register(message: str) -> dict[str, Any]:
    """Return the register facts stated in ``message``."""
    option = parse_option(message)
    if option is not None:
        return option
    lex = lexicon("register")
    text = normalise(message)
    facts: dict[str, Any] = {}
    kinds = [kind for kind, phrases in lex["processing"].items() if _any(text, phrases)]
    if kinds:
        facts["processing"] = kinds
    employees = _number_before_staff(text, lex)
    if employees is not None:
        facts["employees"] = employees
    elif _any(text, lex["no_staff"]):
        facts["employees"] = 0
    for value in ("unknown", "regular", "occasional"):
        if _any(text, lex["frequency"][value]):
            facts["frequency"] = value
            break
    if _any(text, lex["role"]["processor"]):
        facts["role"] = "processor"
    if _any(text, lex["special"]):
        facts["special_categories"] = True
    return facts


EXTRACTORS = {"register": extract_register}


def extract(tool: str, message: str) -> dict[str, Any]:
    """Return the facts of ``tool`` found in ``message``."""
    return EXTRACTORS[tool](message)


def merge_facts(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Merge newly stated facts into known ones; lists of kinds accumulate."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        else:
            merged[key] = value
    return merged
