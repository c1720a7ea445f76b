"""A checklist to check or negotiate a processor agreement (Art. 28 GDPR), or what to arrange instead."""

from __future__ import annotations

import datetime as dt
import re

from tools.base import Facts, Verdict
from tools.dpa import DpaFacts, DpaVerdict
from tools.drafting.base import (
    DraftingError,
    Owner,
    format_date,
    owner_value,
    placeholder,
    say,
    sources_section,
    wording,
)
from tools.drafting.document import Document, md_escape
from tools.explain import headline, reason_text
from tools.explain import wording as tool_wording

TOOL = "dpa"
W = "dpa_checklist"

# Owner fields whose placeholder label in common.yaml has another name.
_PLACEHOLDER_KEYS = {"name": "company_name", "address": "company_address"}
# A clause or annex reference at the start of one entry of the rule file's `scc` text.
_REF = re.compile(r"(Clause|Annex)\s+(\d+(?:\.\d+)?(?:\([a-z]\))?(?:-\([a-z]\))?|[IVX]+\b)")
ANNEXES = ("I", "II", "III", "IV")


class _Refs:
    """Collect every legal label the checklist cites, so the sources list names them all."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.labels: list[str] = []

    def __call__(self, *refs: str) -> str:
        """Return the references as inline text in this language; legal labels are kept for the sources."""
        self.labels += [r for r in refs if not r.startswith(("Clause ", "Annex "))]
        return "; ".join(_localise_ref(r, self.lang) for r in refs)


def _localise_ref(ref: str, lang: str) -> str:
    """Write 'Clause 7.7(a)' or 'Annex IV' in ``lang``; other labels are language-neutral."""
    match = _REF.fullmatch(ref)
    if not match:
        return ref
    word = say(W, lang, "clause" if match.group(1) == "Clause" else "annex")
    return f"{word} {match.group(2)}"


def scc_refs(scc: str) -> list[str]:
    """Return the clause and annex references of a rule file ``scc`` text, without its remarks."""
    entries, depth, current = [], 0, ""
    for char in scc:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            entries.append(current.strip())
            current = ""
        else:
            current += char
    entries.append(current.strip())
    refs = []
    for entry in entries:
        match = _REF.match(entry)
        refs.append(match.group(0) if match else entry)
    return refs


def _owner(owner: Owner, field: str, lang: str) -> str:
    """Return an owner detail, escaped, or its visible placeholder."""
    value = getattr(owner, field)
    if value and str(value).strip():
        return owner_value(owner, field, lang)
    return placeholder(_PLACEHOLDER_KEYS.get(field, field), lang)


def _label(text: str, lang: str) -> str:
    return say(W, lang, "label", label=text)


def _own_placeholder(key: str, lang: str) -> str:
    return f"⟦{say(W, lang, 'placeholders', key)}⟧"


def build(verdict: Verdict, facts: Facts, owner: Owner, lang: str, today: dt.date) -> Document:
    """Draft the processor-agreement checklist, or the arrangement to make instead, for this provider."""
    if not isinstance(verdict, DpaVerdict) or not isinstance(facts, DpaFacts) or verdict.role is None:
        raise DraftingError("dpa_checklist is drafted from a decided dpa verdict")
    refs = _Refs(lang)
    provider = _owner(owner, "provider_name", lang)
    processor = verdict.role == "processor"
    doc = Document(title=say(W, lang, "title_processor" if processor else "title_other", provider=provider))
    _header(doc, facts, owner, lang, today, provider)
    _role(doc, verdict, lang)
    if processor:
        _checklist(doc, verdict, lang, refs)
        _subprocessors(doc, lang, refs)
        _breach(doc, lang, refs)
        _location(doc, facts, verdict, lang, refs)
        _end(doc, lang, refs)
        if verdict.controller_for_own_purposes:
            _own_purposes(doc, lang, refs)
        _annexes(doc, facts, owner, lang, provider)
    else:
        _instead(doc, verdict, lang, refs)
        if verdict.transfer_safeguards_required:
            _location(doc, facts, verdict, lang, refs)
    sources_section(doc, [*verdict.citations, *refs.labels], lang)
    doc.paragraph(f"_{say('common', lang, 'disclaimer')}_")
    return doc


def _header(doc: Document, facts: DpaFacts, owner: Owner, lang: str, today: dt.date, provider: str) -> None:
    lines = [
        f"**{_label(say('common', lang, 'date_label'), lang)}** {format_date(today, lang)}",
        f"**{_label(say(W, lang, 'owner_label'), lang)}** {_owner(owner, 'name', lang)}",
        f"**{_label(say(W, lang, 'provider_label'), lang)}** {provider}",
    ]
    if facts.service and facts.service.strip():
        lines.append(f"**{_label(say(W, lang, 'service_label'), lang)}** {md_escape(facts.service)}")
    doc.paragraph("  \n".join(lines))


def _role(doc: Document, verdict: DpaVerdict, lang: str) -> None:
    doc.heading(say(W, lang, "role_heading"))
    title = headline(TOOL, verdict.model_dump(mode="json"), lang)
    if title:
        doc.paragraph(title)
    needed = say(W, lang, "answer_yes" if verdict.dpa_required else "answer_no")
    doc.paragraph(say(W, lang, "role_line", role=say(W, lang, "roles", str(verdict.role)), needed=needed))
    doc.paragraph(f"**{say(W, lang, 'why_label')}**")
    doc.bullets([f"{reason_text(TOOL, r.code, lang)} ({'; '.join(r.citations)})" for r in verdict.reasons])


def _checklist(doc: Document, verdict: DpaVerdict, lang: str, refs: _Refs) -> None:
    doc.heading(say(W, lang, "checklist_heading"))
    doc.paragraph(say(W, lang, "checklist_intro"))
    items = tool_wording(TOOL)["checklist"]
    rows = []
    for number, entry in enumerate(verdict.checklist_refs, 1):
        refs.labels.append(entry.gdpr)
        clauses = ", ".join(_localise_ref(r, lang) for r in scc_refs(entry.scc))
        rows.append([str(number), str(items[entry.code][lang]), entry.gdpr, clauses, "☐"])
    doc.table(_texts(lang, "checklist_table"), rows)


def _texts(lang: str, *path: str) -> list[str]:
    """Return a list of strings (table headers) from this artefact's wording file."""
    node = wording(W)
    for part in path:
        node = node[part]
    return [str(item) for item in node[lang]]


