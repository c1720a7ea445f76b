"""The cookie-banner audit report: verdict first, violations by priority with fixes, precedents, re-test."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from snapshots_helper import assert_snapshot

from knowledge.citations import load_registry
from tools.drafting.artefacts import render
from tools.drafting.base import DraftingError, format_date
from tools.drafting.document import to_docx
from tools.explain import wording as tool_wording

TODAY = dt.date(2026, 11, 28)
LANGS = ("nl", "fr", "en")
# The case table's clean banner; cases override a few facts.
CLEAN: dict[str, Any] = {
    "uses_non_essential_cookies": True,
    "reject_button_first_layer": True,
    "reject_as_link_only": False,
    "pre_ticked_boxes": False,
    "cookies_before_consent": [],
    "deceptive_design": False,
    "withdrawal_mechanism": True,
    "legitimate_interest_claims": False,
    "purposes_listed": True,
    "vendors_listed": True,
    "cookie_wall": False,
    "consent_by_scrolling": False,
    "close_button_counts_as_consent": False,
    "non_essential_labelled_essential": False,
    "trackers_fire_after_reject": False,
}
# A shop banner like RTL's (accept in a vivid colour, no reject on the first screen), with Google
# Analytics and a Meta pixel loading before the choice and no list of third parties.
SHOP: dict[str, Any] = {
    **CLEAN,
    "reject_button_first_layer": False,
    "deceptive_design": True,
    "cookies_before_consent": ["analytics", "marketing"],
    "vendors_listed": False,
}
EVERYTHING_WRONG: dict[str, Any] = {
    "uses_non_essential_cookies": True,
    "reject_button_first_layer": False,
    "reject_as_link_only": False,
    "pre_ticked_boxes": True,
    "cookies_before_consent": ["analytics", "marketing", "social_media"],
    "deceptive_design": True,
    "withdrawal_mechanism": False,
    "legitimate_interest_claims": True,
    "purposes_listed": False,
    "vendors_listed": False,
    "cookie_wall": True,
    "consent_by_scrolling": True,
    "close_button_counts_as_consent": True,
    "non_essential_labelled_essential": True,
    "trackers_fire_after_reject": True,
}
OWNER = {"name": "Bloemen Lieve bv", "address": "Markt 12, 9000 Gent"}
SOURCES = {"nl": "Bronnen", "fr": "Sources", "en": "Sources"}


@pytest.mark.parametrize("lang", LANGS)
def test_report_matches_its_snapshot(lang: str) -> None:
    draft = render("cookie_report", SHOP, OWNER, lang, TODAY)
    assert_snapshot(f"cookie_report.shop.{lang}.md", draft.markdown)


def test_compliant_banner_gets_a_short_positive_report() -> None:
    draft = render("cookie_report", CLEAN, OWNER, "en", TODAY)
    assert_snapshot("cookie_report.clean.en.md", draft.markdown)
    text = draft.markdown
    assert "**Your cookie banner complies with the rules as you describe it.**" in text
    assert "## Violations" not in text and "## Re-test" not in text and "precedents" not in text
    assert "GDPR Art. 7(1)" in text  # keep proof of consent


def test_site_with_only_necessary_cookies_needs_no_banner() -> None:
    draft = render("cookie_report", {"uses_non_essential_cookies": False}, OWNER, "nl", TODAY)
    assert_snapshot("cookie_report.necessary_only.nl.md", draft.markdown)
    assert "geen cookiebanner" in draft.markdown and "eerst een cookiebanner" in draft.markdown


def test_verdict_comes_first_with_counts_by_priority() -> None:
    text = render("cookie_report", SHOP, OWNER, "en", TODAY).markdown
    assert text.index("## Verdict") < text.index("## Violations, most urgent first")
    assert "**No, your cookie banner does not comply yet." in text
    assert "Violations found: 4 (high priority: 2, medium: 1, low: 1)." in text


def test_violations_are_ordered_high_to_low_each_with_what_why_fix_priority() -> None:
    text = render("cookie_report", EVERYTHING_WRONG, OWNER, "en", TODAY).markdown
    sections = re.split(r"\n### \d+\. ", text.split("## Violations, most urgent first", 1)[1])[1:]
    assert len(sections) == 12
    ranks = {"high": 0, "medium": 1, "low": 2}
    priorities = [re.search(r"\*\*Priority:\*\* (\w+)", s).group(1) for s in sections]  # type: ignore[union-attr]
    assert [ranks[p] for p in priorities] == sorted(ranks[p] for p in priorities)
    for section in sections:
        for label in ("**Priority:**", "**What is wrong:**", "**Why:**", "**How to fix:**"):
            assert label in section
    fixes = tool_wording("cookie_banner")["fixes"]
    assert fixes["BLOCK_UNTIL_CONSENT"]["en"] in sections[0]
    assert fixes["LIST_THIRD_PARTIES"]["en"] in sections[-1]
    assert "analytics cookies, marketing cookies and social media cookies" in sections[0]


def test_precedents_state_rtl_was_a_reprimand_with_penalties_not_a_fine() -> None:
    texts = {lang: render("cookie_report", SHOP, OWNER, lang, TODAY).markdown for lang in LANGS}
    assert "a reprimand and two compliance orders" in texts["en"] and "This was not a fine." in texts["en"]
    assert "EUR 20,000 per day" in texts["en"] and "45 days" in texts["en"]
    assert "EUR 25,000 per day per website" in texts["en"]
    assert "Dit was geen boete." in texts["nl"] and "Ce n'était pas une amende." in texts["fr"]
    rtl = next(line for line in texts["en"].splitlines() if line.startswith("- **GBA decision 131/2024**"))
    assert "11 October 2024" in rtl and "Concerns in this audit: no. 2 and 3." in rtl


def test_no_precedent_section_when_the_violations_were_not_at_issue() -> None:
    text = render("cookie_report", {**CLEAN, "pre_ticked_boxes": True}, OWNER, "en", TODAY).markdown
    assert "## Belgian enforcement precedents" not in text and "GBA decision" not in text


def test_retest_checklist_has_one_check_per_violation_plus_proof_and_repeat() -> None:
    text = render("cookie_report", SHOP, OWNER, "en", TODAY).markdown
    retest = text.split("## Re-test checklist", 1)[1].split("## Sources", 1)[0]
    checks = [line for line in retest.splitlines() if line.startswith("- ☐ ")]
    assert len(checks) == 4 + 2
    assert "GDPR Art. 7(1)" in checks[-2]


def test_docx_has_verdict_violations_and_retest(tmp_path: Path) -> None:
    draft = render("cookie_report", SHOP, OWNER, "fr", TODAY)
    word = docx.Document(str(to_docx(draft.document, tmp_path / "cookies.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:3] == [
        "Audit de votre bannière cookies",
        "Conclusion",
        "Manquements, du plus urgent au moins urgent",
    ]
    assert "2. Pas de bouton « tout refuser » au premier écran" in headings
    assert "Précédents belges" in headings and "Nouveau test après correction" in headings
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["N°", "Problème", "Priorité"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Cookies avant le consentement", "élevée"]
    assert len(table.rows) == 5
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert any(b.startswith("Comment corriger : Ajoutez au premier écran un bouton") for b in bullets)
    assert any(b.startswith("GBA decision 131/2024 (11 octobre 2024, RTL Belgium)") for b in bullets)
    assert sum(b.startswith("☐ ") for b in bullets) == 6


@pytest.mark.parametrize("facts", [SHOP, CLEAN, EVERYTHING_WRONG, {"uses_non_essential_cookies": False}])
def test_every_citation_is_registered(facts: dict[str, Any]) -> None:
    registry = set(load_registry())
    for lang in LANGS:
        draft = render("cookie_report", facts, OWNER, lang, TODAY)
        listed = draft.markdown.split(f"## {SOURCES[lang]}\n", 1)[1].split("\n\n_", 1)[0].strip().splitlines()
        assert draft.citations and set(draft.citations) == {line[2:] for line in listed}
        assert set(draft.citations) <= registry


def test_hostile_owner_text_is_escaped() -> None:
    owner = {**OWNER, "name": "<script>alert(1)</script> **x** [a](http://e.vil)"}
    text = render("cookie_report", SHOP, owner, "en", TODAY).markdown
    assert "<script>" not in text and "](http://e.vil)" not in text and "**x**" not in text
    assert r"\<script\>" in text


def test_missing_owner_name_is_a_visible_placeholder() -> None:
    draft = render("cookie_report", SHOP, {}, "en", TODAY)
    assert "**Website of:** ⟦your business name⟧" in draft.markdown
    assert draft.unresolved == ["your business name"]


@pytest.mark.parametrize("facts", [SHOP, EVERYTHING_WRONG, CLEAN])
def test_same_case_same_content_in_every_language(facts: dict[str, Any]) -> None:
    texts = {lang: render("cookie_report", facts, OWNER, lang, TODAY).markdown for lang in LANGS}
    for lang, text in texts.items():
        assert format_date(TODAY, lang) in text
    dates = {
        lang: {d for d in ("2024-09-06", "2024-10-11") if format_date(d, lang) in text}
        for lang, text in texts.items()
    }
    labels = {
        lang: set(re.findall(r"GBA decision \d+/\d{4}|GDPR Art\. [\d()a-z]+|CJEU C-673/17", t))
        for lang, t in texts.items()
    }
    sections = {lang: re.findall(r"^### (\d+)\. ", t, re.M) for lang, t in texts.items()}
    checks = {lang: t.count("- ☐ ") for lang, t in texts.items()}
    for measure in (dates, labels, sections, checks):
        assert measure["nl"] == measure["fr"] == measure["en"]


def test_undecided_facts_are_refused_naming_what_is_missing() -> None:
    with pytest.raises(DraftingError, match="uses_non_essential_cookies"):
        render("cookie_report", {}, OWNER, "nl", TODAY)


def _leaves_without_all_languages(node: Any, path: str = "") -> list[str]:
    """Return the paths of wording entries that lack nl, fr or en."""
    if isinstance(node, dict):
        if set(node) & set(LANGS):
            return [] if set(LANGS) <= set(node) else [path]
        return [
            p for key, value in node.items() for p in _leaves_without_all_languages(value, f"{path}/{key}")
        ]
    if isinstance(node, list):
        return [
            p for n, value in enumerate(node) for p in _leaves_without_all_languages(value, f"{path}/{n}")
        ]
    return []


def test_wording_covers_every_violation_in_every_language() -> None:
    from tools.base import load_rules
    from tools.cookie_banner import CookieBannerRules
    from tools.drafting.base import wording

    words = wording("cookie_report")
    assert _leaves_without_all_languages(words) == []
    rules = load_rules("cookie_banner", CookieBannerRules)
    for code in rules.violations:
        assert {"title", "what"} <= set(words["violations"][code]) and code in words["retest"]
    assert {p.decision for p in rules.precedents} <= set(words["precedents"])
