"""Every verdict of every case table can be explained in nl, fr and en."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.explain import explain
from tools.registry import TOOLS

CASES_DIR = Path(__file__).parent / "cases"
CASES = [
    (path.stem, case)
    for path in sorted(CASES_DIR.glob("*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]


def test_every_tool_has_a_case_table() -> None:
    assert {tool for tool, _ in CASES} == set(TOOLS)


@pytest.mark.parametrize(("tool", "case"), CASES, ids=[f"{t}:{c['id']}" for t, c in CASES])
def test_case_verdict_is_explained_in_every_language(tool: str, case: dict[str, Any]) -> None:
    spec = TOOLS[tool]
    verdict = spec.assess(spec.facts_model.model_validate(case["facts"]))
    texts = {lang: explain(verdict, lang) for lang in ("nl", "fr", "en")}
    for lang, text in texts.items():
        assert text.strip(), lang
        assert "{" not in text and "}" not in text, (lang, text)
        for reason in verdict.reasons:
            assert "; ".join(reason.citations) in text
    if verdict.reasons:
        assert len({texts["nl"], texts["fr"], texts["en"]}) == 3
