"""Score single-turn questions (contracts §4): topic, clarification, out of scope, language, citations."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from assistant.conversation import ask
from assistant.runtime import Runtime
from knowledge.citations import load_registry
from knowledge.corpus import load_corpus


class Question(BaseModel):
    """One labelled question of a questions dataset."""

    model_config = ConfigDict(extra="ignore")

    id: str
    lang: str
    question: str
    topic: str
    expect_clarification: bool = False
    expect_out_of_scope: bool = False
    must_mention: list[str] = []
    must_not_say: list[str] = []


def load(path: Path) -> list[Question]:
    """Read a questions JSONL file, naming the line of a malformed entry."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(Question.model_validate(json.loads(line)))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: {exc}") from exc
    return out


def _pr(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(1 for pred, gold in pairs if pred and gold)
    fp = sum(1 for pred, gold in pairs if pred and not gold)
    fn = sum(1 for pred, gold in pairs if gold and not pred)
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def evaluate(runtime: Runtime, questions: list[Question]) -> dict[str, Any]:
    """Run every question in a fresh thread and score the turns."""
    registry = load_registry()
    doc_topic = {p.meta.id: p.meta.topic for p in load_corpus(runtime.settings.corpus_dir)}
    items: list[dict[str, Any]] = []
    by_lang: dict[str, list[bool]] = defaultdict(list)
    clar: list[tuple[bool, bool]] = []
    oos: list[tuple[bool, bool]] = []
    clar_by_lang: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    oos_by_lang: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    lang_ok: list[bool] = []
    cites_ok: list[bool] = []
    hits: list[bool] = []
    latencies: list[float] = []
    for q in questions:
        started = time.perf_counter()
        turn = ask(q.question, thread_id=f"eval-{uuid.uuid4().hex}", runtime=runtime)
        latencies.append((time.perf_counter() - started) * 1000)
        topic_ok = turn.topic == q.topic
        by_lang[q.lang].append(topic_ok)
        clar.append((turn.kind == "clarification", q.expect_clarification))
        oos.append((turn.kind == "out_of_scope", q.expect_out_of_scope))
        clar_by_lang[q.lang].append(clar[-1])
        oos_by_lang[q.lang].append(oos[-1])
        lang_ok.append(turn.lang == q.lang)
        cites_ok.append(all(c.label in registry for c in turn.citations))
        if q.topic != "out_of_scope":
            hits.append(any(doc_topic.get(p.doc_id) == q.topic for p in turn.passages[:3]))
        ok = topic_ok and (turn.kind == "clarification") == q.expect_clarification and turn.lang == q.lang
        items.append(
            {
                "id": q.id,
                "kind": "question",
                "ok": ok,
                "expected_topic": q.topic,
                "must_mention": q.must_mention,
                "must_not_say": q.must_not_say,
                "latency_ms": round(latencies[-1], 1),
                "output": turn.model_dump(mode="json"),
            }
        )
    every = [ok for oks in by_lang.values() for ok in oks]
    return {
        "n": len(questions),
        "topic_accuracy": round(sum(every) / len(every), 3),
        "by_lang": {
            lang: {
                "n": len(v),
                "topic_accuracy": round(sum(v) / len(v), 3),
                "clarification": _pr(clar_by_lang[lang]),
                "out_of_scope": _pr(oos_by_lang[lang]),
            }
            for lang, v in sorted(by_lang.items())
        },
        "retrieval_hit_at_3": round(sum(hits) / len(hits), 3) if hits else 1.0,
        "language_match": round(sum(lang_ok) / len(lang_ok), 3),
        "citation_validity": round(sum(cites_ok) / len(cites_ok), 3),
        "clarification": _pr(clar),
        "out_of_scope": _pr(oos),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
        },
        "items": items,
    }
