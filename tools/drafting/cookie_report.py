"""An audit report of a website's cookie banner: verdict, violations by priority, precedents, re-test."""

from __future__ import annotations

import datetime as dt

from tools.base import Facts, Verdict, load_rules
from tools.cookie_banner import CookieBannerFacts, CookieBannerRules, CookieBannerVerdict
from tools.drafting.base import (
    DraftingError,
    Owner,
    format_date,
    join,
    owner_value,
    placeholder,
    say,
    sources_section,
    wording,
)
from tools.drafting.document import Document
from tools.explain import headline, reason_text
from tools.explain import wording as tool_wording

TOOL = "cookie_banner"
W = "cookie_report"
PRIORITIES = ("high", "medium", "low")
# Reasons that frame the audit rather than report a violation.
BASIS_CODES = ("CONSENT_REQUIRED", "NO_ANALYTICS_EXEMPTION_BE")
PROOF = "PROOF_OF_CONSENT"


def _company(owner: Owner, lang: str) -> str:
    """Return the owner's business name, escaped, or its visible placeholder."""
    return (
        owner_value(owner, "name", lang)
        if owner.name and owner.name.strip()
        else placeholder("company_name", lang)
    )


def _fix_texts() -> dict[str, dict[str, str]]:
    """Return the fix texts of the tool's wording (``fixes:`` in tools/wording/cookie_banner.yaml)."""
    fixes: dict[str, dict[str, str]] = tool_wording(TOOL)["fixes"]
    return fixes


def _label(text: str, lang: str) -> str:
    return say(W, lang, "label", label=text)


def _cited(text: str, citations: list[str]) -> str:
    return f"{text} ({'; '.join(citations)})" if citations else text


def build(verdict: Verdict, facts: Facts, owner: Owner, lang: str, today: dt.date) -> Document:
    """Draft the cookie-banner audit report for this verdict."""
    if not isinstance(verdict, CookieBannerVerdict) or not isinstance(facts, CookieBannerFacts):
        raise DraftingError("cookie_report is drafted from a decided cookie_banner verdict")
    doc = Document(title=say(W, lang, "title"))
    doc.paragraph(
        f"**{_label(say(W, lang, 'site_label'), lang)}** {_company(owner, lang)}  \n"
        f"**{_label(say('common', lang, 'date_label'), lang)}** {format_date(today, lang)}"
    )
    values = {
        "non_essential_before_consent": join(
            [say(W, lang, "categories", c) for c in verdict.non_essential_before_consent], lang
        )
        or "—",
        "precedents": join(list(verdict.precedents), lang) or "—",
    }
    reasons = {r.code: r.citations for r in verdict.reasons}
    doc.heading(say(W, lang, "verdict_heading"))
    title = headline(TOOL, verdict.model_dump(mode="json"), lang)
    if title:
        doc.paragraph(title)
    if verdict.compliant:
        _compliant(doc, verdict, lang, reasons)
    else:
        _summary(doc, verdict, lang, reasons, values)
        _violations(doc, verdict, lang, values)
        _precedents(doc, verdict, lang)
        _retest(doc, verdict, lang, reasons)
    sources_section(doc, verdict.citations, lang)
    doc.paragraph(f"_{say('common', lang, 'disclaimer')}_")
    return doc


def _compliant(doc: Document, verdict: CookieBannerVerdict, lang: str, reasons: dict[str, list[str]]) -> None:
    doc.bullets(
        [_cited(reason_text(TOOL, r.code, lang), r.citations) for r in verdict.reasons if r.code != PROOF]
    )
    keep = []
    if not verdict.consent_required:
        keep.append(say(W, lang, "keep", "add_later"))
    if PROOF in reasons:
        keep.append(_cited(reason_text(TOOL, PROOF, lang), reasons[PROOF]))
    keep.append(say(W, lang, "keep", "repeat" if verdict.consent_required else "repeat_site"))
    doc.heading(say(W, lang, "keep_heading"))
    doc.bullets(keep)


def _summary(
    doc: Document,
    verdict: CookieBannerVerdict,
    lang: str,
    reasons: dict[str, list[str]],
    values: dict[str, str],
) -> None:
    counts = {p: sum(f.priority == p for f in verdict.findings) for p in PRIORITIES}
    doc.paragraph(say(W, lang, "count", total=len(verdict.findings), **counts))
    rows = [
        [str(n), _title(f.code, lang), say(W, lang, "priorities", f.priority)]
        for n, f in enumerate(verdict.findings, 1)
    ]
    doc.table([str(h) for h in wording(W)["summary_table"][lang]], rows)
    basis = [
        _cited(reason_text(TOOL, code, lang, values), reasons[code])
        for code in BASIS_CODES
        if code in reasons
    ]
    if basis:
        doc.paragraph(f"**{say(W, lang, 'basis_label')}**")
        doc.bullets(basis)


def _title(code: str, lang: str) -> str:
    return say(W, lang, "violations", code, "title")


def _violations(doc: Document, verdict: CookieBannerVerdict, lang: str, values: dict[str, str]) -> None:
    doc.heading(say(W, lang, "violations_heading"))
    fixes = _fix_texts()
    for number, finding in enumerate(verdict.findings, 1):
        doc.heading(f"{number}. {_title(finding.code, lang)}", level=3)
        what = say(
            W, lang, "violations", finding.code, "what", categories=values["non_essential_before_consent"]
        )
        doc.bullets(
            [
                f"**{say(W, lang, 'labels', 'priority')}** {say(W, lang, 'priorities', finding.priority)}",
                f"**{say(W, lang, 'labels', 'what')}** {what}",
                f"**{say(W, lang, 'labels', 'why')}** "
                + _cited(reason_text(TOOL, finding.code, lang, values), finding.citations),
                f"**{say(W, lang, 'labels', 'fix')}** {fixes[finding.fix][lang]}",
            ]
        )


def _precedents(doc: Document, verdict: CookieBannerVerdict, lang: str) -> None:
    if not verdict.precedents:
        return
    rules = load_rules(TOOL, CookieBannerRules)
    codes = {p.decision: set(p.codes) for p in rules.precedents}
    known = wording(W)["precedents"]
    doc.heading(say(W, lang, "precedents_heading"))
    doc.paragraph(say(W, lang, "precedents_intro"))
    items = []
    for decision in verdict.precedents:
        text = f"**{decision}**"
        if decision in known:
            entry = known[decision]
            text += " " + str(entry["text"][lang]).format(date=format_date(str(entry["date"]), lang))
        numbers = [str(n) for n, f in enumerate(verdict.findings, 1) if f.code in codes.get(decision, set())]
        if numbers:
            text += " " + say(W, lang, "concerns", numbers=join(numbers, lang))
        items.append(text)
    doc.bullets(items)


def _retest(doc: Document, verdict: CookieBannerVerdict, lang: str, reasons: dict[str, list[str]]) -> None:
    doc.heading(say(W, lang, "retest_heading"))
    doc.paragraph(say(W, lang, "retest_intro"))
    items = [say(W, lang, "retest", f.code) for f in verdict.findings]
    if PROOF in reasons:
        items.append(say(W, lang, "retest_general", "proof", refs="; ".join(reasons[PROOF])))
    items.append(say(W, lang, "retest_general", "repeat"))
    doc.bullets([f"☐ {item}" for item in items])
