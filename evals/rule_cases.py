"""Compare a tool's verdict with a rule case's expected fields (contracts §4, rule cases)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def as_json(value: Any) -> Any:
    """Return ``value`` as a verdict's JSON dump shows it (YAML dates become ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def _as_set(values: list[Any]) -> set[Any]:
    # Lists compare as sets; `retain` entries as (item, reason, until) triples.
    return {
        (v["item"], v["reason"], v["until"])
        if isinstance(v, dict) and "item" in v
        else repr(v)
        if isinstance(v, dict)
        else v
        for v in values
    }


def mismatches(
    expected: dict[str, Any], verdict: dict[str, Any], accept_also: dict[str, list[Any]] | None = None
) -> list[dict[str, Any]]:
    """Return the expected fields the verdict does not match, with what it gave instead."""
    out: list[dict[str, Any]] = []

    def check(got: Any, want: Any, field: str) -> None:
        if isinstance(want, list):
            ok = isinstance(got, list) and _as_set(got) == _as_set(want)
        elif isinstance(want, dict):
            if not isinstance(got, dict):
                out.append({"field": field, "expected": want, "got": got})
                return
            for key, value in want.items():
                check(got.get(key), value, f"{field}.{key}")
            return
        else:
            ok = got == want or got in (accept_also or {}).get(field, [])
        if not ok:
            out.append({"field": field, "expected": want, "got": got})

    for field, want in as_json(expected).items():
        check(verdict.get(field), want, field)
    return out
