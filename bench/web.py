"""Concurrent web sessions (issue 9): a slot, filled once the web chat has landed.

Until then ``make bench`` writes nulls here rather than numbers nobody measured.
"""

from __future__ import annotations

from typing import Any

SESSIONS = (10, 25, 50)
TURNS_PER_SESSION = 5
NOTE = (
    "not measured yet: N concurrent Chainlit sessions x 5 turns arrive with the web-concurrency "
    "step of issue 9 (bench/web.py)"
)


def pending() -> dict[str, Any]:
    """Return the web block with every number null and a note saying why."""
    block: dict[str, Any] = {
        str(n): {"p50_ms": None, "p95_ms": None, "errors": None, "rss_mb": None} for n in SESSIONS
    }
    block["note"] = NOTE
    return block
