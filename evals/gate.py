"""Hold a report to the floors and ceilings of a thresholds file (the CI quality gate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

Side = Literal["floor", "ceiling"]


class GateError(ValueError):
    """A thresholds file that cannot be used; the message names the file."""


class Thresholds(BaseModel):
    """Metric paths into report.json (``questions.topic_accuracy``) with their bounds."""

    model_config = ConfigDict(extra="forbid")

    floors: dict[str, float] = {}
    ceilings: dict[str, float] = {}


class Miss(BaseModel):
    """A metric on the wrong side of its bound, or missing from a dataset kind that ran."""

    metric: str
    value: float | None
    bound: float
    side: Side

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.metric}: missing from the report ({self.side} {self.bound})"
        relation = "below the floor" if self.side == "floor" else "above the ceiling"
        return f"{self.metric} = {self.value:g} is {relation} {self.bound:g}"


class GateResult(BaseModel):
    """What the gate checked, what fell short and what it skipped (dataset kind not run)."""

    checked: list[str]
    misses: list[Miss]
    skipped: list[str]

    @property
    def passed(self) -> bool:
        """Tell whether every checked metric is within its bound."""
        return not self.misses


def load_thresholds(path: Path) -> Thresholds:
    """Read a thresholds YAML file (``floors:`` and ``ceilings:`` maps)."""
    try:
        return Thresholds.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except OSError as exc:
        raise GateError(f"cannot read thresholds {path}: {exc.strerror}") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise GateError(f"{path}: not a thresholds file (floors/ceilings of metric: number): {exc}") from None


def _lookup(report: dict[str, Any], metric: str) -> Any:
    value: Any = report
    for part in metric.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def check(report: dict[str, Any], thresholds: Thresholds) -> GateResult:
    """Compare the report's metrics with the thresholds."""
    checked: list[str] = []
    misses: list[Miss] = []
    skipped: list[str] = []
    floor: Side = "floor"
    ceiling: Side = "ceiling"
    bounds = [(m, b, floor) for m, b in thresholds.floors.items()]
    bounds += [(m, b, ceiling) for m, b in thresholds.ceilings.items()]
    for metric, bound, side in bounds:
        # A kind that was not run (no dataset of it given) is skipped; a missing metric of one
        # that ran is a failure, so renaming a metric cannot silently switch its gate off.
        if metric.split(".", 1)[0] not in report:
            skipped.append(metric)
            continue
        checked.append(metric)
        value = _lookup(report, metric)
        if not isinstance(value, int | float) or isinstance(value, bool):
            misses.append(Miss(metric=metric, value=None, bound=bound, side=side))
        elif (side == "floor" and value < bound) or (side == "ceiling" and value > bound):
            misses.append(Miss(metric=metric, value=float(value), bound=bound, side=side))
    return GateResult(checked=checked, misses=misses, skipped=skipped)


def describe(result: GateResult) -> str:
    """Return the gate's verdict as lines for the terminal."""
    lines = [f"gate: {'passed' if result.passed else 'FAILED'} ({len(result.checked)} metrics checked)"]
    lines += [f"  FAIL {miss}" for miss in result.misses]
    if result.skipped:
        lines.append(f"  skipped (no dataset of that kind): {', '.join(result.skipped)}")
    return "\n".join(lines)
