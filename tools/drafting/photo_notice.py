"""A photo notice for the invitation and the entrance, or an internal note when no notice can help."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tools import explain
from tools.base import Verdict
from tools.drafting.base import Owner, format_date, owner_value, say, sources_section
from tools.drafting.document import Document
from tools.photos import PhotosFacts

TOOL = "photos"
W = "photo_notice"

INTERNAL_CHANNELS = ("intranet", "internal_access_badge")
# The opt-out measures the notice can announce, in the order they are read.
OPT_OUTS = ("OPT_OUT_WRISTBANDS", "PHOTO_FREE_ZONE", "OFFER_EASY_OPT_OUT")
# A badge photo serves access control: no opt-out, an individual objection is weighed instead.
NO_OPT_OUT_CHANNELS = ("internal_access_badge",)
CONSENT_BASES = ("consent", "consent_parental", "explicit_consent")
# The label each basis sentence of the notice cites, listed among the sources too.
BASIS_LABELS = {
    "legitimate_interest": "GDPR Art. 6(1)(f)",
    "consent": "GDPR Art. 6(1)(a)",
    "consent_parental": "GDPR Art. 6(1)(a)",
    "explicit_consent": "GDPR Art. 9(2)(a)",
}


def _blank(key: str, lang: str) -> str:
    """Return a visible placeholder whose label lives in this artefact's wording."""
    return f"⟦{say(W, lang, 'placeholders', key)}⟧"


def _context(facts: PhotosFacts) -> str:
    """Return who the notice speaks to: event guests, staff, or people elsewhere (shop, street)."""
    staff_only = bool(facts.subjects) and set(facts.subjects or []) == {"employees"}
    if facts.setting != "ambient_crowd" and (facts.channel in INTERNAL_CHANNELS or staff_only):
        return "staff"
    return "event" if facts.origin == "event" else "other"


def _channel(facts: PhotosFacts, lang: str) -> str:
    if facts.channel is None:
        return say(W, lang, "channels", "unknown", channel=_blank("channel", lang))
    return say(W, lang, "channels", facts.channel)


def condition_texts(conditions: list[str], lang: str) -> list[str]:
    """Return the photos tool's wording of each condition code."""
    texts = explain.wording(TOOL)["conditions"]
    return [str(texts[code][lang]) for code in conditions]


def reason_lines(verdict: dict[str, Any], lang: str) -> list[str]:
    """Return each reason of the verdict as a sentence followed by its sources."""
    return [
        f"{explain.reason_text(TOOL, r['code'], lang)} ({'; '.join(r['citations'])})"
        for r in verdict["reasons"]
    ]


def _finish(doc: Document, verdict: Verdict, lang: str, cited: list[str] | None = None) -> Document:
    sources_section(doc, [*verdict.citations, *(cited or [])], lang)
    doc.paragraph(f"_{say('common', lang, 'disclaimer')}_")
    return doc


def _note(verdict: Verdict, lang: str, today: dt.date) -> Document:
    """Draft the internal note that explains why no notice is drafted."""
    data = verdict.model_dump(mode="json")
    not_personal = data["basis"] == "not_personal_data"
    doc = Document(title=say(W, lang, "title", "not_personal" if not_personal else "note"))
    doc.paragraph(f"{say('common', lang, 'date_label')}: {format_date(today, lang)}")
    title = explain.headline(TOOL, data, lang)
    if title:
        doc.paragraph(title)
    doc.paragraph(say(W, lang, "not_personal_intro" if not_personal else "note_intro"))
    doc.heading(say(W, lang, "why_heading"))
    doc.bullets(reason_lines(data, lang))
    if data["conditions"]:
        doc.heading(say(W, lang, "instead_heading"))
        doc.bullets(condition_texts(data["conditions"], lang))
    return _finish(doc, verdict, lang)


def build(verdict: Verdict, facts: PhotosFacts, owner: Owner, lang: str, today: dt.date) -> Document:
    """Draft the notice announcing the photos, or an internal note when the verdict rules it out."""
    data = verdict.model_dump(mode="json")
    basis = data["basis"]
    if data["allowed"] == "no" or basis not in ("legitimate_interest", *CONSENT_BASES):
        return _note(verdict, lang, today)
    conditions: list[str] = data["conditions"]
    context = _context(facts)
    name = owner_value(owner, "name", lang)
    contact = owner_value(owner, "contact", lang)
    event = owner_value(owner, "event_name", lang)
    channel = _channel(facts, lang)
    doc = Document(title=say(W, lang, "title", context, event=event))

    doc.heading(say(W, lang, "invitation_heading", context))
    if context == "staff":
        taking = say(W, lang, "taking_staff", owner=name, channel=channel)
    else:
        where = say(W, lang, "where", context, event=event, place=_blank("place", lang))
        taking = say(W, lang, "taking", where=where, owner=name, channel=channel)
    if facts.setting == "ambient_crowd":
        taking = f"{taking} {say(W, lang, 'crowd')}"
    doc.paragraph(taking)
    staff_basis = context == "staff" and basis == "legitimate_interest"
    basis_text = say(W, lang, "basis", "staff" if staff_basis else basis)
    if "CONSENT_FREELY_GIVEN" in conditions:
        basis_text = f"{basis_text} {say(W, lang, 'free_staff')}"
    doc.paragraph(basis_text)
    opt_outs = [say(W, lang, "opt_out", code, contact=contact) for code in OPT_OUTS if code in conditions]
    if opt_outs:
        doc.paragraph(" ".join(opt_outs))
    if basis != "legitimate_interest":
        rights = [say(W, lang, "withdraw")]
    elif facts.channel in NO_OPT_OUT_CHANNELS:
        rights = [say(W, lang, "object_weighed", contact=contact)]
    else:
        rights = [say(W, lang, "object")]
    if "REMOVE_ON_REQUEST" in conditions:
        rights.append(say(W, lang, "removal", contact=contact))
    elif facts.channel not in NO_OPT_OUT_CHANNELS:
        rights.append(say(W, lang, "questions", contact=contact))
    doc.paragraph(" ".join(rights))
    doc.paragraph(say(W, lang, "more", owner=name))

    if context != "staff":
        doc.heading(say(W, lang, "short_heading"))
        short = [say(W, lang, "short", "taking", channel=channel)]
        short += [say(W, lang, "short", code) for code in OPT_OUTS if code in conditions]
        if basis in CONSENT_BASES:
            short.append(say(W, lang, "short", "consent"))
        short.append(say(W, lang, "short", "removal", contact=contact, owner=name))
        doc.bullets(short)

    doc.heading(say(W, lang, "checklist_heading"))
    title = explain.headline(TOOL, data, lang)
    if title:
        doc.paragraph(title)
    todo = []
    if data["allowed"] == "with_notice_and_optout":
        todo.append(say(W, lang, "checklist_before", context))
    elif data["allowed"] == "with_consent":
        todo.append(say(W, lang, "checklist_consent"))
    doc.bullets(todo + condition_texts(conditions, lang))
    doc.heading(say(W, lang, "why_heading"), level=3)
    doc.bullets(reason_lines(data, lang))
    rights_label = "GDPR Art. 21(1)" if basis == "legitimate_interest" else "GDPR Art. 7(3)"
    return _finish(doc, verdict, lang, [BASIS_LABELS[basis], rights_label])
