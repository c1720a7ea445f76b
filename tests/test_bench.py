"""The benchmark's arithmetic and report, checked without running the benchmark."""

from __future__ import annotations

from typing import Any

import pytest

from bench.report import markdown
from bench.stats import percentile, summary_ms
from bench.web import pending, skipped


def test_percentiles_interpolate_between_samples() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert percentile([10.0, 20.0], 0.95) == pytest.approx(19.5)
    assert summary_ms([0.010, 0.020, 0.030])["p50_ms"] == 20.0


def _results(scaled: dict[str, Any] | None = None, **web50: Any) -> dict[str, Any]:
    web = pending()
    if web50:
        web["50"] = web50
    extra: dict[str, Any] = {}
    if scaled is not None:
        extra = {
            "web_scaled": scaled,
            "web_rss_mb": 1340.0,
            "throughput": {
                "embedded": {"10": 16.2, "25": 15.5, "50": 13.8},
                "scaled": {"25": scaled["25"].get("turns_per_s"), "50": scaled["50"].get("turns_per_s")},
            },
            "isolation": {"sessions": 160, "leaks": 0, "foreign_drafts_served": 0, "own_drafts": 160},
        }
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
        **extra,
    }


def test_report_marks_each_target_and_leaves_the_web_slot_pending() -> None:
    table = markdown(_results())
    assert "| turn p95 / floor p95 | 1.6× | ≤ 3× | met |" in table
    assert "16.2 s (page 2.4 s) | ≤ 15 s | **missed** |" in table
    assert "(not measured)" in table and "| pending |" in table


def test_report_judges_the_web_numbers_once_they_are_measured() -> None:
    table = markdown(_results(p50_ms=300.0, p95_ms=800.0, errors=1, rss_mb=1200.0))
    assert "50: 300/800 ms, 1 err" in table and table.rstrip().count("**missed**") == 2


def test_report_adds_the_scaled_row_throughput_and_isolation() -> None:
    level = {"p50_ms": 750.0, "p95_ms": 1890.0, "errors": 0, "turns_per_s": 20.6}
    table = markdown(_results({"25": level, "50": level}, p50_ms=1700.0, p95_ms=5760.0, errors=0))
    assert "| web p50/p95, errors: 25 / 50 sessions, scaled" in table
    assert "25: 750/1890 ms, 0 err; 50: 750/1890 ms, 0 err |  |  |" in table
    assert "embedded 10 / 25 / 50: 16.2 / 15.5 / 13.8; scaled 25 / 50: 20.6 / 20.6" in table
    assert "| 0 / 0 (160 sessions, 160 own drafts checked) | 0 / 0 | met |" in table
    assert "1013 MB / 1340 MB / 1101 MB" in table


def test_report_says_why_the_scaled_row_is_missing() -> None:
    table = markdown(_results(skipped("skipped: PostgreSQL unreachable"), p50_ms=1.0, p95_ms=2.0, errors=0))
    assert "25: —; 50: — (skipped: PostgreSQL unreachable) |  | skipped |" in table
    assert "scaled 25 / 50: — / —" in table
