"""The rule tools by name, with their facts models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from tools import breach, cookie_banner, dpa, erasure, photos, register, vendor_exit, web_exposure
from tools.base import Facts, ToolError, Verdict


@dataclass(frozen=True)
class ToolSpec:
    """A tool's name, facts model and assess function."""

    name: str
    facts_model: type[Facts]
    assess: Callable[[Any], Verdict]
    summary: str


def _spec(module: ModuleType, facts_model: type[Facts]) -> ToolSpec:
    return ToolSpec(module.TOOL, facts_model, module.assess, (module.__doc__ or "").strip())


TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        _spec(register, register.RegisterFacts),
        _spec(dpa, dpa.DpaFacts),
        _spec(erasure, erasure.ErasureFacts),
        _spec(photos, photos.PhotosFacts),
        _spec(cookie_banner, cookie_banner.CookieBannerFacts),
        _spec(breach, breach.BreachFacts),
        _spec(web_exposure, web_exposure.WebExposureFacts),
        _spec(vendor_exit, vendor_exit.VendorExitFacts),
    )
}


def known_tool(name: str) -> str:
    """Return ``name`` when it is a tool, else raise a ValueError listing the known ones (validators)."""
    if name not in TOOLS:
        raise ValueError(f"unknown tool {name!r}; known tools: {', '.join(sorted(TOOLS))}")
    return name


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
