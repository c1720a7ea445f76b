"""Write ``bench/results.json`` and the Markdown table with each target met or missed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Issue 9's targets.
TARGETS = {
    "ratio": 3.0,  # turn p95 ≤ 3 × the floor
    "cold_start_s": 15.0,
    "rss_mb": 1536.0,  # 1.5 GB
    "noop_s": 2.0,
    "web_p95_ms": 1000.0,  # 50 sessions, with 0 errors
}


def _status(value: float | None, limit: float) -> str:
    if value is None:
        return "pending"
    return "met" if value <= limit else "**missed**"


def markdown(results: dict[str, Any]) -> str:
    """Return the short table of results and targets."""
    turn, index, cold = results["turn"], results["index"], results["cold_start"]
    web50 = results["web"]["50"]
    web_status = "pending" if web50["p95_ms"] is None else _status(web50["p95_ms"], TARGETS["web_p95_ms"])
    if web50["errors"]:
        web_status = "**missed**"
    scaled = results.get("web_scaled")
    isolation = results.get("isolation")
    rows = [
        ("turn p50 / p95 (warm, in-process)", f"{turn['p50_ms']:.0f} / {turn['p95_ms']:.0f} ms", "", ""),
        (
            "floor p50 / p95 (embed 1 query + 1 Chroma query)",
            f"{turn['floor_ms']:.0f} / {turn['floor_p95_ms']:.0f} ms",
            "",
            "",
        ),
        (
            "turn overhead over its own floor p50 / p95",
            f"{turn['overhead_p50_ms']:.0f} / {turn['overhead_p95_ms']:.0f} ms",
            "",
            "",
        ),
        (
            "turn p95 / floor p95",
            f"{turn['ratio_p95_to_floor']:.1f}×",
            f"≤ {TARGETS['ratio']:.0f}×",
            _status(turn["ratio_p95_to_floor"], TARGETS["ratio"]),
        ),
        (
            "turn p95 / floor p50 (stricter)",
            f"{turn['ratio_p95_to_floor_p50']:.1f}×",
            f"≤ {TARGETS['ratio']:.0f}×",
            _status(turn["ratio_p95_to_floor_p50"], TARGETS["ratio"]),
        ),
        (
            "cold start `kompas serve` → first answer",
            f"{results['cold_start_s']:.1f} s (page {cold['serve_page_s']:.1f} s)",
            f"≤ {TARGETS['cold_start_s']:.0f} s",
            _status(results["cold_start_s"], TARGETS["cold_start_s"]),
        ),
        (
            "cold start `kompas ask` → answer (median of 3)",
            f"{results['cold_start_cli_s']:.1f} s",
            f"≤ {TARGETS['cold_start_s']:.0f} s",
            _status(results["cold_start_cli_s"], TARGETS["cold_start_s"]),
        ),
        (
            "index full build",
            f"{index['full_s']:.1f} s ({index['chunks']} chunks, {index['chunks_per_s']:.1f} chunks/s)",
            "",
            "",
        ),
        (
            "index no-op re-run",
            f"{index['noop_s']:.2f} s",
            f"≤ {TARGETS['noop_s']:.0f} s",
            _status(index["noop_s"], TARGETS["noop_s"]),
        ),
        (
            "peak RSS: server after first answer / web server after 50 sessions / in-process turns",
            " / ".join(
                _mb(v) for v in (results["rss_mb"], results.get("web_rss_mb"), results["rss"]["turns_mb"])
            ),
            f"≤ {TARGETS['rss_mb']:.0f} MB",
            _status(
                _max(results["rss_mb"], results.get("web_rss_mb"), results["rss"]["turns_mb"]),
                TARGETS["rss_mb"],
            ),
        ),
        (
            "web p50/p95, errors: 10 / 25 / 50 sessions × 5 turns, one instance (embedded)",
            _web(results["web"], ("10", "25", "50")),
            "50: p95 ≤ 1 s, 0 errors",
            web_status,
        ),
    ]
    if scaled is not None:
        rows.append(
            (
                "web p50/p95, errors: 25 / 50 sessions, scaled (2 instances, Chroma server, PostgreSQL)",
                _web(scaled, ("25", "50")),
                "",
                "skipped" if scaled["50"]["p95_ms"] is None else "",
            )
        )
    if "throughput" in results:
        rows.append(("web throughput (turns/s)", _throughput(results["throughput"]), "", ""))
    if isolation is not None:
        rows.append(
            (
                "isolation: foreign markers seen / other sessions' drafts served",
                f"{isolation['leaks']} / {isolation['foreign_drafts_served']} "
                f"({isolation['sessions']} sessions, {isolation['own_drafts']} own drafts checked)",
                "0 / 0",
                "met"
                if isolation["leaks"] == 0 and isolation["foreign_drafts_served"] == 0
                else "**missed**",
            )
        )
    lines = ["| measure | result | target | status |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    meta = results["meta"]
    lines.append("")
    lines.append(
        f"{meta['generated_at']} · commit {meta['commit']} · {meta['cpus']} CPUs, load "
        f"{meta['load_before']} → {meta['load_after']} · {turn['n']} questions · "
        f"bench took {meta['duration_s']:.0f} s"
    )
    return "\n".join(lines) + "\n"


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MB"


def _max(*values: float | None) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _web(web: dict[str, Any], levels: tuple[str, ...]) -> str:
    cells = []
    for n in levels:
        block = web[n]
        if block["p95_ms"] is None:
            cells.append(f"{n}: —")
        else:
            cells.append(f"{n}: {block['p50_ms']:.0f}/{block['p95_ms']:.0f} ms, {block['errors']} err")
    if web[levels[-1]]["p95_ms"] is None:
        return "; ".join(cells) + f" ({web.get('note', 'not measured')})"
    return "; ".join(cells)


def _throughput(throughput: dict[str, Any]) -> str:
    def cells(block: dict[str, Any]) -> str:
        return " / ".join("—" if v is None else f"{v:.1f}" for v in block.values())

    embedded, scaled = throughput["embedded"], throughput["scaled"]
    return f"embedded {' / '.join(embedded)}: {cells(embedded)}; scaled {' / '.join(scaled)}: {cells(scaled)}"


def write(results: dict[str, Any], folder: Path) -> str:
    """Write results.json and results.md into ``folder``; return the Markdown."""
    table = markdown(results)
    (folder / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (folder / "results.md").write_text("# Kompas benchmark (`make bench`)\n\n" + table)
    return table
