"""Under many concurrent web sessions, no session sees another's facts, verdicts or drafts.

Each session seeds markers only it may see (a made-up customer reference in its messages, a
request date of its own that makes its erasure verdict and its draft unique); the load driver
is the one ``make bench`` uses (bench/web.py).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from bench import web

SESSIONS = 50


def test_the_leak_detector_finds_a_planted_leak() -> None:
    # Guard against a check that can never fail: plant another session's verdict in a reply.
    mine, theirs = web.Script(0), web.Script(1)
    assert len({m for s in (mine, theirs) for m in s.markers}) == 6
    clean = web.SessionResult(mine, received=[f"Oordeel ... {mine.verdict_phrase}."])
    leaky = web.SessionResult(theirs, received=[f"... {mine.draft_phrase} ..."])
    found = web.isolation([clean, leaky])
    assert found["leaks"] == 1 and mine.draft_phrase in found["leak_examples"][0]


def test_every_session_gets_distinct_markers() -> None:
    scripts = [web.Script(i) for i in range(SESSIONS)]
    markers = [m for s in scripts for m in s.markers]
    assert len(set(markers)) == len(markers)
    # No marker is a part of another (which would make the scan report false leaks).
    assert not [(a, b) for a in markers for b in markers if a != b and a in b]


@pytest.mark.slow
def test_concurrent_sessions_never_see_each_others_facts_verdicts_or_drafts(
    built_index: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "KOMPAS_CHROMA": str(built_index),
        "KOMPAS_CHECKPOINTER": str(tmp_path / "web.sqlite"),
    }
    with web.servers(env, 1) as running:
        url = running[0][1]
        started = time.perf_counter()
        result = asyncio.run(web.load([url], SESSIONS))
        took = time.perf_counter() - started
    # Every turn answered with the session's own content: its verdict and its draft.
    assert result["errors"] == 0, result["error_examples"]
    assert result["turns"] == SESSIONS * web.TURNS_PER_SESSION
    isolation = result["isolation"]
    assert isolation["leaks"] == 0, isolation["leak_examples"]
    assert isolation["own_drafts"] == SESSIONS
    # Another session's draft is refused to a session that asks for it with its own id.
    assert isolation["foreign_drafts_served"] == 0
    assert took < 60, f"{SESSIONS} sessions took {took:.0f}s"
