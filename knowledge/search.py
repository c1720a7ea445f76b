"""Find the passages of the knowledge base that answer a question: dense + BM25, fused."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel

from knowledge.embedding import Embedder
from knowledge.lexical import LexicalIndex

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

Mode = Literal["hybrid", "dense", "bm25"]
# Below this cosine similarity the best passage in the user's language is too weak to trust
# alone; passages in the other languages may then answer better.
MIN_SAME_LANG_SCORE = 0.80
# Reciprocal rank fusion constant (Cormack et al. 2009) and how deep each ranking is read.
RRF_K = 60
POOL = 30


class Passage(BaseModel):
    """A retrieved passage with where it comes from."""

    chunk_id: str
    doc_id: str
    lang: str
    topic: str
    title: str
    heading: str
    text: str
    score: float
    sources: list[str]

    @property
    def body(self) -> str:
        """Return the passage text without its title/heading prefix."""
        return self.text.split("\n\n", 1)[1] if "\n\n" in self.text else self.text


class Searcher:
    """Hybrid search over the index: Chroma for vectors, BM25 per language, fused by RRF."""

    def __init__(self, collection: Collection, embedder: Embedder) -> None:
        self.collection = collection
        self.embedder = embedder
        stored = collection.get(include=["documents", "metadatas", "embeddings"])
        self._meta: dict[str, dict[str, Any]] = {}
        self._text: dict[str, str] = {}
        vectors = stored["embeddings"] if stored["embeddings"] is not None else []
        self._vector: dict[str, np.ndarray] = {}
        by_lang: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for cid, doc, meta, vec in zip(
            stored["ids"], stored["documents"] or [], stored["metadatas"] or [], vectors, strict=False
        ):
            self._meta[cid] = dict(meta)
            self._text[cid] = doc or ""
            self._vector[cid] = np.asarray(vec, dtype=np.float32)
            ids, texts = by_lang[str(meta["lang"])]
            ids.append(cid)
            texts.append(doc or "")
        self._lexical = {lang: LexicalIndex(lang, ids, texts) for lang, (ids, texts) in by_lang.items()}

    def _passage(self, cid: str, qvec: np.ndarray) -> Passage:
        meta = self._meta[cid]
        return Passage(
            chunk_id=cid,
            doc_id=str(meta["doc_id"]),
            lang=str(meta["lang"]),
            topic=str(meta["topic"]),
            title=str(meta["title"]),
            heading=str(meta.get("heading", "")),
            text=self._text[cid],
            score=round(float(self._vector[cid] @ qvec), 4),
            sources=[s for s in str(meta.get("sources", "")).split("|") if s],
        )

    def _dense(self, qvec: np.ndarray, where: dict[str, Any] | None, n: int) -> list[str]:
        result = self.collection.query(
            query_embeddings=[qvec.tolist()],
            n_results=n,
            where=where,  # type: ignore[arg-type]
            include=["distances"],
        )
        return list(result["ids"][0])

    def _lexical_ids(self, query: str, lang: str, topic: str | None) -> list[str]:
        index = self._lexical.get(lang)
        if index is None:
            return []
        hits = index.search(query, POOL * 2)
        return [cid for cid, _ in hits if topic is None or self._meta[cid]["topic"] == topic][:POOL]

    def _rank(self, query: str, qvec: np.ndarray, lang: str, topic: str | None, mode: Mode) -> list[str]:
        filters: list[dict[str, Any]] = [{"lang": lang}]
        if topic:
            filters.append({"topic": topic})
        where = {"$and": filters} if len(filters) > 1 else filters[0]
        dense = self._dense(qvec, where, POOL) if mode != "bm25" else []
        lexical = self._lexical_ids(query, lang, topic) if mode != "dense" else []
        if mode != "hybrid":
            return dense or lexical
        fused: dict[str, float] = defaultdict(float)
        for ranking in (dense, lexical):
            for rank, cid in enumerate(ranking):
                fused[cid] += 1.0 / (RRF_K + rank + 1)
        return sorted(fused, key=lambda cid: fused[cid], reverse=True)

    def query_vector(self, query: str) -> np.ndarray:
        """Return the normalised query embedding (reusable for routing)."""
        return np.asarray(self.embedder.embed_queries([query])[0], dtype=np.float32)

    def search(
        self,
        query: str,
        lang: str,
        k: int = 3,
        topic: str | None = None,
        mode: Mode = "hybrid",
        qvec: np.ndarray | None = None,
    ) -> list[Passage]:
        """Return the ``k`` best passages for ``query``, in ``lang`` when it has good ones."""
        if qvec is None:
            qvec = self.query_vector(query)
        ranked = self._rank(query, qvec, lang, topic, mode)[:k]
        hits = [self._passage(cid, qvec) for cid in ranked]
        if mode == "bm25" or (hits and max(p.score for p in hits) >= MIN_SAME_LANG_SCORE):
            return hits
        # The user's language has no good passage: let the other languages compete on meaning.
        where = {"topic": topic} if topic else None
        others = [self._passage(cid, qvec) for cid in self._dense(qvec, where, k)]
        merged = {p.chunk_id: p for p in [*hits, *others]}
        return sorted(merged.values(), key=lambda p: p.score, reverse=True)[:k]
