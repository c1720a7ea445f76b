"""Percentiles and peak memory, measured the same way by every benchmark."""

from __future__ import annotations

import resource
import statistics
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0–1) of ``values`` by linear interpolation."""
    if not values:
        raise ValueError("no values to summarise")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """Return p50, p95, mean and max of durations in seconds, as milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "max_ms": round(max(ms), 1),
    }


def own_peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def peak_rss_mb(pid: int) -> float | None:
    """Return the peak resident memory (VmHWM) of a running process in MB, None if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None
