"""Decide without asking when no answer to the missing facts could change the verdict.

A tool lists every fact it lacks, but an owner should only be asked what matters: when each
possible answer to the missing yes/no and choice facts leads to the same decision (the tool's
``decisive`` fields in ``assistant/questions/<tool>.yaml``), the assistant answers at once and
says which questions it skipped.
"""

from __future__ import annotations

import itertools
import json
import types
import typing
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from assistant.questions import apply_default, questions, safe_default
from tools.base import Verdict
from tools.registry import assess, get_tool

# Trying every combination costs one rule evaluation each (well under a millisecond); beyond
# this many the question is worth asking anyway.
MAX_COMBINATIONS = 256


def _domain(annotation: Any) -> list[Any] | None:
    """Return the finite set of values a fact can take, or None when it is open (dates, text)."""
    if annotation is bool:
        return [True, False]
    origin = get_origin(annotation)
    if origin is Literal:
        return list(get_args(annotation))
    if origin in (Union, types.UnionType):
        values: list[Any] = []
        for arg in get_args(annotation):
            if arg is type(None):
                continue
            sub = _domain(arg)
            if sub is None:
                return None
            values += sub
        return values
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [m.value for m in annotation]
    return None


def _item_model(annotation: Any) -> type[BaseModel] | None:
    for arg in get_args(annotation) or (annotation,):
        if get_origin(arg) is list:
            inner = get_args(arg)[0]
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        sub = _item_model(arg) if get_args(arg) else None
        if sub is not None:
            return sub
    return None


def fact_domain(tool: str, fact: str) -> list[Any] | None:
    """Return the possible values of a (possibly item) fact of ``tool``, None when open-ended."""
    fields = get_tool(tool).facts_model.model_fields
    if "[" in fact:
        field, _, attr = fact.partition("[")
        attr = attr.split(".", 1)[1] if "." in attr else ""
        if field not in fields:
            return None
        model = _item_model(fields[field].annotation)
        if model is None or attr not in model.model_fields:
            return None
        return _domain(model.model_fields[attr].annotation)
    if fact not in fields:
        return None
    return _domain(fields[fact].annotation)


def _canonical(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(json.dumps(_canonical(v), sort_keys=True, default=str) for v in value)
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def _decision(tool: str, verdict: Verdict) -> str:
    data = verdict.model_dump(mode="json")
    fields = questions(tool).get("decisive") or []
    return json.dumps({f: _canonical(data.get(f)) for f in fields}, sort_keys=True, default=str)


def _outcomes(tool: str, facts: dict[str, Any], budget: list[int]) -> set[str] | None:
    """Collect the decisions every completion of ``facts`` leads to; None when that is unknowable."""
    verdict = assess(tool, facts)
    budget[0] -= 1
    if verdict.outcome == "decided":
        return {_decision(tool, verdict)}
    domains = [fact_domain(tool, f) for f in verdict.missing_facts]
    if not verdict.missing_facts or any(d is None for d in domains):
        return None
    found: set[str] = set()
    for values in itertools.product(*typing.cast(list[list[Any]], domains)):
        if budget[0] <= 0:
            return None
        completed = dict(facts)
        for fact, value in zip(verdict.missing_facts, values, strict=True):
            completed = apply_default(completed, fact, value)
        sub = _outcomes(tool, completed, budget)
        if sub is None:
            return None
        found |= sub
        if len(found) > 1:
            return found
    return found


def settle(tool: str, facts: dict[str, Any]) -> tuple[dict[str, Any], list[str]] | None:
    """Fill in the missing facts that cannot change the decision; None when one could.

    Returns the completed facts (safe-side values where the question file names one) and the
    facts that were filled in, so the answer can say what it did not ask.
    """
    if not questions(tool).get("decisive"):
        return None
    verdict = assess(tool, facts)
    if verdict.outcome == "decided" or not verdict.missing_facts:
        return None
    outcomes = _outcomes(tool, facts, [MAX_COMBINATIONS])
    if outcomes is None or len(outcomes) != 1:
        return None
    filled: list[str] = []
    completed = dict(facts)
    # Every completion decides (checked above), so the safe-side one does within a few rounds.
    current: Verdict = verdict
    for _round in range(MAX_COMBINATIONS):
        if current.outcome == "decided":
            break
        for fact in current.missing_facts:
            known, value = safe_default(tool, fact)
            if not known:
                domain = fact_domain(tool, fact) or [None]
                value = domain[0]
            completed = apply_default(completed, fact, value)
            filled.append(fact)
        current = assess(tool, completed)
    return completed, filled
