"""Read the facts of the dpa tool (a provider's role, Art. 28) out of an owner's message.

Every phrase lives in ``assistant/lexicons/dpa.yaml``; this module is glue only.

Besides the facts, a message that names services of different natures ("mijn boekhouder doet
de boekhouding én belastingadvies") also yields ``_parts``: one facts dict per service, each
with ``service`` (its label in the owner's language), the provider type, the facts the service
is by nature (lexicon ``services.*.facts``) and the facts the message states (which win). Roles
are assessed per service (EDPB Guidelines 07/2020), so the graph may give one verdict per part;
the top-level facts then hold only what the message states for the provider as a whole.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.extractors._statements import Hit, Reader, answers, imply, option, short_answer
from assistant.lexicons import lexicon
from tools.dpa import DpaFacts

TOOL = "dpa"


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon(TOOL)
    return data


def _access(reader: Reader, spec: dict[str, Any]) -> str | None:
    """Read personal_data_access: strong phrases first (by priority), else the data nouns."""
    stated: set[str] = set()
    for hit in reader.hits(reader.table(spec["strong"])):
        if hit.hypothetical:
            continue
        stated.add("none" if hit.negated and hit.value == "core" else str(hit.value))
    if stated:
        return next(str(value) for value in spec["priority"] if value in stated)
    nouns: list[Hit] = [
        h for h in reader.hits(reader.table({"core": spec["data_nouns"]})) if not (h.hypothetical or h.asks)
    ]
    if not nouns:
        return None
    return "core" if any(not h.negated for h in nouns) else "none"


def _services(reader: Reader, lang: str) -> list[str]:
    catalogue = _lex()["services"]
    return [str(key) for key in reader.kinds({key: entry["phrases"] for key, entry in catalogue.items()})]


def _label(keys: list[str], lang: str) -> str:
    lex = _lex()
    labels = [
        str(lex["services"][key]["label"].get(lang) or lex["services"][key]["label"]["en"]) for key in keys
    ]
    joiner = str(lex["service_joiner"].get(lang, " and "))
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + joiner + labels[-1]


def _add_services(facts: dict[str, Any], keys: list[str], lang: str, known: dict[str, Any]) -> None:
    """Describe the services in ``service``; split services of different natures into ``_parts``."""
    catalogue = _lex()["services"]
    groups: dict[tuple[tuple[str, Any], ...], list[str]] = {}
    for key in keys:
        nature = tuple(sorted((catalogue[key].get("facts") or {}).items()))
        groups.setdefault(nature, []).append(key)
    facts["service"] = _label(keys, lang)
    stated = {k: v for k, v in facts.items() if k != "service"}
    if len(groups) == 1:
        nature_facts = dict(next(iter(groups)))
        for name, value in nature_facts.items():
            if name not in facts and name not in known:
                facts[name] = value
        return
    provider = facts.get("provider_type") or known.get("provider_type")
    parts = []
    for nature, members in groups.items():
        part: dict[str, Any] = {"service": _label(members, lang)}
        if provider:
            part["provider_type"] = provider
        part.update(dict(nature))
        part.update({k: v for k, v in stated.items() if k != "provider_type"})
        parts.append(part)
    facts["_parts"] = parts


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the dpa facts stated in ``message`` (a partial facts dict, only valid values)."""
    button = option(message, DpaFacts)
    if button is not None:
        return button
    lex = _lex()
    reader = Reader(message, lang)
    asked = [str(name) for name in known.get("_asked") or []]
    facts: dict[str, Any] = {}
    provider = reader.choice(lex["provider_type"])
    # An answer to a question about the same provider does not switch providers by a passing mention.
    if provider and not (known.get("provider_type") and asked):
        facts["provider_type"] = provider
    access = _access(reader, lex["personal_data_access"])
    if access:
        facts["personal_data_access"] = access
    keep = set(lex.get("keep_in_questions") or [])
    for name, spec in lex["booleans"].items():
        value = reader.boolean(spec, in_questions=name in keep)
        if value is not None:
            facts[name] = value
    open_questions = [name for name in asked if name not in facts]
    facts.update(answers(message, lang, open_questions, set(lex["booleans"])))
    if open_questions == ["personal_data_access"] and short_answer(message, lang) is False:
        facts["personal_data_access"] = lex["personal_data_access"]["asked_no"]
    services = _services(reader, lang)
    if services:
        _add_services(facts, services, lang, known)
    imply(facts, lex.get("implies") or [], known)
    return facts
