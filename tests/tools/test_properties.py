"""Properties every rule tool keeps, whatever facts it is given."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import facts_dicts

from knowledge.citations import load_registry
from tools.registry import TOOLS

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_any_valid_facts_give_a_verdict_with_registered_citations(name: str) -> None:
    spec = TOOLS[name]
    registry = load_registry()

    @SETTINGS
    @given(facts_dicts(spec.facts_model))
    def check(raw: dict[str, Any]) -> None:
        try:
            facts = spec.facts_model.model_validate(raw)
        except ValidationError:
            assume(False)
            return
        verdict = spec.assess(facts)
        assert verdict.tool == name
        if verdict.outcome == "need_more_facts":
            assert verdict.missing_facts
        else:
            assert verdict.missing_facts == []
            assert verdict.reasons
        for reason in verdict.reasons:
            assert reason.citations and all(c in registry for c in reason.citations), reason
        assert set(verdict.citations) <= set(registry)
        json.loads(verdict.model_dump_json())

    check()


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_unknown_and_mistyped_facts_are_refused_naming_the_field(name: str) -> None:
    spec = TOOLS[name]

    @SETTINGS
    @given(st.sampled_from(sorted(spec.facts_model.model_fields)), st.sampled_from([{"x": 1}, [[1]], "??"]))
    def check(field: str, bad: object) -> None:
        with pytest.raises(ValidationError) as err:
            spec.facts_model.model_validate({field: bad, "no_such_fact": True})
        locs = {str(e["loc"][0]) for e in err.value.errors()}
        assert "no_such_fact" in locs

    check()
