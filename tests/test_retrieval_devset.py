"""The retrieval dev set is large enough, labelled with real pages, and measurable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.retrieval import evaluate, load_questions
from knowledge.corpus import load_corpus
from knowledge.embedding import get_embedder
from knowledge.index import open_index
from knowledge.search import Searcher

DEVSET = Path(__file__).resolve().parents[1] / "evals" / "datasets" / "retrieval.jsonl"


def test_devset_has_enough_questions_per_language() -> None:
    counts = Counter(q.lang for q in load_questions(DEVSET))
    assert counts["nl"] >= 90 and counts["fr"] >= 30 and counts["en"] >= 30, counts


def test_devset_gold_pages_exist_in_the_questions_language() -> None:
    pages = {(p.meta.id, p.meta.lang): p.meta.topic for p in load_corpus()}
    questions = load_questions(DEVSET)
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        for doc in q.gold_docs:
            assert (doc, q.lang) in pages, (q.id, doc)
        assert q.topic in {pages[(doc, q.lang)] for doc in q.gold_docs}, q.id


@pytest.mark.slow
def test_retrieval_report_counts_hits_and_misses(built_index: Path, model_dir: Path) -> None:
    embedder = get_embedder(model_dir)
    searcher = Searcher(open_index(str(built_index), "kompas_guidance", embedder), embedder)
    questions = load_questions(DEVSET)[:12]
    report = evaluate(searcher, questions, "hybrid")
    assert report["n"] == 12
    assert 0.0 <= report["mrr"] <= 1.0 and 0.0 <= report["recall_at_3"] <= 1.0
    assert len(report["misses"]) == round(12 * (1 - report["recall_at_3"]))
