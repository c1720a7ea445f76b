"""Draft entries for the record of processing activities (Art. 30 GDPR), GBA model register columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tools.base import Verdict
from tools.drafting.base import Owner, format_date, join, owner_value, say, sources_section, wording
from tools.drafting.document import Document, md_escape
from tools.explain import headline, reason_text
from tools.register import RegisterFacts

TOOL = "register"
W = "register_entries"

CONTROLLER_COLUMNS = (
    "activity",
    "purpose",
    "basis",
    "subjects",
    "data",
    "recipients",
    "transfers",
    "retention",
    "security",
)
# Art. 30(1)(b)-(g): purposes, categories of data subjects and data, recipients, transfers,
# retention and security are the legal minimum (the red columns of the GBA model register).
CONTROLLER_REQUIRED = ("purpose", "subjects", "data", "recipients", "transfers", "retention", "security")
PROCESSOR_COLUMNS = ("activity", "processing", "controllers", "subprocessors", "transfers", "security")
# Art. 30(2)(a)-(d): the controllers served, the categories of processing, transfers and security.
PROCESSOR_REQUIRED = ("processing", "controllers", "transfers", "security")
KEEPING_CITATIONS = ["GDPR Art. 30(3)", "GDPR Art. 30(4)", "GBA register guidance"]


def _blank(key: str, lang: str) -> str:
    """Return a visible placeholder whose label lives in this artefact's wording."""
    return f"⟦{say(W, lang, 'placeholders', key)}⟧"


def _activity(kind: str) -> dict[str, Any]:
    activity: dict[str, Any] = wording(W)["activities"][kind]
    return activity


def activity_name(kind: str, lang: str) -> str:
    """Return the name of processing kind ``kind`` in ``lang``."""
    return say(W, lang, "activities", kind, "name")


def activities_in_sentence(kinds: list[str], lang: str) -> str:
    """Return the names of ``kinds`` joined as a sentence does, lower-cased as inside a sentence."""
    names = [activity_name(k, lang) for k in kinds]
    return join([n[:1].lower() + n[1:] for n in names], lang) or "—"


def _basis(kind: str, lang: str) -> str:
    activity = _activity(kind)
    if "basis_text" in activity:
        return say(W, lang, "activities", kind, "basis_text")
    return say(W, lang, "separator").join(say(W, lang, "bases", basis) for basis in activity["basis"])


def _cites(kind: str) -> list[str]:
    activity = _activity(kind)
    bases = [str(wording(W)["basis_cites"][b]) for b in activity.get("basis", [])]
    return [*bases, *(str(c) for c in activity.get("cites", []))]


def _security(kind: str, lang: str) -> str:
    if "security" in _activity(kind):
        return say(W, lang, "activities", kind, "security")
    return _blank("security", lang)


def _controller_row(kind: str, lang: str) -> list[str]:
    cell = {
        "activity": f"**{activity_name(kind, lang)}**",
        "basis": _basis(kind, lang),
        "transfers": _blank("transfers", lang),
        "security": _security(kind, lang),
    }
    for key in ("purpose", "subjects", "data", "recipients", "retention"):
        cell[key] = say(W, lang, "activities", kind, key)
    return [cell[c] for c in CONTROLLER_COLUMNS]


def _processor_row(kind: str, lang: str) -> list[str]:
    name = activity_name(kind, lang)
    cell = {
        "activity": f"**{name}**",
        "processing": say(W, lang, "processor_processing", activity=name),
        "controllers": _blank("controllers", lang),
        "subprocessors": _blank("subprocessors", lang),
        "transfers": _blank("transfers", lang),
        "security": _security(kind, lang),
    }
    return [cell[c] for c in PROCESSOR_COLUMNS]


def _rows_kinds(verdict: dict[str, Any], facts: RegisterFacts) -> list[str]:
    """Return the kinds that get a row: the triggering ones, or every kind when nothing is required."""
    if verdict.get("required") is False:
        return sorted(set(facts.processing or []))
    return list(verdict.get("triggering_activities") or [])


