"""The benchmark's arithmetic and report, checked without running the benchmark."""

from __future__ import annotations

from typing import Any

import pytest

from bench.report import markdown
from bench.stats import percentile, summary_ms
from bench.web import pending


def test_percentiles_interpolate_between_samples() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert percentile([10.0, 20.0], 0.95) == pytest.approx(19.5)
    assert summary_ms([0.010, 0.020, 0.030])["p50_ms"] == 20.0


def _results(**web50: Any) -> dict[str, Any]:
    web = pending()
    if web50:
        web["50"] = web50
    return {
        "turn": {
            "p50_ms": 48.0,
            "p95_ms": 76.0,
            "floor_ms": 32.0,
            "floor_p95_ms": 48.0,
            "ratio_p95_to_floor": 1.6,
            "ratio_p95_to_floor_p50": 2.4,
            "overhead_p50_ms": 15.0,
            "overhead_p95_ms": 39.0,
            "n": 162,
        },
        "cold_start_s": 16.2,
        "cold_start_cli_s": 7.8,
        "cold_start": {"serve_page_s": 2.4},
        "index": {"full_s": 69.0, "chunks": 606, "chunks_per_s": 8.9, "noop_s": 1.1},
        "web": web,
        "rss_mb": 1013.0,
        "rss": {"turns_mb": 1101.0},
        "meta": {
            "generated_at": "2026-11-29T03:29:51+00:00",
            "commit": "abc1234",
            "cpus": 2,
            "load_before": 2.7,
            "load_after": 3.4,
            "duration_s": 160.0,
        },
    }


def test_report_marks_each_target_and_leaves_the_web_slot_pending() -> None:
    table = markdown(_results())
    assert "| turn p95 / floor p95 | 1.6× | ≤ 3× | met |" in table
    assert "16.2 s (page 2.4 s) | ≤ 15 s | **missed** |" in table
    assert "(not measured yet)" in table and "| pending |" in table


def test_report_judges_the_web_numbers_once_they_are_measured() -> None:
    table = markdown(_results(p50_ms=300.0, p95_ms=800.0, errors=1, rss_mb=1200.0))
    assert "50: 300/800 ms, 1 err" in table and table.rstrip().count("**missed**") == 2
