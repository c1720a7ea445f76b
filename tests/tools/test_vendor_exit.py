"""The vendor_exit tool decides as its case table says and asks only what matters."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from pydantic import ValidationError
from strategies import facts_dicts

from tools.base import load_rules
from tools.explain import explain, wording
from tools.vendor_exit import TOOL, VendorExitFacts, VendorExitRules, assess

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "vendor_exit.yaml").read_text())
SOURCE = (Path(__file__).parents[2] / "tools" / "vendor_exit.py").read_text()
PREPARED: dict[str, Any] = {
    "export_formats": ["csv"],
    "own_backups": True,
    "backup_open_format": True,
    "critical": False,
    "data_location": "eea",
    "return_or_delete_clause": True,
    "data_act_switching_terms": True,
    "vendor_in_difficulty": False,
}


def test_actions_come_in_priority_order() -> None:
    for case in CASES:
        expected = case["expected"].get("actions")
        if expected:
            got = assess(VendorExitFacts.model_validate(case["facts"])).actions
            assert got == expected, case["id"]


def test_every_reason_and_action_is_cited_and_worded() -> None:
    rules = load_rules(TOOL, VendorExitRules)
    emitted = set(re.findall(r'trail\.add\("([A-Z_0-9]+)"', SOURCE)) | set(rules.gap_order)
    assert emitted == set(rules.citations)
    texts = wording(TOOL)
    assert set(rules.action_order) == set(texts["actions"])
    assert set(rules.gap_actions.values()) <= set(rules.action_order)
    for case in CASES:
        verdict = assess(VendorExitFacts.model_validate(case["facts"]))
        assert set(verdict.citations) == {c for r in verdict.reasons for c in r.citations}
        for lang in ("nl", "fr", "en"):
            text = explain(verdict, lang)
            assert "—" not in text and "{" not in text, (case["id"], lang)
            assert all(texts["actions"][a][lang] for a in verdict.actions)


def test_portability_is_flagged_as_a_right_of_individuals() -> None:
    verdict = assess(VendorExitFacts.model_validate(PREPARED))
    assert verdict.portability_note is True
    art20 = next(r for r in verdict.reasons if r.code == "ART20_INDIVIDUALS_ONLY")
    assert art20.citations == ["GDPR Art. 20"]


def test_losing_the_only_copy_points_to_the_breach_duties() -> None:
    failing = {**PREPARED, "own_backups": False, "vendor_in_difficulty": True}
    del failing["backup_open_format"]
    verdict = assess(VendorExitFacts.model_validate(failing))
    assert verdict.possible_availability_breach is True
    assert "ASSESS_AVAILABILITY_BREACH" in verdict.actions
    assert "GDPR Art. 4(12)" in verdict.citations
    healthy = assess(VendorExitFacts.model_validate({**PREPARED, "vendor_in_difficulty": True}))
    assert healthy.possible_availability_breach is False


def test_a_pdf_export_is_not_an_open_export() -> None:
    pdf = assess(VendorExitFacts.model_validate({**PREPARED, "export_formats": ["pdf_only"]}))
    csv = assess(VendorExitFacts.model_validate(PREPARED))
    assert "NO_OPEN_EXPORT" in pdf.gaps
    assert "NO_OPEN_EXPORT" not in csv.gaps


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        VendorExitFacts.model_validate({"export_formats": ["docx"], "data_location": "moon", "colour": "red"})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"export_formats", "data_location", "colour"}


DOMAINS: dict[str, list[Any]] = {
    "export_formats": [["csv"], ["pdf_only"]],
    "own_backups": [True, False],
    "backup_open_format": [True, False],
    "critical": [True, False],
    "escrow": [True, False],
    "data_location": ["eea", "outside_eea", "unknown"],
    "transfer_safeguards": [True, False],
    "return_or_delete_clause": [True, False],
    "data_act_switching_terms": [True, False],
    "vendor_in_difficulty": [True, False],
}


def _decision(facts: dict[str, Any]) -> str:
    verdict = assess(VendorExitFacts.model_validate(facts))
    return verdict.model_dump_json(exclude={"reasons", "citations"})


@pytest.mark.parametrize(
    "start",
    [
        {"own_backups": True, "critical": True, "data_location": "outside_eea"},
        {"own_backups": False, "critical": False, "data_location": "unknown", "personal_data": False},
        {k: v for k, v in PREPARED.items() if k not in {"backup_open_format", "vendor_in_difficulty"}},
    ],
    ids=range(3),
)
def test_every_fact_asked_for_can_change_the_verdict(start: dict[str, Any]) -> None:
    missing = assess(VendorExitFacts.model_validate(start)).missing_facts
    assert missing
    others = [name for name in DOMAINS if name not in start]
    for asked in missing:
        rest = [name for name in others if name != asked]
        changes = False
        for combo in itertools.product(*(DOMAINS[name] for name in rest)):
            filled = {**start, **dict(zip(rest, combo, strict=True))}
            if len({_decision({**filled, asked: value}) for value in DOMAINS[asked]}) > 1:
                changes = True
                break
        assert changes, f"{asked} is asked but never changes the verdict"


def test_facts_not_needed_are_not_asked() -> None:
    no_backups = {**PREPARED, "own_backups": False}
    del no_backups["backup_open_format"]
    assert assess(VendorExitFacts.model_validate(no_backups)).outcome == "decided"
    gdpr_only = {"data_location", "return_or_delete_clause"}
    no_personal_data = {k: v for k, v in PREPARED.items() if k not in gdpr_only}
    verdict = assess(VendorExitFacts.model_validate({**no_personal_data, "personal_data": False}))
    assert verdict.outcome == "decided"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_dicts(VendorExitFacts))
def test_any_facts_give_a_verdict_whose_risk_fits_its_gaps(raw: dict[str, Any]) -> None:
    try:
        facts = VendorExitFacts.model_validate(raw)
    except ValidationError:
        assume(False)
        return
    verdict = assess(facts)
    if verdict.outcome == "need_more_facts":
        assert verdict.missing_facts
        return
    assert verdict.portability_note is True
    assert verdict.reasons and all(r.citations for r in verdict.reasons)
    if verdict.risk_level == "low":
        assert set(verdict.gaps) <= {"NO_DATA_ACT_TERMS"}
        assert not facts.vendor_in_difficulty
    if verdict.risk_level == "critical":
        assert facts.vendor_in_difficulty
        assert verdict.possible_availability_breach == facts.personal_data
