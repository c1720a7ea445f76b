"""Web chat history: off by default; when on, kept for a retention period.

It lives in a local SQLite file, or, when the conversation state is in PostgreSQL
(``KOMPAS_CHECKPOINTER_URL=postgresql://…``, scale-out), in that same database, so that every web
instance lists the same past conversations. Chainlit's ``SQLAlchemyDataLayer`` stores threads
and messages but does not create its tables, so we create them here (the schema Chainlit
documents for PostgreSQL, with SQLite types for the local file). Forgetting a conversation also
forgets its graph state and its drafts: they hold the same personal data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from assistant.settings import Settings
from assistant.web.access import login_required

if TYPE_CHECKING:
    from chainlit.data.base import BaseDataLayer
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    from assistant.runtime import Runtime

log = logging.getLogger("kompas.web")

# Where the history lives: a SQLite file, or the postgresql:// URL of the checkpointer.
Store = Path | str

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS users (
        "id" TEXT PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE,
        "metadata" TEXT NOT NULL, "createdAt" TEXT)""",
    """CREATE TABLE IF NOT EXISTS threads (
        "id" TEXT PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" TEXT,
        "userIdentifier" TEXT, "tags" TEXT, "metadata" TEXT,
        FOREIGN KEY ("userId") REFERENCES users("id") ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS steps (
        "id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
        "threadId" TEXT NOT NULL, "parentId" TEXT, "streaming" BOOLEAN NOT NULL,
        "waitForAnswer" BOOLEAN, "isError" BOOLEAN, "metadata" TEXT, "tags" TEXT,
        "input" TEXT, "output" TEXT, "createdAt" TEXT, "command" TEXT, "modes" TEXT,
        "start" TEXT, "end" TEXT, "generation" TEXT, "showInput" TEXT, "language" TEXT,
        "indent" INT, "defaultOpen" BOOLEAN, "autoCollapse" BOOLEAN, "icon" TEXT,
        FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS elements (
        "id" TEXT PRIMARY KEY, "threadId" TEXT, "type" TEXT, "url" TEXT, "chainlitKey" TEXT,
        "name" TEXT NOT NULL, "display" TEXT, "objectKey" TEXT, "size" TEXT, "page" INT,
        "language" TEXT, "forId" TEXT, "mime" TEXT, "props" TEXT, "autoPlay" BOOLEAN,
        "playerConfig" TEXT,
        FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS feedbacks (
        "id" TEXT PRIMARY KEY, "forId" TEXT NOT NULL, "threadId" TEXT NOT NULL,
        "value" INT NOT NULL, "comment" TEXT,
        FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
)
# The same tables with PostgreSQL types: Chainlit binds JSON columns as JSON text and tags as
# lists. Ids stay TEXT, as in the SQLite file (Chainlit's documented schema has UUID).
PG_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS users (
        "id" TEXT PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE,
        "metadata" JSONB NOT NULL, "createdAt" TEXT)""",
    """CREATE TABLE IF NOT EXISTS threads (
        "id" TEXT PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" TEXT,
        "userIdentifier" TEXT, "tags" TEXT[], "metadata" JSONB,
        FOREIGN KEY ("userId") REFERENCES users("id") ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS steps (
        "id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
        "threadId" TEXT NOT NULL, "parentId" TEXT, "streaming" BOOLEAN NOT NULL,
        "waitForAnswer" BOOLEAN, "isError" BOOLEAN, "metadata" JSONB, "tags" TEXT[],
        "input" TEXT, "output" TEXT, "createdAt" TEXT, "command" TEXT, "modes" JSONB,
        "start" TEXT, "end" TEXT, "generation" JSONB, "showInput" TEXT, "language" TEXT,
        "indent" INT, "defaultOpen" BOOLEAN, "autoCollapse" BOOLEAN, "icon" TEXT,
        FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS elements (
        "id" TEXT PRIMARY KEY, "threadId" TEXT, "type" TEXT, "url" TEXT, "chainlitKey" TEXT,
        "name" TEXT NOT NULL, "display" TEXT, "objectKey" TEXT, "size" TEXT, "page" INT,
        "language" TEXT, "forId" TEXT, "mime" TEXT, "props" JSONB, "autoPlay" BOOLEAN,
        "playerConfig" JSONB,
        FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS feedbacks (
        "id" TEXT PRIMARY KEY, "forId" TEXT NOT NULL, "threadId" TEXT NOT NULL,
        "value" INT NOT NULL, "comment" TEXT,
        FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
    # A shared server holds many users' conversations: listing, purging and deleting by thread.
    'CREATE INDEX IF NOT EXISTS steps_thread ON steps ("threadId")',
    'CREATE INDEX IF NOT EXISTS elements_thread ON elements ("threadId")',
    'CREATE INDEX IF NOT EXISTS threads_user ON threads ("userId")',
    'CREATE INDEX IF NOT EXISTS threads_user_identifier ON threads ("userIdentifier")',
)
# Several web instances may start at once, and CREATE TABLE IF NOT EXISTS is not safe against
# a concurrent twin: they take turns on this advisory lock ("kompas h" as a number).
PG_SCHEMA_LOCK = 0x6B6F6D7061732068

# Last activity of each thread: its newest step, or its creation when it has none.
STALE_THREADS = """
    SELECT t."id" FROM threads t LEFT JOIN steps s ON s."threadId" = t."id"
    GROUP BY t."id" HAVING COALESCE(MAX(s."createdAt"), t."createdAt", '') < :cutoff
