"""The register tool refuses facts it cannot read, naming them (its cases: test_case_tables.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tools.register import RegisterFacts


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        RegisterFacts.model_validate({"employees": "many", "colour": "red"})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"employees", "colour"}
