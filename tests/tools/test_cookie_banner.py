"""The cookie_banner tool decides as its case table says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from tools.cookie_banner import CookieBannerFacts, assess
from tools.explain import explain, wording

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "cookie_banner.yaml").read_text())
ROOT = Path(__file__).resolve().parents[2]
RULES = yaml.safe_load((ROOT / "tools" / "rules" / "cookie_banner.yaml").read_text())
CLEAN = next(c["facts"] for c in CASES if c["id"] == "clean-banner")


def test_compliant_exactly_when_no_violations() -> None:
    for case in CASES:
        verdict = assess(CookieBannerFacts.model_validate(case["facts"]))
        if verdict.outcome == "decided":
            assert verdict.compliant is (not verdict.violations), case["id"]


def test_findings_are_ranked_with_fix_and_citations() -> None:
    facts = {**CLEAN, "vendors_listed": False, "deceptive_design": True, "pre_ticked_boxes": True}
    verdict = assess(CookieBannerFacts.model_validate(facts))
    assert [(f.code, f.priority) for f in verdict.findings] == [
        ("PRE_TICKED", "high"),
        ("DECEPTIVE_DESIGN", "medium"),
        ("MISSING_THIRD_PARTIES", "low"),
    ]
    assert verdict.violations == [f.code for f in verdict.findings]
    reasons = {r.code: r.citations for r in verdict.reasons}
    for finding in verdict.findings:
        assert finding.fix and finding.citations == reasons[finding.code]
    assert "CJEU C-673/17 Planet49" in verdict.findings[0].citations


def test_rtl_precedent_is_a_compliance_order_not_a_fine() -> None:
    facts = {**CLEAN, "reject_button_first_layer": False, "reject_as_link_only": False}
    verdict = assess(CookieBannerFacts.model_validate(facts))
    assert "GBA decision 131/2024" in verdict.precedents
    text = explain(verdict, "en")
    assert "not a fine" in text and "GBA decision 131/2024" in text


def test_a_clean_banner_has_no_precedents() -> None:
    assert assess(CookieBannerFacts.model_validate(CLEAN)).precedents == []


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        CookieBannerFacts.model_validate({"cookies_before_consent": ["tracking"], "colour": "red"})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"cookies_before_consent", "colour"}


def test_missing_facts_are_never_facts_already_given() -> None:
    for case in CASES:
        verdict = assess(CookieBannerFacts.model_validate(case["facts"]))
        given = {k for k, v in case["facts"].items() if v is not None}
        assert not given & set(verdict.missing_facts), case["id"]


def test_every_code_and_fix_is_worded_in_three_languages() -> None:
    words = wording("cookie_banner")
    for code in RULES["citations"]:
        assert set(words["reasons"][code]) == {"nl", "fr", "en"}, code
    for rule in RULES["violations"].values():
        assert set(words["fixes"][rule["fix"]]) == {"nl", "fr", "en"}, rule["fix"]
    assert set(RULES["violations"]) <= set(RULES["citations"])
