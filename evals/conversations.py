"""Run scripted conversations (contracts §4) and score what is mechanical."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from assistant.conversation import ask
from assistant.runtime import Runtime

VERDICT_SKIP = {"tool"}


def _check(expected: dict[str, Any], turn: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if "kind" in expected and turn["kind"] != expected["kind"]:
        problems.append(f"kind {turn['kind']} != {expected['kind']}")
    if expected.get("must_ask") and not set(expected["must_ask"]) <= set(turn.get("asks") or []):
        problems.append(f"asks {turn.get('asks')} lack {expected['must_ask']}")
    for field, value in (expected.get("verdict") or {}).items():
        got = (turn.get("verdict") or {}).get(field)
        if isinstance(value, list) and isinstance(got, list):
            same = {str(v) for v in got} == {str(v) for v in value}
        else:
            # YAML reads 2026-12-09 as a date; the turn JSON has the ISO string.
            same = got == value or (got is not None and str(got) == str(value))
        if not same:
            problems.append(f"verdict.{field} {got!r} != {value!r}")
    if "artefact" in expected:
        got_type = (turn.get("artefact") or {}).get("type")
        if got_type != (expected["artefact"] or {}).get("type"):
            problems.append(f"artefact {got_type} != {expected['artefact']}")
    for text in expected.get("must_include") or []:
        if text.lower() not in turn["text"].lower():
            problems.append(f"missing {text!r}")
    for text in expected.get("must_not") or []:
        if text.lower() in turn["text"].lower():
            problems.append(f"says {text!r}")
    return problems


def run(runtime: Runtime, conversation: dict[str, Any]) -> dict[str, Any]:
    """Feed the user turns in order and check each assistant expectation."""
    thread = f"conv-{uuid.uuid4().hex}"
    today = dt.date.fromisoformat(str(conversation.get("context_date") or dt.date.today()))
    transcript: list[dict[str, Any]] = []
    problems: list[str] = []
    last: dict[str, Any] | None = None
    clar_total = clar_ok = final_total = final_ok = 0
    for turn in conversation["turns"]:
        if turn["role"] == "user":
            last = ask(turn["text"], thread_id=thread, today=today, runtime=runtime).model_dump(mode="json")
            transcript.append({"user": turn["text"], "assistant": last})
            continue
        expected = turn.get("expected") or {}
        if last is None or not expected:
            continue
        found = _check(expected, last)
        problems += found
        if "must_ask" in expected:
            clar_total += 1
            clar_ok += not found
        if "verdict" in expected:
            final_total += 1
            final_ok += not found
    return {
        "id": conversation["id"],
        "ok": not problems,
        "problems": problems,
        "clarification": (clar_ok, clar_total),
        "final": (final_ok, final_total),
        "transcript": transcript,
    }
