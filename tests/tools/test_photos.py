"""The photos tool decides as its case table says."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tools.base import load_rules
from tools.explain import explain, wording
from tools.photos import PhotosFacts, PhotosRules, assess

CROWD = {
    "identifiable": True,
    "setting": "ambient_crowd",
    "subjects": ["clients"],
    "channel": "website",
    "prior_notice": True,
    "opt_out_offered": True,
}


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        PhotosFacts.model_validate({"identifiable": True, "subjects": ["pets"], "flash": True})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"subjects", "flash"}


def test_strictest_group_sets_the_basis() -> None:
    mixed = {**CROWD, "subjects": ["clients", "patients", "children"], "consent_obtained": False}
    verdict = assess(PhotosFacts.model_validate(mixed))
    assert verdict.basis == "explicit_consent"
    assert {"EXPLICIT_CONSENT", "PARENTAL_CONSENT"} <= set(verdict.conditions)


def test_staff_consent_does_not_replace_notice_and_opt_out() -> None:
    # EDPB 05/2020: staff consent is rarely free, so a crowd shot with staff stays on notice + opt-out.
    facts = {**CROWD, "subjects": ["employees"], "consent_obtained": True, "prior_notice": False}
    verdict = assess(PhotosFacts.model_validate(facts))
    assert verdict.allowed == "with_notice_and_optout"
    assert verdict.basis == "legitimate_interest"


def test_a_refusal_wins_over_consent() -> None:
    facts = {**CROWD, "setting": "targeted_portrait", "consent_obtained": True, "removal_requested": True}
    verdict = assess(PhotosFacts.model_validate(facts))
    assert (verdict.allowed, verdict.basis, verdict.person_specific) == ("no", "none", True)


def test_patients_need_no_setting() -> None:
    verdict = assess(PhotosFacts.model_validate({"identifiable": True, "subjects": ["patients"]}))
    assert verdict.missing_facts == ["consent_obtained"]


def test_rule_file_cites_every_code_and_wording_covers_it() -> None:
    rules = load_rules("photos", PhotosRules)
    texts = wording("photos")
    for code in rules.citations:
        assert set(texts["reasons"][code]) == {"nl", "fr", "en"}, code
    for codes in rules.conditions.values():
        for code in codes:
            assert set(texts["conditions"][code]) == {"nl", "fr", "en"}, code


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_explained_in_each_language(lang: str) -> None:
    text = explain(assess(PhotosFacts.model_validate(CROWD)), lang)
    assert text.startswith("**")
    assert "GDPR Art. 6(1)(f)" in text
