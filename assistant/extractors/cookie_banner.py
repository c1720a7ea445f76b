"""Read the facts of the cookie_banner tool (audit of a cookie banner) out of an owner's message.

Every phrase lives in ``assistant/lexicons/cookie_banner.yaml``; this module is glue only.
Owners describe their banner in their own words ("er is enkel accepteren en instellingen",
"Analytics laadt al voor je klikt"); the web chat also asks the facts one at a time, so a bare
"ja" / "nee" answers the fact in ``known["_asked"]``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.extractors._statements import Hit, Reader, answers, imply, option
from assistant.lexicons import lexicon
from tools.cookie_banner import CookieBannerFacts

TOOL = "cookie_banner"
LIST_FACT = "cookies_before_consent"


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon(TOOL)
    return data


def _category_hits(reader: Reader) -> list[Hit]:
    return [h for h in reader.hits(reader.table(_lex()["categories"]), after=False) if not h.negated]


def _uses_non_essential(reader: Reader, categories: list[Hit]) -> bool | None:
    """A named tracker is evidence of non-essential cookies and beats "only necessary cookies"."""
    spec = _lex()["uses_non_essential_cookies"]
    evidence = set(spec["evidence_categories"])
    if any(h.value in evidence for h in categories):
        return True
    return reader.boolean(spec, in_questions=True)


def _before_consent(reader: Reader, categories: list[Hit]) -> list[str] | None:
    """Read cookies_before_consent: the categories said to load before the visitor chooses."""
    timing = [h for h in reader.hits(_timing_table(reader)) if not h.hypothetical]
    if not timing:
        return None
    last = timing[-1]
    if not last.value or last.negated:
        return []
    start, stop = reader.sentence(last.start)
    near = [str(h.value) for h in categories if start <= h.start < stop]
    named = near or [str(h.value) for h in categories]
    return list(dict.fromkeys(named)) or None


def _timing_table(reader: Reader) -> dict[str, Any]:
    spec = _lex()["before_consent"]
    return reader.table({True: spec["affirm"], False: spec["deny"]})


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the cookie_banner facts stated in ``message`` (a partial facts dict, only valid values)."""
    button = option(message, CookieBannerFacts)
    if button is not None:
        return button
    lex = _lex()
    reader = Reader(message, lang)
    categories = _category_hits(reader)
    facts: dict[str, Any] = {}
    uses = _uses_non_essential(reader, categories)
    if uses is not None:
        facts["uses_non_essential_cookies"] = uses
    early = _before_consent(reader, categories)
    if early is not None:
        facts[LIST_FACT] = early
    keep = set(lex.get("keep_in_questions") or [])
    for name, spec in lex["booleans"].items():
        value = reader.boolean(spec, in_questions=name in keep)
        if value is not None:
            facts[name] = value
    asked = [str(name) for name in known.get("_asked") or [] if name not in facts]
    yes_no = {*lex["booleans"], "uses_non_essential_cookies", LIST_FACT}
    for name, value in answers(message, lang, asked, yes_no).items():
        if name != LIST_FACT:
            facts[name] = value
        elif not value:
            facts[name] = []
        elif categories:
            # "Ja, Google Analytics": yes, and these categories.
            facts[name] = list(dict.fromkeys(str(h.value) for h in categories))
    _no_banner(reader, categories, facts)
    imply(facts, lex.get("implies") or [], known)
    return facts


def _no_banner(reader: Reader, categories: list[Hit], facts: dict[str, Any]) -> None:
    """ "Google Analytics, no banner": nothing informs or asks, and the trackers load unasked."""
    spec = _lex()["no_banner"]
    if not reader.kinds({True: spec["phrases"]}, in_questions=False):
        return
    for name, value in spec["facts"].items():
        facts.setdefault(name, value)
    if LIST_FACT not in facts and categories:
        facts[LIST_FACT] = list(dict.fromkeys(str(h.value) for h in categories))