def _identity(doc: Document, owner: Owner, role: str, lang: str) -> None:
    doc.heading(say(W, lang, "identity", role))
    vat = md_escape(owner.vat_number) if owner.vat_number and owner.vat_number.strip() else None

    def line(key: str, value: str) -> str:
        return say(W, lang, "line", label=say(W, lang, "identity_lines", key), value=value)

    others = "others_processor" if role == "processor" else "others"
    doc.bullets(
        [
            line("name", owner_value(owner, "name", lang)),
            line("address", owner_value(owner, "address", lang)),
            line("vat_number", vat or _blank("vat_number", lang)),
            line("contact", owner_value(owner, "contact", lang)),
            line(others, _blank("others", lang)),
        ]
    )


def _reasons(doc: Document, verdict: dict[str, Any], lang: str) -> None:
    values = {
        "triggering_activities": activities_in_sentence(verdict.get("triggering_activities") or [], lang)
    }
    doc.heading(say(W, lang, "why_heading"))
    doc.bullets(
        [
            f"{reason_text(TOOL, r['code'], lang, values)} ({'; '.join(r['citations'])})"
            for r in verdict["reasons"]
        ]
    )


def build(verdict: Verdict, facts: RegisterFacts, owner: Owner, lang: str, today: dt.date) -> Document:
    """Draft the register entries for the activities this verdict covers, owner's identity on top."""
    data = verdict.model_dump(mode="json")
    role = (
        "processor"
        if data.get("record_article") == "GDPR Art. 30(2)" or facts.role == "processor"
        else "controller"
    )
    article = data.get("record_article") or ("GDPR Art. 30(2)" if role == "processor" else "GDPR Art. 30(1)")
    doc = Document(title=say(W, lang, "title", role))
    title = headline(TOOL, data, lang)
    if title:
        doc.paragraph(title)
    doc.paragraph(say(W, lang, "intro", article=article, date=format_date(today, lang)))
    if data.get("required") is False:
        doc.paragraph(say(W, lang, "voluntary"))
    _identity(doc, owner, role, lang)

    kinds = _rows_kinds(data, facts)
    columns, required = (
        (PROCESSOR_COLUMNS, PROCESSOR_REQUIRED)
        if role == "processor"
        else (CONTROLLER_COLUMNS, CONTROLLER_REQUIRED)
    )
    doc.heading(say(W, lang, "activities_heading"))
    doc.paragraph(say(W, lang, "legend", role))
    make_row = _processor_row if role == "processor" else _controller_row
    # The register table stays the document's first table: the CSV export takes the first one.
    doc.table(
        [say(W, lang, "columns", role, c) for c in columns],
        [make_row(kind, lang) for kind in kinds],
        required_columns=[columns.index(c) for c in required],
    )
    if not kinds:
        doc.paragraph(say(W, lang, "no_activities"))
    elif data.get("scope") == "all_activities":
        doc.paragraph(say(W, lang, "all_activities"))
    others = sorted(set(facts.processing or []) - set(kinds))
    if others:
        doc.heading(say(W, lang, "others_heading"))
        doc.paragraph(say(W, lang, "others_text"))
        doc.bullets([activity_name(k, lang) for k in others])
    if data.get("camera_law_register"):
        doc.heading(say(W, lang, "camera_heading"))
        doc.paragraph(say(W, lang, "camera_text"))
    _reasons(doc, data, lang)
    doc.heading(say(W, lang, "keeping_heading"))
    doc.bullets([str(item[lang]) for item in wording(W)["keeping"]])
    row_cites = [c for kind in kinds for c in _cites(kind)] if role == "controller" else []
    sources_section(doc, [*verdict.citations, *KEEPING_CITATIONS, *row_cites], lang)
    doc.paragraph(f"_{say('common', lang, 'disclaimer')}_")
    return doc
