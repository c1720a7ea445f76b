"""The register tool decides as its case table says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from tools.register import RegisterFacts, assess

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "register.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_table(case: dict[str, Any]) -> None:
    verdict = assess(RegisterFacts.model_validate(case["facts"])).model_dump(mode="json")
    for field, expected in case["expected"].items():
        got = verdict[field]
        if isinstance(expected, list):
            assert set(got) == set(expected), field
        else:
            assert got == expected, field


def test_every_reason_carries_a_citation() -> None:
    for case in CASES:
        verdict = assess(RegisterFacts.model_validate(case["facts"]))
        assert all(reason.citations for reason in verdict.reasons)
        assert set(verdict.citations) == {c for r in verdict.reasons for c in r.citations}


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        RegisterFacts.model_validate({"employees": "many", "colour": "red"})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"employees", "colour"}
