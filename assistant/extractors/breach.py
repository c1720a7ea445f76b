"""Read the facts of a security incident (Art. 33/34) out of an owner's message.

Word lists live in ``assistant/lexicons/breach.yaml``; dates, times, counts and yes/no answers
come from ``assistant.parsing``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from assistant.lexicons import lexicon
from assistant.parsing import (
    all_phrases,
    find_dates,
    find_phrases,
    find_times,
    fold_spaced,
    parse_numbers,
    parse_time,
    parse_yes_no,
    phrase_table,
)

TOOL = "breach"

_BOOL_FACTS = (
    "personal_data",
    "encrypted",
    "contained",
    "availability_only",
    "backup_restored",
    "recipient_trusted",
    "publicly_exposed",
)
_OPTION = re.compile(r"^\s*([a-z_]+):([A-Za-z0-9_\-]+)\s*$")
# A cue after the date counts this many characters farther than one before it.
_AFTER_PENALTY = 8
# A bare answer ("gisteren om 16u") is short; a longer message needs a discovery cue.
_SHORT_ANSWER_WORDS = 8
# Words looked at before a people word for its count ("een 200-tal klanten").
_COUNT_WINDOW_WORDS = 4


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon("breach")
    return data


def _one_bool(message: str, groups: dict[str, Any], drop: set[str] | None = None) -> bool | None:
    """The value of the stated phrases when they agree (``None`` when absent or mixed)."""
    table = phrase_table(groups)
    text = fold_spaced(message)
    values = {
        value for start, end, value in find_phrases(message, table) if text[start:end] not in (drop or set())
    }
    return values.pop() if len(values) == 1 else None


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    stops = [m.start() for m in re.finditer(r"[!?;\n]|\.(?!\d)", text)]
    before = max([s for s in stops if s < start], default=-1)
    after = min([s for s in stops if s >= end], default=len(text))
    return before + 1, after


def _nearest_cue(text: str, cues: list[tuple[int, int, Any]], start: int, end: int) -> str | None:
    low, high = _sentence(text, start, end)
    best: tuple[int, str] | None = None
    for c_start, c_end, category in cues:
        if c_start < low or c_end > high or (c_start < end and c_end > start):
            continue
        distance = start - c_end if c_end <= start else c_start - end + _AFTER_PENALTY
        if best is None or distance < best[0]:
            best = (distance, str(category))
    return best[1] if best else None


# --- when ------------------------------------------------------------------------------------


def _discovered_at(message: str, lang: str, today: dt.date, asked: list[str]) -> str | None:
    """The discovery moment as ``YYYY-MM-DDTHH:MM`` (a date without a time: its midnight)."""
    text = fold_spaced(message)
    cues = find_phrases(
        message,
        {
            **dict.fromkeys(all_phrases(_lex()["discovery_cues"]), "discovery"),
            **dict.fromkeys(all_phrases(_lex()["other_date_cues"]), "other"),
        },
    )
    answering = "discovered_at" in asked or len(text.split()) <= _SHORT_ANSWER_WORDS
    dates = find_dates(message, lang, today)
    chosen: tuple[int, int, dt.date] | None = None
    for start, end, date in dates:
        category = _nearest_cue(text, cues, start, end)
        if category == "discovery" or (category is None and answering):
            chosen = (start, end, date)
            break
    times = find_times(message)
    if chosen is None:
        # "om 14u ontdekt": a time with a discovery cue (or as the answer) is today.
        for start, end, moment in times:
            if answering or _nearest_cue(text, cues, start, end) == "discovery":
                return dt.datetime.combine(today, moment).isoformat(timespec="minutes")
        return None
    start, end, date = chosen
    low, high = _sentence(text, start, end)
    near = [(abs(t_start - start), moment) for t_start, _t_end, moment in times if low <= t_start < high]
    if near:
        moment = min(near, key=lambda hit: hit[0])[1]
    else:
        # "gisteravond", "ce matin": the day part gives an approximate hour; else midnight,
        # the earliest moment, so the 72-hour deadline is never later than the real one.
        moment = parse_time(text[low:high], lang) or dt.time(0, 0)
    return dt.datetime.combine(date, moment).isoformat(timespec="minutes")


# --- what and how many -------------------------------------------------------------------------


def _about_the_key(text: str, start: int, end: int) -> bool:
    """Tell whether the sentence around ``start`` speaks of the encryption key or its change."""
    low, high = _sentence(text, start, end)
    return bool(find_phrases(text[low:high], dict.fromkeys(_lex()["encryption_context"], 1)))


def _data_kinds(message: str, asked: list[str]) -> list[str]:
    text = fold_spaced(message)
    # A password named next to the encryption (or its change) is the key, not leaked login data.
    kinds = [
        str(kind)
        for start, end, kind in find_phrases(message, phrase_table(_lex()["data_kinds"]))
        if not (kind == "credentials" and _about_the_key(text, start, end))
    ]
    if (
        not kinds
        and "data_kinds" in asked
        and find_phrases(message, dict.fromkeys(_lex()["other_kind_answer"], 1))
    ):
        kinds = ["other"]
    return list(dict.fromkeys(kinds))


def _subjects_count(message: str, lang: str, asked: list[str]) -> int | None:
    """The largest count stated before a people word ("een 200-tal klanten", "50 patients")."""
    text = fold_spaced(message)
    people = find_phrases(message, dict.fromkeys(all_phrases(_lex()["people_words"]), True))
    counts: list[int] = []
    for start, _end, _value in people:
        low, _high = _sentence(text, start, start + 1)
        window = " ".join(text[low:start].split()[-_COUNT_WINDOW_WORDS:])
        numbers = parse_numbers(window, lang)
        if numbers:
            counts.append(numbers[-1])
    if counts:
        # Several groups ("3 medewerkers ... 200 klanten"): the larger is the safer estimate.
        return max(counts)
    if "subjects_count" in asked:
        numbers = parse_numbers(message, lang) or parse_numbers(message, lang, include_articles=True)
        if numbers:
            return numbers[0]
    return None


# --- extract -----------------------------------------------------------------------------------


def _option(message: str) -> dict[str, Any] | None:
    match = _OPTION.match(message)
    if not match or match.group(1) not in _BOOL_FACTS or match.group(2) not in ("true", "false"):
        return None
    return {match.group(1): match.group(2) == "true"}


def _booleans(message: str, lang: str, asked: list[str]) -> dict[str, bool]:
    lex = _lex()
    facts: dict[str, bool] = {}
    # Ransomware encrypts files too: then a bare "versleuteld" says nothing about protection.
    ransomware = bool(find_phrases(message, dict.fromkeys(lex["ransomware"], True)))
    drop = _bare_encryption_words(message) if ransomware else set()
    # A bare "ja" / "non" answers a question only when it asked for a single yes/no fact.
    single = len([name for name in asked if name in _BOOL_FACTS]) == 1
    for name in _BOOL_FACTS:
        value = _one_bool(message, lex[name], drop if name == "encrypted" else None)
        if value is None and name in asked and single:
            value = parse_yes_no(message, lang)
        if value is not None:
            facts[name] = value
    return facts


def _bare_encryption_words(message: str) -> set[str]:
    """The texts matched by bare encryption words ("versleuteld", "chiffrés")."""
    text = fold_spaced(message)
    return {text[s:e] for s, e, _v in find_phrases(message, dict.fromkeys(_lex()["encrypted_bare"], True))}


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the breach facts stated in ``message`` (a partial facts dict, only valid values)."""
    option = _option(message)
    if option is not None:
        return option
    asked = [str(a) for a in known.get("_asked", []) or []]
    facts: dict[str, Any] = {}
    discovered = _discovered_at(message, lang, today, asked)
    if discovered is not None:
        facts["discovered_at"] = discovered
    kinds = _data_kinds(message, asked)
    if kinds:
        facts["data_kinds"] = kinds
        if set(kinds) & set(_lex()["special_kinds"]):
            facts["special_categories"] = True
    count = _subjects_count(message, lang, asked)
    if count is not None:
        facts["subjects_count"] = count
    facts.update(_booleans(message, lang, asked))
    if kinds and "personal_data" not in facts:
        facts["personal_data"] = True
    if facts.get("personal_data") is False and kinds:
        del facts["personal_data"]
    exposed = facts.get("publicly_exposed", known.get("publicly_exposed"))
    trusted = facts.get("recipient_trusted", known.get("recipient_trusted"))
    if facts.get("availability_only") and (exposed or trusted):
        # Data that was published or sent to someone was not merely made unavailable.
        del facts["availability_only"]
    return facts
