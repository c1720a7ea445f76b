"""Read the register facts (staff, kinds of processing, frequency, role) out of free text.

Every phrase lives in ``assistant/lexicons/register.yaml``; numbers come from
``assistant.parsing``. Only glue logic lives here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, get_args

from assistant.extractors.vendor_exit import Hit, coerce, folded, has_any, negated, option, scan
from assistant.lexicons import lexicon
from assistant.parsing import parse_numbers
from tools.register import Frequency, ProcessingKind

TOOL = "register"

KINDS: tuple[str, ...] = get_args(ProcessingKind)
FREQUENCIES: tuple[str, ...] = get_args(Frequency)
# Words around a staff word that a count may stand in: "4 vaste werknemers", "staff of 12".
_WINDOW = 3
# "3 keer per jaar", "twice a year": counts of times, not of people.
_TIMES = re.compile(r"(?<![a-z0-9])[a-z0-9]+\s+(?:keer|maal|fois|times|x)(?![a-z0-9])")


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon(TOOL)
    return data


def _negations(lex: Mapping[str, Any]) -> tuple[list[str], int]:
    return [str(n) for n in lex["negations"]], int(lex["negation_window"])


def _stated(text: str, table: list[tuple[str, Any]], lex: Mapping[str, Any]) -> list[Hit]:
    """Return the hits of ``table`` in ``text`` that no negation in their clause denies
    ("geen camera's", "camera's hangen er niet", "we don't have any cameras")."""
    words, window = _negations(lex)
    after = int(lex.get("negation_window_after", 0))
    return [
        hit
        for hit in scan(text, table)
        if not negated(text, hit.start, words, window, end=hit.end, after=after)
    ]


# --- staff -----------------------------------------------------------------------------------------


def _bounded(window: str, value: int, lex: Mapping[str, Any]) -> int:
    """Read "meer dan 250" as 251 and "minder dan 250" as 249: the side the words say."""
    if has_any(window, lex["more_than"]):
        return value + 1
    if has_any(window, lex["less_than"]):
        return max(value - 1, 0)
    return value


def _count(window: str, lang: str, lex: Mapping[str, Any], last: bool) -> int | None:
    """Return the count stated in a few words ("een tiental", "vijfentwintig", "met z'n vieren")."""
    collective = {folded(str(k)): int(v) for k, v in lex["collective_numbers"].items()}
    for word in re.findall(r"[a-z]+", window):
        if word in collective:
            return collective[word]
    values = parse_numbers(window, lang)
    if not values:
        return None
    return _bounded(window, values[-1] if last else values[0], lex)


def _words_before(text: str, start: int) -> str:
    return " ".join(re.findall(r"[a-z0-9'.]+", text[:start])[-_WINDOW:])


def _words_after(text: str, end: int, n: int = _WINDOW) -> str:
    return " ".join(re.findall(r"[a-z0-9'.]+", text[end:])[:n])


def _employs(text: str, start: int, lex: Mapping[str, Any]) -> bool:
    """Tell whether the count before a people word follows a verb of employing or counting.

    "has"/"heeft"/"a" only count after a business noun ("our plumbing business has fifteen
    people"): "we have 500 people on the newsletter" counts no staff.
    """
    before = _words_before(text, start)
    if has_any(before, lex["employ_verbs"]):
        return True
    words = re.findall(r"[a-z0-9']+", text[:start])[-4:]
    for i, word in enumerate(words[:-1]):
        if word in {folded(str(v)) for v in lex["have_verbs"]} and any(
            words[i - 1].endswith(folded(str(b))) for b in lex["business_words"] if i > 0
        ):
            return True
    return False


def _staff_count(text: str, lang: str, lex: Mapping[str, Any]) -> int | None:
    """Find '4 werknemers', 'een tiental medewerkers', 'we zijn met 4', 'a team of 5'."""
    # The last count stated wins: "in 2019 hadden we 4 werknemers, nu 7", "4, nee 5 werknemers".
    for hit in reversed(scan(text, [(str(p), True) for p in lex["staff_words"]])):
        count = _count(_words_before(text, hit.start), lang, lex, last=True)
        if count is None and text[hit.end :].lstrip().startswith(":"):
            # "werknemers: 4"
            count = _count(_words_after(text, hit.end, 2), lang, lex, last=False)
        if count is not None:
            return count
    for hit in scan(text, [(str(p), True) for p in lex["team_phrases"]]):
        count = _count(_words_after(text, hit.end), lang, lex, last=False)
        if count is not None:
            return count
    for hit in scan(text, [(str(p), True) for p in lex["people_words"]]):
        # "5 mensen werken hier" but not "500 mensen op de nieuwsbrief"; also "we employ six
        # people", "ons bedrijf telt vijftien man", "notre entreprise compte quinze personnes".
        if has_any(_words_after(text, hit.end, 4), lex["work_words"]) or _employs(text, hit.start, lex):
            count = _count(_words_before(text, hit.start), lang, lex, last=True)
            if count is not None:
                return count
    return None


def _bare_count(message: str, text: str, lang: str, lex: Mapping[str, Any]) -> int | None:
    """Read an answer to "how many people work there?": "4", "vier", "een tiental", "geen"."""
    if text.strip(" .!") in {folded(str(z)) for z in lex["zero_answers"]}:
        return 0
    cleaned = _TIMES.sub(" ", text)
    values = [v for v in parse_numbers(cleaned, lang) if not 1990 <= v <= 2100]
    if len(values) == 1:
        return _bounded(cleaned, values[0], lex)
    if not values and len(message.split()) == 1:
        ones = parse_numbers(message, lang, include_articles=True)
        return ones[0] if ones else None
    return None


def _employees(message: str, text: str, lang: str, lex: Mapping[str, Any], asked: list[str]) -> int | None:
    count = _staff_count(text, lang, lex)
    if count is not None:
        return count
    if has_any(text, lex["no_staff"]):
        return 0
    if "employees" in asked:
        return _bare_count(message, text, lang, lex)
    return None


# --- kinds, frequency, role ------------------------------------------------------------------------


def _kinds(text: str, lex: Mapping[str, Any]) -> list[str]:
    table = [(str(p), kind) for kind, phrases in lex["processing"].items() for p in phrases]
    kinds: list[str] = []
    for hit in _stated(text, table, lex):
        if hit.value in KINDS and hit.value not in kinds:
            kinds.append(hit.value)
    return kinds


def _frequency(text: str, lex: Mapping[str, Any]) -> str | None:
    """Return regular or occasional; both said → regular (the derogation is an exception)."""
    table = [(str(p), value) for value in ("regular", "occasional") for p in lex["frequency"][value]]
    found = {hit.value for hit in _stated(text, table, lex)}
    for value in ("regular", "occasional"):
        if value in found:
            return value
    return None


def _role(text: str, lex: Mapping[str, Any]) -> str | None:
    """Return 'processor' when the business handles personal data for its clients."""
    role = lex["role"]
    if _stated(text, [(str(p), True) for p in role["processor"]], lex):
        return "processor"
    if _stated(text, [(str(p), True) for p in role.get("controller", [])], lex):
        return "controller"
    # "Ik host websites voor klanten", "we beheren de lonen van onze klanten".
    services = _stated(text, [(str(p), True) for p in role["services"]], lex)
    if services and has_any(text, role["for_clients"]):
        return "processor"
    return None


def _from_option(message: str) -> dict[str, Any] | None:
    picked = option(message)
    if picked is None:
        return None
    name, raw = picked
    value = coerce(raw)
    if name == "processing" and value in KINDS:
        return {name: [value]}
    if name == "employees" and isinstance(value, int) and not isinstance(value, bool):
        return {name: value}
    if name == "frequency" and value in FREQUENCIES:
        return {name: value}
    if name == "role" and value in ("controller", "processor"):
        return {name: value}
    if name in ("special_categories", "criminal_data") and isinstance(value, bool):
        return {name: value}
    return {}


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the register facts stated in ``message`` (a partial facts dict, only valid values)."""
    chosen = _from_option(message)
    if chosen is not None:
        return chosen
    lex = _lex()
    asked = [str(a) for a in known.get("_asked", [])]
    text = folded(message)
    facts: dict[str, Any] = {}
    kinds = _kinds(text, lex)
    if kinds:
        facts["processing"] = kinds
    elif has_any(text, lex["no_processing"]):
        facts["processing"] = []
    employees = _employees(message, text, lang, lex, asked)
    if employees is not None:
        facts["employees"] = employees
    frequency = _frequency(text, lex)
    if frequency is not None:
        facts["frequency"] = frequency
    role = _role(text, lex)
    if role is not None:
        facts["role"] = role
    if _stated(text, [(str(p), True) for p in lex["special"]], lex):
        facts["special_categories"] = True
    return facts
