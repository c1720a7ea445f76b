"""Index build time: a full build into an empty folder, then a no-op re-run."""

from __future__ import annotations

import re
import subprocess
import time
from typing import Any

from bench.procs import KOMPAS

# "index: 606 chunks, 606 embedded, 0 unchanged, 0 deleted in 71.20s (model …)"
REPORT = re.compile(r"index: (\d+) chunks, (\d+) embedded, (\d+) unchanged, (\d+) deleted in ([\d.]+)s")


def _run_index(env: dict[str, str]) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    result = subprocess.run([KOMPAS, "index"], env=env, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - started
    match = REPORT.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise RuntimeError(f"kompas index failed ({result.returncode}): {result.stderr[-500:]}")
    chunks, embedded, unchanged, deleted, seconds = match.groups()
    return wall, {
        "chunks": int(chunks),
        "embedded": int(embedded),
        "unchanged": int(unchanged),
        "deleted": int(deleted),
        "build_s": float(seconds),
    }


def measure(env: dict[str, str]) -> dict[str, Any]:
    """Build the index from nothing with ``env`` (an empty data folder), then run it again."""
    full_wall, full = _run_index(env)
    noop_wall, noop = _run_index(env)
    if full["embedded"] != full["chunks"] or noop["embedded"] != 0:
        raise RuntimeError(f"unexpected index runs: full {full}, no-op {noop}")
    return {
        # Wall time of the command a user types, process start and imports included.
        "full_s": round(full_wall, 2),
        "full_build_s": full["build_s"],
        "chunks": full["chunks"],
        "chunks_per_s": round(full["chunks"] / full["build_s"], 1),
        "noop_s": round(noop_wall, 2),
        "noop_build_s": noop["build_s"],
    }
