"""The long-lived parts of a Kompas process: settings, model, index, checkpointer, graph."""

from __future__ import annotations

import logging
import sqlite3
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import Settings
from knowledge.embedding import Embedder, ensure_model, get_embedder

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

    from assistant.drafts import DraftStore
    from assistant.routing import Router
    from knowledge.search import Searcher

log = logging.getLogger(__name__)


class Runtime:
    """Everything a turn needs, created once per process and shared by CLI, web and evals."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    @cached_property
    def embedder(self) -> Embedder:
        """Return the embedding model (converted on first use when it is the bundled default)."""
        return get_embedder(ensure_model(self.settings.model_path))

    @cached_property
    def searcher(self) -> Searcher:
        """Return the searcher over the built index (refuses a missing or foreign index)."""
        from knowledge.index import open_index
        from knowledge.search import Searcher

        collection = open_index(self.settings.chroma_location, self.settings.collection, self.embedder)
        return Searcher(collection, self.embedder)

    @cached_property
    def router(self) -> Router:
        """Return the topic router (example messages embedded once)."""
        from assistant.routing import Router

        return Router(self.embedder, cache_dir=self.settings.data_dir / "cache")

    @cached_property
    def drafts(self) -> DraftStore:
        """Return the store of drafted artefacts under the data folder."""
        from assistant.drafts import DraftStore

        return DraftStore(self.settings.data_dir / "drafts")

    @cached_property
    def checkpointer(self) -> BaseCheckpointSaver[Any]:
        """Return the conversation checkpointer (SQLite file by default, or PostgreSQL)."""
        location = self.settings.checkpointer_location
        if location.startswith(("postgresql://", "postgres://")):
            return _postgres_saver(location)
        from langgraph.checkpoint.sqlite import SqliteSaver

        path = Path(location)
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by threads; SqliteSaver serialises access with its own lock.
        conn = sqlite3.connect(str(path), check_same_thread=False)
        saver = SqliteSaver(conn)
        saver.setup()
        return saver

    @cached_property
    def graph(self) -> CompiledStateGraph[Any, Any, Any, Any]:
        """Return the compiled conversation graph."""
        from assistant.graph import build_graph

        return build_graph(self).compile(checkpointer=self.checkpointer)

    def warm_up(self) -> None:
        """Load the model, open the index and compile the graph now rather than on first message."""
        self.embedder.embed_queries(["warm-up"])
        self.router.warm_up()
        _ = self.searcher, self.graph


def _postgres_saver(url: str) -> BaseCheckpointSaver[Any]:
    """Open a pooled PostgreSQL checkpointer; several web instances then share conversations."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg import OperationalError
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool, PoolTimeout

    from knowledge.errors import StoreUnavailableError

    # The pool retries in the background and logs each failure; the error below says it once.
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    # The settings PostgresSaver needs: autocommit, no server-side prepared statements (pgbouncer
    # safe), rows as dicts. A pool, because the web chat runs turns in worker threads.
    pool: ConnectionPool[Any] = ConnectionPool(
        url,
        min_size=1,
        max_size=8,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=False,
    )
    try:
        pool.open(wait=True, timeout=10)
        saver = PostgresSaver(pool)  # type: ignore[arg-type]
        saver.setup()
    except (OperationalError, PoolTimeout) as exc:
        pool.close()
        raise StoreUnavailableError(
            f"Cannot reach the PostgreSQL checkpointer at {_redact(url)} ({type(exc).__name__}). "
            "Start PostgreSQL, or unset KOMPAS_CHECKPOINTER_URL to keep conversations in SQLite."
        ) from exc
    return saver


def _redact(url: str) -> str:
    """Hide a password in a connection URL before it is shown or logged."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def get_runtime() -> Runtime:
    """Return the process-wide runtime built from the environment's settings."""
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = Runtime()
        return _runtime


def set_runtime(runtime: Runtime | None) -> None:
    """Replace the process-wide runtime (tests, or a server with explicit settings)."""
    global _runtime
    with _runtime_lock:
        _runtime = runtime
