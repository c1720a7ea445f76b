"""Scripted conversations, grouped by phenomenon in tests/conversations/*.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.conversations import run

HERE = Path(__file__).parent / "conversations"
KNOWN_FAILURES = {
    line.strip()
    for line in (HERE / "known_failures.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
CASES = [
    pytest.param(
        conversation,
        id=f"{path.stem}:{conversation['id']}",
        marks=[pytest.mark.slow]
        + (
            [pytest.mark.xfail(reason="known gap, see known_failures.txt")]
            if conversation["id"] in KNOWN_FAILURES
            else []
        ),
    )
    for path in sorted(HERE.glob("*.yaml"))
    for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("conversation", CASES)
def test_conversation(conversation: dict[str, Any], shared_runtime: Any) -> None:
    result = run(shared_runtime, conversation)
    assert result["ok"], result["problems"]