"""
USER_THREADS = 'SELECT "id" FROM threads WHERE "userIdentifier" = :user'
# Chainlit writes timestamps as ISO strings; byte order ("C") compares them as SQLite does,
# whatever the database's collation.
PG_STALE_THREADS = """
    SELECT t."id" FROM threads t LEFT JOIN steps s ON s."threadId" = t."id"
    GROUP BY t."id" HAVING COALESCE(MAX(s."createdAt"), t."createdAt", '') COLLATE "C" < %(cutoff)s
"""
PG_USER_THREADS = 'SELECT "id" FROM threads WHERE "userIdentifier" = %(user)s'


def history_enabled(settings: Settings) -> bool:
    """Tell whether chat history is kept: asked for, and with a login to keep it under."""
    if settings.history and not login_required(settings):
        # Chainlit lists past conversations per logged-in user; without a login nobody could
        # see them, so storing them would only keep personal data for nothing.
        log.warning("KOMPAS_HISTORY=1 needs KOMPAS_AUTH_PASSWORD; chat history stays off")
        return False
    return settings.history


def is_postgres(store: Store) -> bool:
    """Tell whether the history lives in PostgreSQL."""
    return isinstance(store, str) and store.startswith(("postgresql://", "postgres://"))


def history_store(settings: Settings) -> Store:
    """Return where the history lives: the checkpointer's PostgreSQL when it has one, else a file.

    Web instances that share their conversations' state in PostgreSQL share their history too.
    """
    location = settings.checkpointer_location
    return location if is_postgres(location) else settings.history_location


def _asyncpg_engine_args(url: str) -> tuple[str, dict[str, Any]]:
    """Return the SQLAlchemy URL and connect arguments of asyncpg for a libpq-style URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    engine_url = parsed.set(drivername="postgresql+asyncpg", query={})
    # SQLAlchemy hands URL options to asyncpg as keywords, which it does not take for libpq
    # options such as sslmode; asyncpg reads them from the URL itself.
    connect_args: dict[str, Any] = {"dsn": url} if parsed.query else {}
    return engine_url.render_as_string(hide_password=False), connect_args


def database_url(store: Store) -> str:
    """Return the SQLAlchemy URL of the history (Chainlit's data layer is async)."""
    if is_postgres(store):
        return _asyncpg_engine_args(str(store))[0]
    return f"sqlite+aiosqlite:///{store}"


def _unreachable(url: str, exc: Exception) -> Exception:
    from assistant.runtime import _redact
    from knowledge.errors import StoreUnavailableError

    return StoreUnavailableError(
        f"Cannot reach the PostgreSQL chat history at {_redact(url)} ({type(exc).__name__}). "
        "Start PostgreSQL, or unset KOMPAS_CHECKPOINTER_URL to keep history in SQLite."
    )


def _pg_ids(url: str, query: str, params: dict[str, Any]) -> list[str]:
    import psycopg
    from psycopg import errors

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            return [str(row[0]) for row in conn.execute(query, params)]
    except errors.UndefinedTable:
        return []  # no history kept yet
    except psycopg.OperationalError as exc:
        raise _unreachable(url, exc) from exc


def create_tables(store: Store) -> None:
    """Create the history tables if they do not exist yet."""
    if is_postgres(store):
        import psycopg

        url = str(store)
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as pg, pg.transaction():
                pg.execute("SELECT pg_advisory_xact_lock(%s)", (PG_SCHEMA_LOCK,))
                for statement in PG_SCHEMA:
                    pg.execute(statement)
        except psycopg.OperationalError as exc:
            raise _unreachable(url, exc) from exc
        return
    path = Path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in SCHEMA:
            conn.execute(statement)


def make_data_layer(store: Store) -> SQLAlchemyDataLayer:
    """Return Chainlit's SQL data layer on the history (tables must exist)."""
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    connect_args = _asyncpg_engine_args(str(store))[1] if is_postgres(store) else {}
    layer = SQLAlchemyDataLayer(conninfo=database_url(store), connect_args=connect_args)
    # Chainlit logs a failed statement's error, which SQLAlchemy writes with the bound values:
    # the text of the messages. Keep them out of the logs.
    layer.engine.sync_engine.hide_parameters = True
    return layer


def _ids(path: Path, query: str, params: dict[str, Any]) -> list[str]:
    if not path.is_file():
        return []
    with closing(sqlite3.connect(path)) as conn:
        return [str(row[0]) for row in conn.execute(query, params)]


def stale_threads(store: Store, days: int, now: dt.datetime | None = None) -> list[str]:
    """Return the threads whose last message is older than ``days``."""
    moment = now or dt.datetime.now()
    # Chainlit writes timestamps as ISO strings, so they compare as text.
    cutoff = (moment - dt.timedelta(days=days)).isoformat()
    if is_postgres(store):
        return _pg_ids(str(store), PG_STALE_THREADS, {"cutoff": cutoff})
    return _ids(Path(store), STALE_THREADS, {"cutoff": cutoff})


def user_threads(store: Store, user: str) -> list[str]:
    """Return the threads of a logged-in user."""
    if is_postgres(store):
        return _pg_ids(str(store), PG_USER_THREADS, {"user": user})
    return _ids(Path(store), USER_THREADS, {"user": user})


class Forgotten(BaseModel):
    """How much was deleted."""

    threads: int = 0
    drafts: int = 0


async def forget(thread_ids: list[str], runtime: Runtime, layer: BaseDataLayer | None) -> Forgotten:
    """Delete conversations everywhere they live: history, graph state and drafts."""
    done = Forgotten()
    for thread in dict.fromkeys(thread_ids):
        if layer is not None:
            await layer.delete_thread(thread)
        # The checkpointer holds the messages and facts of the conversation.
        await asyncio.to_thread(runtime.checkpointer.delete_thread, thread)
        if await asyncio.to_thread(runtime.drafts.delete, thread):
            done.drafts += 1
        done.threads += 1
    return done
