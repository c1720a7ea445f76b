"""The dpa tool decides as its case table says."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tools.base import load_rules
from tools.dpa import DpaFacts, DpaRules, assess
from tools.explain import explain, wording

PROCESSOR = {
    "provider_type": "saas_crm",
    "personal_data_access": "core",
    "decides_purposes": False,
    "own_legal_obligations": False,
    "uses_data_for_own_purposes": False,
    "jointly_determines": False,
}


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        DpaFacts.model_validate({"provider_type": "plumber", "personal_data_access": "core", "colour": "red"})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"provider_type", "colour"}


def test_provider_type_does_not_decide() -> None:
    # Same facts, different provider types: the same role (the type only phrases questions).
    for provider in ("saas_crm", "cleaning_company", "lawyer", None):
        verdict = assess(DpaFacts.model_validate({**PROCESSOR, "provider_type": provider}))
        assert verdict.role == "processor"
        assert verdict.dpa_required is True


def test_unknown_location_is_flagged_not_asked() -> None:
    verdict = assess(DpaFacts.model_validate(PROCESSOR))
    assert verdict.outcome == "decided"
    assert verdict.transfer_safeguards_required is False
    assert "R_CHECK_DATA_LOCATION" in [r.code for r in verdict.reasons]
    known = assess(DpaFacts.model_validate({**PROCESSOR, "data_outside_eea": False}))
    assert "R_CHECK_DATA_LOCATION" not in [r.code for r in known.reasons]


def test_checklist_items_map_to_gdpr_and_model_clauses() -> None:
    verdict = assess(DpaFacts.model_validate(PROCESSOR))
    refs = {ref.code: ref for ref in verdict.checklist_refs}
    assert refs["ART28_3_H_AUDITS"].gdpr == "GDPR Art. 28(3)(h)"
    assert refs["ART28_3_H_AUDITS"].scc.startswith("Clause 7.6")
    assert refs["BREACH_NOTIFICATION"].gdpr == "GDPR Art. 33(2)"
    letters = [c for c in verdict.checklist if c.startswith("ART28_3_")]
    assert [c.split("_")[2] for c in letters] == list("ABCDEFGH")


def test_accountant_verdict_says_views_differ() -> None:
    facts = {**PROCESSOR, "provider_type": "accountant"}
    codes = [r.code for r in assess(DpaFacts.model_validate(facts)).reasons]
    assert "R_ROLE_PER_SERVICE" in codes
    assert "R_ROLE_PER_SERVICE" not in [r.code for r in assess(DpaFacts.model_validate(PROCESSOR)).reasons]


def test_rule_file_cites_every_code_and_wording_covers_it() -> None:
    rules = load_rules("dpa", DpaRules)
    texts = wording("dpa")
    for code in rules.citations:
        assert set(texts["reasons"][code]) == {"nl", "fr", "en"}, code
    for entry in rules.checklist:
        assert set(texts["checklist"][entry.code]) == {"nl", "fr", "en"}, entry.code


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_explained_in_each_language(lang: str) -> None:
    text = explain(assess(DpaFacts.model_validate(PROCESSOR)), lang)
    assert text.startswith("**")
    assert "GDPR Art. 28(3)" in text
