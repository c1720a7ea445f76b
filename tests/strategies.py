"""Hypothesis strategies that build valid facts for any tool's pydantic facts model."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal, get_args, get_origin

from hypothesis import strategies as st
from pydantic import BaseModel

DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
DATETIMES = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 12, 31))


def for_annotation(annotation: Any) -> st.SearchStrategy[Any]:
    """Return a strategy of JSON-like values for a field annotation."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(for_annotation(a) for a in get_args(annotation)))
    if origin is Literal:
        return st.sampled_from(get_args(annotation))
    if origin in (list, set, frozenset):
        (inner,) = get_args(annotation) or (str,)
        return st.lists(for_annotation(inner), max_size=4)
    if origin is dict:
        return st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3)
    if annotation is type(None):
        return st.none()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return facts_dicts(annotation)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(min_value=0, max_value=100_000)
    if annotation is float:
        return st.floats(min_value=0, max_value=1e6, allow_nan=False)
    if annotation is dt.datetime:
        return DATETIMES.map(lambda d: d.isoformat(timespec="minutes"))
    if annotation is dt.date:
        return DATES.map(dt.date.isoformat)
    if annotation is str:
        return st.text(max_size=40)
    raise NotImplementedError(f"no strategy for {annotation!r}")


def facts_dicts(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Return dicts of facts for ``model``; optional fields are sometimes left out."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in model.model_fields.items():
        strategy = for_annotation(field.annotation)
        (required if field.is_required() else optional)[name] = strategy
    return st.fixed_dictionaries(required, optional=optional)
