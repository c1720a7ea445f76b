"""Measure retrieval on a labelled question set: recall@k and MRR per language and mode."""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from knowledge.search import Mode, Searcher

MRR_DEPTH = 10


class RetrievalQuestion(BaseModel):
    """One dev-set question with the pages that answer it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    lang: str
    question: str
    topic: str
    gold_docs: list[str] = Field(min_length=1)


def load_questions(path: Path) -> list[RetrievalQuestion]:
    """Read a JSONL dev set, naming the line of any malformed entry."""
    questions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                questions.append(RetrievalQuestion.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValueError) as exc:
                raise ValueError(f"{path}:{n}: {exc}") from exc
    return questions


def _first_gold_rank(docs: list[str], gold: list[str]) -> int | None:
    seen: list[str] = []
    for doc in docs:
        if doc not in seen:
            seen.append(doc)
        if doc in gold:
            return len(seen)
    return None


def evaluate(
    searcher: Searcher, questions: list[RetrievalQuestion], mode: Mode, k: int = 3
) -> dict[str, Any]:
    """Return recall@k and MRR overall and per language, with the misses."""
    per_lang: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    misses = []
    timings = []
    for q in questions:
        started = time.perf_counter()
        hits = searcher.search(q.question, q.lang, k=MRR_DEPTH, mode=mode)
        timings.append((time.perf_counter() - started) * 1000)
        # Ranks count distinct pages: several passages of one page are one answer.
        rank = _first_gold_rank([h.doc_id for h in hits], q.gold_docs)
        hit = rank is not None and rank <= k
        per_lang[q.lang].append((hit, 1.0 / rank if rank else 0.0))
        if not hit:
            misses.append(
                {"id": q.id, "question": q.question, "gold": q.gold_docs, "got": [h.doc_id for h in hits[:k]]}
            )

    def summary(rows: list[tuple[bool, float]]) -> dict[str, float]:
        return {
            "n": len(rows),
            f"recall_at_{k}": round(sum(h for h, _ in rows) / len(rows), 3),
            "mrr": round(sum(r for _, r in rows) / len(rows), 3),
        }

    everything = [row for rows in per_lang.values() for row in rows]
    return {
        "mode": mode,
        **summary(everything),
        "by_lang": {lang: summary(rows) for lang, rows in sorted(per_lang.items())},
        "latency_ms_p50": round(statistics.median(timings), 1),
        "misses": misses,
    }
