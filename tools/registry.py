"""The rule tools by name, with their facts models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tools import register
from tools.base import Facts, ToolError, Verdict


@dataclass(frozen=True)
class ToolSpec:
    """A tool's name, facts model and assess function."""

    name: str
    facts_model: type[Facts]
    assess: Callable[[Any], Verdict]
    summary: str


TOOLS: dict[str, ToolSpec] = {
    "register": ToolSpec("register", register.RegisterFacts, register.assess, register.__doc__ or ""),
}


def get_tool(name: str) -> ToolSpec:
    """Return the tool called ``name``, or raise a ToolError listing the known ones."""
    try:
        return TOOLS[name]
    except KeyError:
        raise ToolError(f"unknown tool {name!r}; known tools: {', '.join(sorted(TOOLS))}") from None


def assess(name: str, facts: dict[str, Any]) -> Verdict:
    """Validate ``facts`` for tool ``name`` and return its verdict."""
    spec = get_tool(name)
    return spec.assess(spec.facts_model.model_validate(facts))
