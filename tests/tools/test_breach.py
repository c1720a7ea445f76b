"""The breach tool decides as its case table says and asks only what matters."""

from __future__ import annotations

import datetime as dt
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
from tools.breach import TOOL, BreachFacts, BreachRules, assess, notify_deadline
from tools.explain import explain

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "breach.yaml").read_text())
RULES_FILE = Path(__file__).parents[2] / "tools" / "rules" / "breach.yaml"


def test_every_reason_carries_a_citation_and_wording() -> None:
    for case in CASES:
        verdict = assess(BreachFacts.model_validate(case["facts"]))
        assert all(reason.citations for reason in verdict.reasons)
        assert set(verdict.citations) == {c for r in verdict.reasons for c in r.citations}
        for lang in ("nl", "fr", "en"):
            text = explain(verdict, lang)
            assert "—" not in text and "{" not in text, (case["id"], lang)


def test_rule_file_cites_every_code_it_can_emit() -> None:
    rules = load_rules(TOOL, BreachRules)
    source = (Path(__file__).parents[2] / "tools" / "breach.py").read_text()
    emitted = set(re.findall(r'trail\.add\("([A-Z_0-9]+)"', source))
    assert emitted == set(rules.citations)


def test_weekend_counts_towards_the_72_hours() -> None:
    friday = dt.datetime(2026, 11, 27, 17, 45)
    assert notify_deadline(friday, 72, "Europe/Brussels") == dt.datetime(2026, 11, 30, 17, 45)


def test_autumn_clock_change_gives_an_earlier_wall_clock_deadline() -> None:
    # Summer time ends on 25 October 2026: 72 elapsed hours end one wall-clock hour earlier.
    discovered = dt.datetime(2026, 10, 23, 10, 0)
    assert notify_deadline(discovered, 72, "Europe/Brussels") == dt.datetime(2026, 10, 26, 9, 0)


def test_discovery_time_without_seconds_is_accepted() -> None:
    facts = BreachFacts.model_validate({"discovered_at": "2026-11-27T14:30", "personal_data": True})
    assert facts.discovered_at == dt.datetime(2026, 11, 27, 14, 30)


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        BreachFacts.model_validate(
            {"discovered_at": "last friday", "data_kinds": ["gossip"], "subjects_count": -3, "colour": "red"}
        )
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"discovered_at", "data_kinds", "subjects_count", "colour"}


def test_contradictory_facts_are_refused() -> None:
    with pytest.raises(ValidationError, match="availability_only"):
        BreachFacts.model_validate({"availability_only": True, "publicly_exposed": True})


def test_no_notification_means_no_deadline_and_no_question_about_the_time() -> None:
    facts = {"personal_data": True, "data_kinds": ["contact"], "recipient_trusted": True, "contained": True}
    verdict = assess(BreachFacts.model_validate(facts))
    assert verdict.outcome == "decided"
    assert verdict.notify_authority is False
    assert verdict.notify_deadline is None


def test_late_notification_gives_a_reason_to_explain_the_delay() -> None:
    base = {
        "discovered_at": "2026-11-20T09:00",
        "personal_data": True,
        "data_kinds": ["health"],
        "encrypted": False,
        "contained": True,
    }
    on_time = assess(BreachFacts.model_validate({**base, "now": "2026-11-23T08:59"}))
    late = assess(BreachFacts.model_validate({**base, "now": "2026-11-23T09:01"}))
    assert on_time.deadline_passed is False
    assert late.deadline_passed is True
    assert "NOTIFY_LATE" in {r.code for r in late.reasons}
    assert "NOTIFY_LATE" not in {r.code for r in on_time.reasons}


# Values standing for every class of answer the rules distinguish.
DOMAINS: dict[str, list[Any]] = {
    "discovered_at": ["2026-11-27T09:00", "2026-11-20T09:00"],
    "data_kinds": [["contact"], ["health"], ["credentials"], ["financial"]],
    "contained": [True, False],
    "encrypted": [True, False],
    "backup_restored": [True, False],
    "subjects_count": [5, 500],
}
STARTS: list[dict[str, Any]] = [
    {"personal_data": True},
    {"personal_data": True, "encrypted": True},
    {"personal_data": True, "availability_only": True},
    {"personal_data": True, "recipient_trusted": True},
    {"personal_data": True, "publicly_exposed": True, "data_kinds": ["contact"]},
    {"personal_data": True, "encrypted": False, "data_kinds": ["contact"], "contained": True},
]


def _decision(facts: dict[str, Any]) -> str:
    verdict = assess(BreachFacts.model_validate(facts))
    return verdict.model_dump_json(exclude={"reasons", "citations"})


@pytest.mark.parametrize("start", STARTS, ids=range(len(STARTS)))
def test_every_fact_asked_for_can_change_the_verdict(start: dict[str, Any]) -> None:
    missing = assess(BreachFacts.model_validate(start)).missing_facts
    assert missing
    others = [name for name in DOMAINS if name not in start]
    for asked in missing:
        rest = [name for name in others if name != asked]
        changes = False
        for combo in itertools.product(*(DOMAINS[name] for name in rest)):
            filled = {**start, **dict(zip(rest, combo, strict=True))}
            outcomes = {_decision({**filled, asked: value}) for value in DOMAINS[asked]}
            if len(outcomes) > 1:
                changes = True
                break
        assert changes, f"{asked} is asked but never changes the verdict"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_dicts(BreachFacts))
def test_any_facts_give_a_cited_verdict_and_document_internally(raw: dict[str, Any]) -> None:
    try:
        facts = BreachFacts.model_validate(raw)
    except ValidationError:
        assume(False)
        return
    verdict = assess(facts)
    if verdict.outcome == "need_more_facts":
        assert verdict.missing_facts
        return
    assert verdict.document_internally is True
    assert verdict.reasons and all(r.citations for r in verdict.reasons)
    assert (verdict.notify_deadline is not None) == bool(verdict.notify_authority)
    if verdict.inform_individuals == "required":
        assert verdict.notify_authority is True
