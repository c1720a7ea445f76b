"""Find the passages of the knowledge base that answer a question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from knowledge.embedding import Embedder

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

# Below this cosine similarity a passage in the user's language is too weak to prefer over
# a better one in another language.
MIN_SAME_LANG_SCORE = 0.80


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
    """Dense search over the Chroma collection, preferring the user's language."""

    def __init__(self, collection: Collection, embedder: Embedder) -> None:
        self.collection = collection
        self.embedder = embedder

    def _query(self, vector: list[float], k: int, where: dict[str, Any] | None) -> list[Passage]:
        result = self.collection.query(
            query_embeddings=[vector],  # type: ignore[arg-type]
            n_results=k,
            where=where,  # type: ignore[arg-type]
            include=["documents", "metadatas", "distances"],
        )
        passages = []
        docs = (result["documents"] or [[]])[0]
        metas = (result["metadatas"] or [[]])[0]
        dists = (result["distances"] or [[]])[0]
        for cid, doc, meta, dist in zip(result["ids"][0], docs, metas, dists, strict=False):
            passages.append(
                Passage(
                    chunk_id=cid,
                    doc_id=str(meta["doc_id"]),
                    lang=str(meta["lang"]),
                    topic=str(meta["topic"]),
                    title=str(meta["title"]),
                    heading=str(meta.get("heading", "")),
                    text=doc or "",
                    score=round(1.0 - float(dist), 4),
                    sources=[s for s in str(meta.get("sources", "")).split("|") if s],
                )
            )
        return passages

    def search(self, query: str, lang: str, k: int = 3, topic: str | None = None) -> list[Passage]:
        """Return the ``k`` best passages for ``query``, in ``lang`` when it has good ones."""
        vector = self.embedder.embed_queries([query])[0]
        filters: list[dict[str, Any]] = [{"lang": lang}]
        if topic:
            filters.append({"topic": topic})
        where = {"$and": filters} if len(filters) > 1 else filters[0]
        hits = self._query(vector, k, where)
        if hits and hits[0].score >= MIN_SAME_LANG_SCORE:
            return hits
        # The user's language has no good passage: look across languages too.
        other = self._query(vector, k, {"topic": topic} if topic else None)
        merged = {p.chunk_id: p for p in [*hits, *other]}
        return sorted(merged.values(), key=lambda p: p.score, reverse=True)[:k]
