"""The reply to an erasure request, with an internal to-do list (Art. 12, 17 and 19 GDPR)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tools.base import Verdict
from tools.drafting.base import Owner, format_date, join, owner_value, say, sources_section, wording
from tools.drafting.document import Document, md_escape
from tools.erasure import ErasureFacts

TOOL = "erasure"
W = "erasure_reply"


def item_label(item: Any, lang: str) -> str:
    """Name a data item in the person's words, invoices with their year."""
    label = say(W, lang, "items", item.type)
    # Invoices and payroll are named with their year, so the person knows which ones stay.
    if getattr(item, "year", None):
        label = f"{label} {item.year}"
    return label


def until_text(value: str, lang: str) -> str:
    """Say until when an item is kept: a date, or the event that ends the retention."""
    if value in {"DISPUTE_CLOSED", "INCIDENT_CLOSED", "WHILE_MARKETING_ACTIVE"}:
        return say(W, lang, "until", value)
    return format_date(value, lang)


def _plan(verdict: dict[str, Any]) -> dict[str, Any]:
    """Return the erase/retain plan, from after_verification when identity is still to be confirmed."""
    return verdict.get("after_verification") or verdict


def build(verdict: Verdict, facts: ErasureFacts, owner: Owner, lang: str, today: dt.date) -> Document:
    """Draft the reply letter and the internal to-do list for this erasure verdict."""
    data = verdict.model_dump(mode="json")
    items = {item.id: item for item in facts.data or []}
    verify = data.get("status") == "verify_identity_first"
    doc = Document(title=say(W, lang, "title_verify" if verify else "title"))
    doc.paragraph(
        "  \n".join(
            [
                owner_value(owner, "name", lang),
                owner_value(owner, "address", lang),
                owner_value(owner, "contact", lang),
            ]
        )
    )
    doc.paragraph(f"{say('common', lang, 'date_label')}: {format_date(today, lang)}")
    received = format_date(str(facts.request_date), lang)
    doc.paragraph(f"**{say(W, lang, 'subject', received=received)}**")
    doc.paragraph(say(W, lang, "salutation", addressee=owner_value(owner, "addressee", lang)))
    deadline = format_date(data["deadline_date_latest"], lang)
    if verify:
        doc.paragraph(say(W, lang, "verify_body"))
        doc.paragraph(say(W, lang, "verify_deadline", deadline=deadline))
    else:
        _reply_body(doc, data, items, lang, deadline)
    doc.paragraph(say(W, lang, "closing"))
    doc.paragraph(f"{owner_value(owner, 'signatory', lang)}  \n{owner_value(owner, 'name', lang)}")
    _internal_todo(doc, data, facts, lang, deadline)
    sources_section(doc, verdict.citations, lang)
    doc.paragraph(f"_{say('common', lang, 'disclaimer')}_")
    return doc


def _reply_body(doc: Document, data: dict[str, Any], items: dict[str, Any], lang: str, deadline: str) -> None:
    plan = _plan(data)
    doc.paragraph(say(W, lang, "intro"))
    doc.heading(say(W, lang, "erased_heading"))
    erased = [item_label(items[i], lang) for i in plan["erase"] if i in items]
    if erased:
        doc.bullets(erased)
    else:
        doc.paragraph(say(W, lang, "erased_none"))
    if plan.get("notify_recipients"):
        names = join([md_escape(r) for r in plan["notify_recipients"]], lang)
        doc.paragraph(say(W, lang, "processors", recipients=names))
    if plan.get("made_public"):
        doc.paragraph(say(W, lang, "made_public"))
    if plan["retain"]:
        doc.heading(say(W, lang, "kept_heading"))
        rows = [
            [
                item_label(items[r["item"]], lang),
                say(W, lang, "reasons", r["reason"]),
                until_text(r["until"], lang),
            ]
            for r in plan["retain"]
            if r["item"] in items
        ]
        doc.table([str(h) for h in wording(W)["kept_table"][lang]], rows)
        doc.paragraph(say(W, lang, "kept_restricted"))
    doc.paragraph(say(W, lang, "deadline", deadline=deadline))
    doc.heading(say(W, lang, "rights_heading"))
    doc.paragraph(say(W, lang, "complaint"))


def _internal_todo(
    doc: Document, data: dict[str, Any], facts: ErasureFacts, lang: str, deadline: str
) -> None:
    plan = _plan(data)
    items = {item.id: item for item in facts.data or []}
    todo = [say(W, lang, "todo", "send_by", deadline=deadline)]
    erased = [item_label(items[i], lang) for i in plan["erase"] if i in items]
    if erased:
        todo.append(say(W, lang, "todo", "erase", deadline=deadline, items=", ".join(erased)))
    holders = {r.id: r.holds for r in facts.recipients or []}
    for recipient in plan.get("notify_recipients", []):
        held = [
            item_label(items[i], lang)
            for i in holders.get(recipient, [])
            if i in plan["erase"] and i in items
        ]
        todo.append(
            say(W, lang, "todo", "recipient", recipient=md_escape(recipient), items=", ".join(held) or "—")
        )
    if plan["retain"]:
        todo.append(say(W, lang, "todo", "restrict"))
        dates = sorted({r["until"] for r in plan["retain"] if r["until"][:1].isdigit()})
        if dates:
            todo.append(
                say(W, lang, "todo", "calendar", dates=", ".join(format_date(d, lang) for d in dates))
            )
    if any(r["reason"] == "DIRECT_MARKETING_SUPPRESSION" for r in plan["retain"]):
        todo.append(say(W, lang, "todo", "suppression"))
    if data.get("extension_possible") and data.get("extended_deadline_date_latest"):
        extended = format_date(data["extended_deadline_date_latest"], lang)
        todo.append(say(W, lang, "todo", "extension", deadline=deadline, extended=extended))
    todo.append(say(W, lang, "todo", "document"))
    doc.heading(say(W, lang, "internal_heading"))
    doc.bullets(todo)
