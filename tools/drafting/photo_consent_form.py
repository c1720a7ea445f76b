"""A photo consent form (portraits, staff, children, patients), or a note when consent is not the basis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tools import explain
from tools.base import Verdict
from tools.drafting.base import Owner, format_date, owner_value, say, sources_section
from tools.drafting.document import Document, md_escape
from tools.drafting.photo_notice import condition_texts, reason_lines
from tools.photos import PhotosFacts

TOOL = "photos"
W = "photo_consent_form"

CONSENT_BASES = ("consent", "consent_parental", "explicit_consent")
# Channels a person can tick; the badge photo rests on access control, never on consent.
CHANNELS = ("website", "website_recruitment_page", "public_social_media", "print_brochure", "intranet")
# Offered besides the planned channel; the jobs page only to (former) staff.
PUBLIC_CHANNELS = ("website", "website_recruitment_page", "public_social_media", "print_brochure")
STAFF = ("employees", "former_employee")
PORTRAIT_RIGHT = "Belgian Code of Economic Law Art. XI.174"


def _blank(key: str, lang: str) -> str:
    """Return a visible placeholder whose label lives in this artefact's wording."""
    return f"⟦{say(W, lang, 'placeholders', key)}⟧"


def _finish(doc: Document, verdict: Verdict, lang: str, cited: list[str] | None = None) -> Document:
    sources_section(doc, [*verdict.citations, *(cited or [])], lang)
    doc.paragraph(f"_{say('common', lang, 'disclaimer')}_")
    return doc


def _note(verdict: Verdict, lang: str, today: dt.date) -> Document:
    """Draft the internal note that explains why no consent form is drafted."""
    data = verdict.model_dump(mode="json")
    key = "no" if data["allowed"] == "no" else data["basis"]
    doc = Document(title=say(W, lang, "title", "note"))
    doc.paragraph(f"{say('common', lang, 'date_label')}: {format_date(today, lang)}")
    title = explain.headline(TOOL, data, lang)
    if title:
        doc.paragraph(title)
    doc.paragraph(say(W, lang, "note_intro", key))
    doc.heading(say(W, lang, "why_heading"))
    doc.bullets(reason_lines(data, lang))
    if data["conditions"]:
        doc.heading(say(W, lang, "instead_heading"))
        doc.bullets(condition_texts(data["conditions"], lang))
    return _finish(doc, verdict, lang)


def _channels(facts: PhotosFacts) -> list[str]:
    """Return the channels to tick: the planned one first, then the public ones that fit these people."""
    staff = any(s in STAFF for s in facts.subjects or [])
    offered = [c for c in PUBLIC_CHANNELS if staff or c != "website_recruitment_page"]
    if facts.channel in CHANNELS:
        offered = [facts.channel, *(c for c in offered if c != facts.channel)]
    return offered


def _variant(data: dict[str, Any], facts: PhotosFacts) -> tuple[bool, bool, bool]:
    """Return whether the form is for a parent, asks explicit consent, and is addressed to (former) staff."""
    conditions = data["conditions"]
    parental = data["basis"] == "consent_parental" or "PARENTAL_CONSENT" in conditions
    explicit = data["basis"] == "explicit_consent" or "EXPLICIT_CONSENT" in conditions
    staff = "CONSENT_FREELY_GIVEN" in conditions or any(s in STAFF for s in facts.subjects or [])
    return parental, explicit, staff


def build(verdict: Verdict, facts: PhotosFacts, owner: Owner, lang: str, today: dt.date) -> Document:
    """Draft the consent form this verdict calls for, or an internal note when consent is not the way."""
    data = verdict.model_dump(mode="json")
    if data["allowed"] == "no" or data["basis"] not in CONSENT_BASES:
        return _note(verdict, lang, today)
    parental, explicit, staff = _variant(data, facts)
    name = owner_value(owner, "name", lang)
    contact = owner_value(owner, "contact", lang)
    occasion = md_escape(owner.event_name) if owner.event_name and owner.event_name.strip() else None
    doc = Document(
        title=say(W, lang, "title", "parental" if parental else "explicit" if explicit else "standard")
    )

    who = "child" if parental else "self"
    what = say(W, lang, "what", facts.setting or "unknown")
    doc.paragraph(
        say(W, lang, "intro", who, owner=name, what=what, occasion=occasion or _blank("occasion", lang))
    )
    doc.heading(say(W, lang, "use_heading"))
    uses = [say(W, lang, "use", "purpose"), say(W, lang, "use", "period")]
    if explicit:
        uses.append(say(W, lang, "use", "health", owner=name))
    if PORTRAIT_RIGHT in verdict.citations:
        uses.append(say(W, lang, "use", "portrait"))
    doc.bullets(uses)

    doc.heading(say(W, lang, "channels_heading"))
    doc.paragraph(say(W, lang, "channels_intro"))
    doc.bullets([f"☐ {say(W, lang, 'channels', c)}" for c in _channels(facts)])
    if explicit:
        doc.paragraph(f"☐ {say(W, lang, 'explicit_tick')}")

    doc.heading(say(W, lang, "free_heading"))
    free = [say(W, lang, "free", "child" if parental else "standard")]
    if staff:
        free = [say(W, lang, "free", "employees")]
    if "former_employee" in (facts.subjects or []):
        free.append(say(W, lang, "free", "former_employee"))
    if explicit:
        free.append(say(W, lang, "free", "patients"))
    doc.paragraph(" ".join(free))

    doc.heading(say(W, lang, "withdraw_heading"))
    doc.paragraph(say(W, lang, "withdraw", contact=contact))
    doc.heading(say(W, lang, "who_heading"))
    doc.paragraph(
        say(W, lang, "who", owner=name, address=owner_value(owner, "address", lang), contact=contact)
    )

    doc.heading(say(W, lang, "sign_heading"))
    doc.paragraph(say(W, lang, "sign_statement", who))
    people = ["child", "parent"] if parental else ["person"]
    doc.bullets(
        [
            say(W, lang, "line", label=say(W, lang, "sign_lines", k), value=_blank(k, lang))
            for k in (*people, "date", "signature")
        ]
    )

    doc.heading(say(W, lang, "internal_heading"))
    title = explain.headline(TOOL, data, lang)
    if title:
        doc.paragraph(title)
    doc.bullets([say(W, lang, "internal_keep"), *condition_texts(data["conditions"], lang)])
    doc.heading(say(W, lang, "why_heading"), level=3)
    doc.bullets(reason_lines(data, lang))
    cited = ["GDPR Art. 9(2)(a)", "GDPR Art. 7(3)"] if explicit else ["GDPR Art. 7(3)"]
    return _finish(doc, verdict, lang, cited)