def _subprocessors(doc: Document, lang: str, refs: _Refs) -> None:
    doc.heading(say(W, lang, "subprocessors", "heading"))
    doc.bullets(
        [
            say(W, lang, "subprocessors", "list", refs=refs("Annex IV")),
            say(W, lang, "subprocessors", "authorisation", refs=refs("GDPR Art. 28(2)", "Clause 7.7(a)")),
            say(W, lang, "subprocessors", "flowdown", refs=refs("GDPR Art. 28(4)", "Clause 7.7(b)-(c)")),
            say(W, lang, "subprocessors", "outside"),
        ]
    )


def _breach(doc: Document, lang: str, refs: _Refs) -> None:
    doc.heading(say(W, lang, "breach", "heading"))
    doc.bullets(
        [
            say(W, lang, "breach", "provider_notice", refs=refs("GDPR Art. 33(2)", "Clause 9.2")),
            say(W, lang, "breach", "deadline", refs=refs("GDPR Art. 33(1)")),
            say(W, lang, "breach", "content", refs=refs("GDPR Art. 33(3)", "Clause 9.2")),
            say(W, lang, "breach", "help", refs=refs("GDPR Art. 28(3)(f)", "Clause 9.1")),
        ]
    )


def _location(doc: Document, facts: DpaFacts, verdict: DpaVerdict, lang: str, refs: _Refs) -> None:
    processor = verdict.role == "processor"
    doc.heading(say(W, lang, "location", "heading"))
    items = []
    if processor:
        items.append(say(W, lang, "location", "where", refs=refs("GDPR Art. 28(3)(a)", "Clause 7.8")))
    if facts.data_outside_eea is None:
        cites = refs("GDPR Art. 44", "GDPR Art. 45(3)", "GDPR Art. 46(2)(c)")
        items.append(say(W, lang, "location", "unknown", refs=cites))
    elif not facts.data_outside_eea:
        items.append(say(W, lang, "location", "inside"))
    else:
        items += [
            say(W, lang, "location", "outside", refs=refs("GDPR Art. 44")),
            say(
                W,
                lang,
                "location",
                "adequacy",
                refs=refs("GDPR Art. 45(3)", "Commission Implementing Decision (EU) 2023/1795"),
            ),
            say(
                W,
                lang,
                "location",
                "scc",
                refs=refs("GDPR Art. 46(2)(c)", "Commission Implementing Decision (EU) 2021/914"),
            ),
        ]
        if processor:
            items.append(say(W, lang, "location", "not_915", refs=refs("Clause 1(f)")))
        items.append(say(W, lang, "location", "notice", refs=refs("GDPR Art. 13(1)(f)")))
    doc.bullets(items)


