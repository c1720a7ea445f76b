"""Route a message to a topic of the taxonomy: example similarity, cue words and retrieval."""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from assistant.lexicons import LEXICON_DIR, contains_phrase, lexicon
from knowledge.embedding import Embedder
from knowledge.search import Passage

# Topics whose verdict comes from a rule tool.
TOOL_TOPICS = {
    "register": "register",
    "dpa": "dpa",
    "erasure": "erasure",
    "photos": "photos",
    "cookies": "cookie_banner",
    "breach": "breach",
    "web_exposure": "web_exposure",
    "vendor_continuity": "vendor_exit",
}
# Weights chosen on evals/datasets/questions.jsonl from a stable region of a grid (k 3–5, cue
# 0.02–0.03, out-of-scope bias 0.02–0.03, retrieval vote 0.01 all gave topic accuracy ≥ 0.94).
# Below MIN_CONFIDENCE the message is too vague to route, so the assistant asks which topic.
MIN_CONFIDENCE = 0.80
KNN = 3
# A message is only called general (or own case) when its examples are clearly closer.
FORM_MARGIN = 0.01
CUE_WEIGHT = 0.02
# Out-of-scope examples are diverse (tax, labour, IP, copy), so their neighbours sit further away.
OUT_OF_SCOPE_BIAS = 0.03
# The knowledge base votes too: each retrieved passage adds this weight divided by its rank.
RETRIEVAL_VOTE = 0.01


class Route(BaseModel):
    """Where a message goes and how sure we are."""

    topic: str | None
    confident: bool
    candidates: list[str]
    score: float = 0.0


class Router:
    """Score topics by similarity to labelled example messages, plus cue words and retrieval."""

    def __init__(self, embedder: Embedder, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        self.cache_dir = cache_dir

    @cached_property
    def _examples(self) -> tuple[list[str], np.ndarray]:
        return self._labelled("topic_examples")

    @cached_property
    def _forms(self) -> tuple[list[str], np.ndarray]:
        return self._labelled("question_forms")

    def _labelled(self, name: str) -> tuple[list[str], np.ndarray]:
        """Return the labels and embedded examples of a ``label → lang → [examples]`` lexicon."""
        path = LEXICON_DIR / f"{name}.yaml"
        if not path.is_file():
            return [], np.zeros((0, 0), dtype=np.float32)
        labels: list[str] = []
        texts: list[str] = []
        for label, by_lang in lexicon(name).items():
            for examples in by_lang.values():
                labels += [label] * len(examples)
                texts += [str(e) for e in examples]
        return labels, self._vectors(texts, path)

    def _vectors(self, texts: list[str], source: Path) -> np.ndarray:
        # Embedding ~260 examples takes seconds; keep them on disk per model and file content.
        key = hashlib.sha256(source.read_bytes() + self.embedder.name.encode()).hexdigest()[:16]
        cached = self.cache_dir / f"{source.stem}.{key}.npy" if self.cache_dir else None
        if cached is not None and cached.is_file():
            try:
                vectors: np.ndarray = np.asarray(np.load(cached), dtype=np.float32)
                if vectors.shape[0] == len(texts):
                    return vectors
            except (OSError, ValueError):
                pass
        vectors = np.asarray(self.embedder.embed_queries(texts), dtype=np.float32)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.save(cached, vectors)
        return vectors

    def warm_up(self) -> None:
        """Embed the example messages now rather than on the first message."""
        _ = self._examples, self._forms

    def form(self, qvec: np.ndarray) -> str | None:
        """Tell whether a message is a general question or the sender's own case (None: unsure)."""
        labels, vectors = self._forms
        if not labels:
            return None
        sims = vectors @ qvec
        by_label: dict[str, list[float]] = {}
        for label, sim in zip(labels, sims, strict=True):
            by_label.setdefault(label, []).append(float(sim))
        score = {k: float(np.mean(sorted(v, reverse=True)[:KNN])) for k, v in by_label.items()}
        margin = score.get("general", 0.0) - score.get("case", 0.0)
        if abs(margin) < FORM_MARGIN:
            return None
        return "general" if margin > 0 else "case"

    def scores(self, message: str, qvec: np.ndarray) -> dict[str, float]:
        """Return each topic's score for ``message``."""
        topics, vectors = self._examples
        scores: dict[str, float] = {}
        if topics:
            sims = vectors @ qvec
            by_topic: dict[str, list[float]] = {}
            for topic, sim in zip(topics, sims, strict=True):
                by_topic.setdefault(topic, []).append(float(sim))
            for topic, values in by_topic.items():
                scores[topic] = float(np.mean(sorted(values, reverse=True)[:KNN]))
        for topic, hits in cue_counts(message).items():
            scores[topic] = scores.get(topic, 0.0) + CUE_WEIGHT * min(hits, 3)
        if "out_of_scope" in scores:
            scores["out_of_scope"] += OUT_OF_SCOPE_BIAS
        return scores

    def route(self, message: str, qvec: np.ndarray, passages: list[Passage]) -> Route:
        """Pick the topic, or none with the likely candidates when unsure."""
        scores = self.scores(message, qvec)
        if not scores:
            return _route_by_retrieval(passages)
        for rank, passage in enumerate(passages):
            scores[passage.topic] = scores.get(passage.topic, 0.0) + RETRIEVAL_VOTE / (rank + 1)
        ranked = sorted(scores, key=lambda t: scores[t], reverse=True)
        best = ranked[0]
        confident = scores[best] >= MIN_CONFIDENCE
        return Route(
            topic=best if confident else None, confident=confident, candidates=ranked[:3], score=scores[best]
        )


def cue_counts(message: str) -> Counter[str]:
    """Count the cue words of each topic in ``message``."""
    counts: Counter[str] = Counter()
    for topic, cues in lexicon("topics").items():
        for cue in cues:
            if contains_phrase(message, str(cue)):
                counts[topic] += 1
    return counts


def _route_by_retrieval(passages: list[Passage]) -> Route:
    if passages and passages[0].score >= MIN_CONFIDENCE:
        return Route(
            topic=passages[0].topic, confident=True, candidates=[passages[0].topic], score=passages[0].score
        )
    topics = list(dict.fromkeys(p.topic for p in passages))
    return Route(topic=None, confident=False, candidates=topics[:3])
