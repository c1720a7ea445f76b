"""Build and open the vector index of the corpus (``kompas index``)."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from knowledge.chunking import Chunk, chunk_page
from knowledge.corpus import CORPUS_DIR, corpus_hash, load_corpus
from knowledge.embedding import Embedder
from knowledge.errors import IndexCorruptError, IndexMismatchError, IndexMissingError, StoreUnavailableError
from knowledge.store import is_server, open_client

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)
EMBED_BATCH = 16
ProgressFactory = Callable[[int], Any]


class IndexReport(BaseModel):
    """What an indexing run did."""

    chunks: int
    embedded: int
    unchanged: int
    deleted: int
    seconds: float
    model: str
    corpus_hash: str


def _ef(embedder: Embedder) -> Any:
    from knowledge.chroma_embedding import KompasEmbeddingFunction

    return KompasEmbeddingFunction(embedder)


def _reset(location: str, name: str) -> None:
    """Drop the collection; for an embedded index whose folder is damaged, drop the folder."""
    if not is_server(location):
        try:
            open_client(location).delete_collection(name)
            return
        except Exception:  # damaged folder: start from nothing
            shutil.rmtree(location, ignore_errors=True)
            return
    try:
        open_client(location).delete_collection(name)
    except Exception as exc:  # absent collection on a server
        log.debug("no collection to delete: %s", exc)


def _collection(location: str, name: str, embedder: Embedder) -> Collection:
    client = open_client(location)
    return client.get_or_create_collection(
        name=name,
        embedding_function=_ef(embedder),
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedding_model": embedder.name},
    )


def build_index(
    location: str,
    name: str,
    embedder: Embedder,
    corpus_root: Path = CORPUS_DIR,
    rebuild: bool = False,
    progress: ProgressFactory | None = None,
) -> IndexReport:
    """Bring the index in line with the corpus, embedding only new or changed passages."""
    started = time.perf_counter()
    pages = load_corpus(corpus_root)
    chunks: dict[str, Chunk] = {c.chunk_id: c for p in pages for c in chunk_page(p)}
    digest = corpus_hash(pages)
    if rebuild:
        _reset(location, name)
    try:
        collection = _collection(location, name, embedder)
        stored = collection.get(include=["metadatas"])
    except (IndexCorruptError, StoreUnavailableError):
        raise
    except Exception as exc:
        raise IndexCorruptError(
            f"The index at {location} cannot be read ({type(exc).__name__}). Run `kompas index --rebuild`."
        ) from exc
    if (collection.metadata or {}).get("embedding_model") != embedder.name:
        # Vectors of two models are not comparable: start over with this model.
        _reset(location, name)
        collection = _collection(location, name, embedder)
        stored = collection.get(include=["metadatas"])
    have = {
        cid: (meta or {}).get("content_hash")
        for cid, meta in zip(stored["ids"], stored["metadatas"] or [], strict=False)
    }
    stale = [cid for cid in have if cid not in chunks]
    todo = [c for cid, c in chunks.items() if have.get(cid) != c.content_hash]
    if stale:
        collection.delete(ids=stale)
    bar = progress(len(todo)) if progress and todo else None
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        vectors = embedder.embed_passages([c.text for c in batch])
        collection.upsert(
            ids=[c.chunk_id for c in batch],
            documents=[c.text for c in batch],
            embeddings=vectors,  # type: ignore[arg-type]
            metadatas=[_metadata(c) for c in batch],
        )
        if bar is not None:
            bar.update(len(batch))
    if bar is not None:
        bar.close()
    collection.modify(metadata={"embedding_model": embedder.name, "corpus_hash": digest})
    return IndexReport(
        chunks=len(chunks),
        embedded=len(todo),
        unchanged=len(chunks) - len(todo),
        deleted=len(stale),
        seconds=round(time.perf_counter() - started, 3),
        model=embedder.name,
        corpus_hash=digest,
    )


def _metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    return {
        "doc_id": chunk.doc_id,
        "lang": chunk.lang,
        "topic": chunk.topic,
        "title": chunk.title,
        "heading": chunk.heading,
        "sources": "|".join(chunk.sources),
        "content_hash": chunk.content_hash,
    }


def open_index(location: str, name: str, embedder: Embedder) -> Collection:
    """Open the built index, refusing one that is missing, damaged or from another model."""
    try:
        client = open_client(location)
        names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        if name not in names:
            raise IndexMissingError(f"No index found at {location}. Run `kompas index` to build it.")
        collection = client.get_collection(name=name, embedding_function=_ef(embedder))
        built_with = (collection.metadata or {}).get("embedding_model")
        count = collection.count()
    except (IndexMissingError, IndexCorruptError, StoreUnavailableError):
        raise
    except Exception as exc:
        raise IndexCorruptError(
            f"The index at {location} cannot be read ({type(exc).__name__}). "
            "Run `kompas index --rebuild` to rebuild it."
        ) from exc
    if built_with != embedder.name:
        raise IndexMismatchError(
            f"The index at {location} was built with the embedding model {built_with!r}, "
            f"but this process uses {embedder.name!r}. Run `kompas index` to rebuild it."
        )
    if count == 0:
        raise IndexMissingError(f"The index at {location} is empty. Run `kompas index` to build it.")
    return collection
