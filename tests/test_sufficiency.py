"""Facts whose answer cannot change the decision are not asked (assistant/sufficiency.py)."""

from __future__ import annotations

from assistant.sufficiency import fact_domain, settle
from tools.registry import assess

MISDIRECTED = {
    "personal_data": True,
    "discovered_at": "2026-11-29T10:00",
    "data_kinds": ["national_number", "contact"],
    "subjects_count": 500,
    "encrypted": False,
}


def test_a_fact_that_cannot_change_the_decision_is_filled_in_and_named() -> None:
    assert assess("breach", MISDIRECTED).outcome != "decided"
    done = settle("breach", MISDIRECTED)
    assert done is not None
    facts, filled = done
    assert filled == ["contained"]
    verdict = assess("breach", facts)
    assert verdict.outcome == "decided"
    # Whatever the owner would say about containment, national numbers of 500 people are reported.
    for contained in (True, False):
        other = assess("breach", {**MISDIRECTED, "contained": contained}).model_dump()
        assert other["notify_authority"] == verdict.model_dump()["notify_authority"]


def test_a_fact_that_decides_is_still_asked() -> None:
    # Whether the accountant decides the purposes is the whole question: never assumed.
    assert settle("dpa", {"provider_type": "accountant", "personal_data_access": "core"}) is None


def test_open_ended_facts_are_never_filled_in() -> None:
    # A date or a number cannot be enumerated, so a missing request date is always asked.
    assert fact_domain("erasure", "request_date") is None
    assert fact_domain("register", "employees") is None
    assert settle("register", {"processing": ["health_data"]}) is None


def test_item_facts_have_the_domain_of_their_item_field() -> None:
    assert fact_domain("web_exposure", "paths[0].requires_login") == [True, False]
    assert fact_domain("register", "frequency") == ["regular", "occasional", "unknown", "none"]
