"""In-process turn latency over the question dev set, beside the retrieval floor.

Run as its own process (``python -m bench.turns DATASET``) so its peak memory is that of one
Kompas process answering questions, not of the benchmark driver. Settings come from the
``KOMPAS_*`` environment the driver sets.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.stats import own_peak_rss_mb, summary_ms


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Return the questions of a questions JSONL dataset (only ``question`` and ``lang`` are used)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"question": str(r["question"]), "lang": str(r.get("lang", "nl"))} for r in rows]


def measure(questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Time a warm turn per question (fresh thread) and the floor (embed + one vector query)."""
    from assistant.conversation import ask
    from assistant.runtime import Runtime
    from knowledge.search import POOL

    started = time.perf_counter()
    runtime = Runtime()
    runtime.warm_up()
    warm_up_s = time.perf_counter() - started
    searcher = runtime.searcher

    def floor(question: str, lang: str) -> float:
        # The least any retrieval-backed turn must do: embed the message, ask Chroma once
        # (the same pool size and language filter the searcher uses).
        t0 = time.perf_counter()
        qvec = searcher.query_vector(question)
        searcher.collection.query(
            query_embeddings=[qvec.tolist()], n_results=POOL, where={"lang": lang}, include=["distances"]
        )
        return time.perf_counter() - t0

    def turn(question: str) -> float:
        t0 = time.perf_counter()
        ask(question, thread_id=f"bench-{uuid.uuid4().hex}", runtime=runtime)
        return time.perf_counter() - t0

    # One untimed pass: lazy imports, lexicon loading and allocator growth happen here.
    for q in questions:
        turn(q["question"])
        floor(q["question"], q["lang"])
    turns: list[float] = []
    floors: list[float] = []
    # Interleaved, so load from other processes on the machine hits both series alike.
    for q in questions:
        turns.append(turn(q["question"]))
        floors.append(floor(q["question"], q["lang"]))
    return {
        "n": len(questions),
        "warm_up_s": round(warm_up_s, 2),
        "turn": summary_ms(turns),
        "floor": summary_ms(floors),
        # What a turn adds to its own question's floor (routing, extraction, rules, checkpoints).
        "overhead": summary_ms([t - f for t, f in zip(turns, floors, strict=True)]),
        "rss_mb": own_peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the measurements for the dataset named on the command line as one JSON line."""
    args = sys.argv[1:] if argv is None else argv
    from knowledge import offline  # noqa: F401  (offline environment before any model import)

    print(json.dumps(measure(load_questions(Path(args[0])))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
