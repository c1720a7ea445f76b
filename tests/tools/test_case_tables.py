"""Every tool decides as its case table says; every table is large enough and sourced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.rule_cases import mismatches
from tools.registry import TOOLS

CASES_DIR = Path(__file__).parent / "cases"
# Core tools (contracts §2.1–2.5) need at least 15 cases, the further tools 8.
MINIMUM = {"register": 15, "dpa": 15, "erasure": 15, "photos": 15, "cookie_banner": 15}
TABLES = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(CASES_DIR.glob("*.yaml"))
}
CASES = [(tool, case) for tool, cases in TABLES.items() for case in cases]


@pytest.mark.parametrize(("tool", "case"), CASES, ids=[f"{t}:{c['id']}" for t, c in CASES])
def test_case_table(tool: str, case: dict[str, Any]) -> None:
    spec = TOOLS[tool]
    verdict = spec.assess(spec.facts_model.model_validate(case["facts"])).model_dump(mode="json")
    assert mismatches(case["expected"], verdict, case.get("accept_also")) == []


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_case_table_is_large_enough_and_sourced(tool: str) -> None:
    cases = TABLES[tool]
    assert len(cases) >= MINIMUM.get(tool, 8)
    assert all(case.get("source") for case in cases)
    assert len({case["id"] for case in cases}) == len(cases)


@pytest.mark.parametrize(("tool", "case"), CASES, ids=[f"{t}:{c['id']}" for t, c in CASES])
def test_every_reason_carries_its_citations(tool: str, case: dict[str, Any]) -> None:
    spec = TOOLS[tool]
    verdict = spec.assess(spec.facts_model.model_validate(case["facts"]))
    assert all(reason.citations for reason in verdict.reasons)
    assert set(verdict.citations) == {c for r in verdict.reasons for c in r.citations}