def _end(doc: Document, lang: str, refs: _Refs) -> None:
    doc.heading(say(W, lang, "end", "heading"))
    doc.bullets(
        [
            say(W, lang, "end", "choice", refs=refs("GDPR Art. 28(3)(g)", "Clause 10(d)")),
            say(W, lang, "end", "format"),
            say(W, lang, "end", "insolvency", refs=refs("Clause 7.7(e)")),
        ]
    )


def _own_purposes(doc: Document, lang: str, refs: _Refs) -> None:
    doc.heading(say(W, lang, "own_purposes", "heading"))
    doc.bullets(
        [
            say(W, lang, "own_purposes", "ask"),
            say(W, lang, "own_purposes", "exclude", refs=refs("GDPR Art. 28(3)(a)", "Clause 7.2")),
            say(W, lang, "own_purposes", "accept", refs=refs("GDPR Art. 28(10)")),
        ]
    )


def _annexes(doc: Document, facts: DpaFacts, owner: Owner, lang: str, provider: str) -> None:
    doc.heading(say(W, lang, "annexes", "heading"))
    doc.paragraph(say(W, lang, "annexes", "intro"))
    rows = []
    for annex in ANNEXES:
        name = say(W, lang, "annexes", "items", annex, "name")
        content = say(W, lang, "annexes", "items", annex, "content")
        rows.append([f"{_label(_localise_ref(f'Annex {annex}', lang), lang)} {name}", content, "☐"])
    doc.table(_texts(lang, "annexes", "table"), rows)
    doc.heading(say(W, lang, "annexes", "parties_heading"), level=3)
    parties = [
        say(
            W,
            lang,
            "annexes",
            "controller",
            company=_owner(owner, "name", lang),
            address=_owner(owner, "address", lang),
            contact=_owner(owner, "contact", lang),
            signatory=_owner(owner, "signatory", lang),
        ),
        say(
            W,
            lang,
            "annexes",
            "processor",
            provider=provider,
            details=_own_placeholder("provider_details", lang),
        ),
    ]
    doc.bullets(parties)
    if facts.service and facts.service.strip():
        doc.paragraph(say(W, lang, "annexes", "nature", service=md_escape(facts.service)))


def _instead(doc: Document, verdict: DpaVerdict, lang: str, refs: _Refs) -> None:
    doc.heading(say(W, lang, "instead", "heading"))
    if verdict.other_measure == "art26_arrangement":
        doc.paragraph(say(W, lang, "instead", "joint", "intro", refs=refs("GDPR Art. 26(1)")))
        _numbered_table(doc, lang, "joint", refs)
    elif verdict.other_measure == "confidentiality_clause":
        doc.paragraph(say(W, lang, "instead", "confidentiality", "intro", refs=refs("GDPR Art. 32(1)")))
        _numbered_table(doc, lang, "confidentiality", refs)
        doc.paragraph(say(W, lang, "instead", "confidentiality", "practical"))
    elif verdict.role == "controller":
        doc.bullets(
            [
                say(W, lang, "instead", "controller", "terms"),
                say(W, lang, "instead", "controller", "minimise"),
                say(W, lang, "instead", "controller", "notice", refs=refs("GDPR Art. 13(1)")),
                say(W, lang, "instead", "controller", "per_service"),
            ]
        )
    else:
        doc.paragraph(say(W, lang, "instead", "none"))


def _numbered_table(doc: Document, lang: str, kind: str, refs: _Refs) -> None:
    items = wording(W)["instead"][kind]["items"]
    rows = []
    for number, item in enumerate(items, 1):
        text = str(item[lang])
        if "{refs}" in text:
            text = text.format(refs=refs("GDPR Art. 26"))
        rows.append([str(number), text, "☐"])
    doc.table(_texts(lang, "instead", kind, "table"), rows)
