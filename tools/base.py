"""What every rule tool shares: facts and verdict base models, reasons, rule files."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

RULES_DIR = Path(__file__).with_name("rules")
# The calendar a small business's case lives in. Deadline arithmetic (a month, 72 hours, years
# of retention) on a date near year 1 or 9999 would leave the range Python's dates can hold.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)


class ToolError(Exception):
    """A rule file is missing or malformed, or a tool name is unknown."""


class Facts(BaseModel):
    """Base of every tool's facts: unknown keys and wrong types are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _within_calendar(cls, value: Any) -> Any:
        day = value.date() if isinstance(value, dt.datetime) else value
        if isinstance(day, dt.date) and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValueError(f"must lie between {EARLIEST_DATE} and {LATEST_DATE}")
        return value


class Reason(BaseModel):
    """One rule that fired, with the legal sources it rests on."""

    code: str
    citations: list[str] = Field(min_length=1)


class Verdict(BaseModel):
    """The fields every verdict carries (contracts §2)."""

    tool: str
    outcome: Literal["decided", "need_more_facts"]
    missing_facts: list[str] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    rules_version: str


class RuleFile(BaseModel):
    """A dated, sourced rule file (``tools/rules/<tool>.yaml``)."""

    model_config = ConfigDict(extra="allow")

    tool: str
    version: str
    valid_from: dt.date
    last_reviewed: dt.date
    sources: list[str] = Field(min_length=1)
    citations: dict[str, list[str]] = Field(description="reason code → citation labels")


R = TypeVar("R", bound=RuleFile)


def load_rules(tool: str, model: type[R]) -> R:
    """Load and validate the rule file of ``tool`` into its typed model (cached)."""
    return _load_rules(tool, model)  # type: ignore[return-value]


@cache
def _load_rules(tool: str, model: type[RuleFile]) -> RuleFile:
    path = RULES_DIR / f"{tool}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ToolError(f"{path}: rule file missing") from exc
    except yaml.YAMLError as exc:
        raise ToolError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}" for e in exc.errors())
        raise ToolError(f"{path}: invalid rule file: {fields}") from exc


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """Return where and what the YAML error is, on one line."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).replace("\n", " ")
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else problem


class Trail:
    """Collect reasons while a rule decides, each with its citations from the rule file."""

    def __init__(self, rules: RuleFile) -> None:
        self.rules = rules
        self.reasons: list[Reason] = []

    def add(self, code: str, *extra_citations: str) -> None:
        """Record that rule ``code`` fired."""
        cites = [*self.rules.citations.get(code, []), *extra_citations]
        if not cites:
            raise ToolError(f"rule file {self.rules.tool}.yaml gives no citation for {code}")
        self.reasons.append(Reason(code=code, citations=list(dict.fromkeys(cites))))

    @property
    def citations(self) -> list[str]:
        """Return every citation used so far, in order, without repeats."""
        return list(dict.fromkeys(c for r in self.reasons for c in r.citations))

    def common(self, tool: str, **fields: Any) -> dict[str, Any]:
        """Return the common verdict fields for a decided verdict."""
        return {
            "tool": tool,
            "outcome": "decided",
            "missing_facts": [],
            "reasons": self.reasons,
            "citations": self.citations,
            "rules_version": self.rules.version,
            **fields,
        }


def need_more(tool: str, rules: RuleFile, missing: list[str]) -> dict[str, Any]:
    """Return the common fields of a ``need_more_facts`` verdict."""
    return {
        "tool": tool,
        "outcome": "need_more_facts",
        "missing_facts": missing,
        "reasons": [],
        "citations": [],
        "rules_version": rules.version,
    }
