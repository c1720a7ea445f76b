"""Run every benchmark once and write ``bench/results.json`` and ``bench/results.md``.

``python -m bench.run`` (or ``make bench``): turn latency and its floor, cold starts, index
build and no-op re-run, concurrent web sessions on the embedded defaults and on the scaled setup
(two instances, a Chroma server, PostgreSQL), peak memory. Everything runs one after the other so
that the benchmarks do not compete for the CPU with each other.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import cold, indexing, web
from bench.procs import ROOT, kompas_env
from bench.report import write

DATASET = ROOT / "evals" / "datasets" / "questions.jsonl"


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def _locations() -> tuple[Path, str]:
    """Return the embedding model folder and the built index this checkout uses."""
    from assistant.settings import Settings

    settings = Settings()
    chroma = settings.chroma_location
    if not chroma.startswith(("http://", "https://")):
        if not Path(chroma).is_dir():
            raise SystemExit(f"bench: no index at {chroma}; run `make index` first")
        chroma = str(Path(chroma).resolve())
    return settings.model_path.resolve(), chroma


def _turns(env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.turns", str(DATASET)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.turns failed: {result.stderr[-1000:]}")
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    try:
        head, dirty = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain")
    except OSError:
        return "unknown"
    return head + ("+uncommitted" if dirty else "")


def _levels(levels: tuple[int, ...]) -> list[str]:
    return [str(n) for n in levels]


def _isolation(*blocks: dict[str, Any]) -> dict[str, Any]:
    """Sum the isolation checks over every measured level (embedded and scaled)."""
    checked = [b[n] for b in blocks for n in _levels(web.SESSIONS) if n in b and "isolation" in b[n]]
    return {
        "sessions": sum(level["sessions"] for level in checked),
        "leaks": sum(level["isolation"]["leaks"] for level in checked),
        "foreign_drafts_served": sum(level["isolation"]["foreign_drafts_served"] for level in checked),
        "own_drafts": sum(level["isolation"]["own_drafts"] for level in checked),
        "examples": [e for level in checked for e in level["isolation"]["leak_examples"]][:5],
    }


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def run() -> dict[str, Any]:
    """Run the benchmarks and return the results (issue 9's keys, plus details)."""
    started = time.perf_counter()
    load_before = _load()
    model, chroma = _locations()
    with tempfile.TemporaryDirectory(prefix="kompas-bench-") as tmp:
        base = Path(tmp)
        _say("turn latency and floor over the question dev set")
        turns = _turns(kompas_env(base / "turns", model, chroma))
        _say("cold start of kompas ask (1 untimed + 3 timed)")
        # The CLI and the server share a data folder: the server starts as a second run would.
        cold_env = kompas_env(base / "cold", model, chroma)
        cli = cold.cli(cold_env)
        _say("cold start of kompas serve")
        served = cold.serve(cold_env)
        _say("index: full build into an empty folder, then a no-op re-run")
        index = indexing.measure(kompas_env(base / "index", model))
        _say("web: concurrent sessions against one kompas serve (embedded Chroma + SQLite)")
        served_web = web.embedded(model, chroma, base, _say)
        _say("web scaled: two kompas serve sharing a Chroma server and PostgreSQL")
        try:
            scaled = web.scaled(model, base, _say)
        except Exception as exc:  # the optional setup must not cost the other numbers
            _say(f"web scaled failed: {exc}")
            scaled = web.skipped(f"failed: {type(exc).__name__}: {str(exc)[:300]}")
    turn, floor, overhead = turns["turn"], turns["floor"], turns["overhead"]
    return {
        "turn": {
            "p50_ms": turn["p50_ms"],
            "p95_ms": turn["p95_ms"],
            "mean_ms": turn["mean_ms"],
            "max_ms": turn["max_ms"],
            # The floor: one embedding plus one vector query of the same question.
            "floor_ms": floor["p50_ms"],
            "floor_p95_ms": floor["p95_ms"],
            # Embedding time grows with the length of a question, so the turn's p95 is set
            # against the floor's p95 over the same questions; the stricter reading beside it.
            "ratio_p95_to_floor": round(turn["p95_ms"] / floor["p95_ms"], 2),
            "ratio_p95_to_floor_p50": round(turn["p95_ms"] / floor["p50_ms"], 2),
            "ratio_basis": "turn p95 / floor p95 over the same questions",
            "overhead_p50_ms": overhead["p50_ms"],
            "overhead_p95_ms": overhead["p95_ms"],
            "n": turns["n"],
            "warm_up_s": turns["warm_up_s"],
        },
        "cold_start_s": served["first_answer_s"],
        "cold_start_cli_s": cli["answer_s"],
        "cold_start": {
            "serve_page_s": served["page_s"],
            "serve_first_answer_s": served["first_answer_s"],
            "serve_answered": served["answered"],
            "cli_answer_s": cli["answer_s"],
            "cli_exit_s": cli["exit_s"],
            "cli_runs_s": cli["runs"],
        },
        "index": index,
        "web": served_web,
        "web_scaled": scaled,
        "throughput": {
            "embedded": {n: served_web[n]["turns_per_s"] for n in _levels(web.SESSIONS)},
            "scaled": {n: scaled[n].get("turns_per_s") for n in _levels(web.SCALED_SESSIONS)},
            "unit": "turns/s",
        },
        "isolation": _isolation(served_web, scaled),
        # Issue 9: peak RSS of the server; the in-process turn run is reported beside it.
        "rss_mb": served["rss_mb"],
        "web_rss_mb": served_web["server_rss_mb"],
        "rss": {
            "server_mb": served["rss_mb"],
            "web_server_mb": served_web["server_rss_mb"],
            "scaled_servers_mb": scaled.get("server_rss_mb"),
            "chroma_server_mb": scaled.get("chroma_rss_mb"),
            "turns_mb": turns["rss_mb"],
        },
        "method": {
            "turn": "warm: one untimed pass over the questions, then one timed pass; a fresh thread per "
            "question; each turn followed by its floor (embed the question + one Chroma query)",
            "cold_start": "process start to the first byte of the answer (kompas ask, median of 3) or to "
            "the first reply over socket.io (kompas serve); after one untimed kompas ask with the same "
            "data folder, so the router's example cache and the OS file cache are warm",
            "index": "kompas index into an empty data folder (the converted model reused), then again",
            "rss": "peak resident memory (VmHWM / ru_maxrss) of the server after its first answer, of "
            "the web server after the 50 sessions, and of the in-process turn run",
            "web": served_web["method"],
            "isolation": "each session's messages carry a made-up customer reference and a request date "
            "of its own, so its erasure verdict ('hier <deadline>') and its draft ('ontvangen op "
            "<date>') are unique; every event a session receives and every text element or Markdown "
            "file it fetches is scanned for the other sessions' markers; each session also asks for "
            "another session's draft with its own session id (must be refused)",
        },
        "meta": {
            "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": _commit(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": _load(),
            "python": sys.version.split()[0],
            "dataset": str(DATASET.relative_to(ROOT)),
            "duration_s": round(time.perf_counter() - started, 1),
        },
    }


def main() -> int:
    """Run the benchmarks, write the results and print the table."""
    results = run()
    print(write(results, Path(__file__).resolve().parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
