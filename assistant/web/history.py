"""Web chat history: off by default; when on, a local SQLite file with a retention period.

Chainlit's ``SQLAlchemyDataLayer`` stores threads and messages but does not create its tables,
so we create them here (SQLite types for the schema Chainlit documents for PostgreSQL).
Forgetting a conversation also forgets its graph state and its drafts: they hold the same
personal data.
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
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    from assistant.runtime import Runtime

log = logging.getLogger("kompas.web")

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
# Last activity of each thread: its newest step, or its creation when it has none.
STALE_THREADS = """
    SELECT t."id" FROM threads t LEFT JOIN steps s ON s."threadId" = t."id"
    GROUP BY t."id" HAVING COALESCE(MAX(s."createdAt"), t."createdAt", '') < :cutoff
"""
USER_THREADS = 'SELECT "id" FROM threads WHERE "userIdentifier" = :user'


def history_enabled(settings: Settings) -> bool:
    """Tell whether chat history is kept: asked for, and with a login to keep it under."""
    if settings.history and not login_required(settings):
        # Chainlit lists past conversations per logged-in user; without a login nobody could
        # see them, so storing them would only keep personal data for nothing.
        log.warning("KOMPAS_HISTORY=1 needs KOMPAS_AUTH_PASSWORD; chat history stays off")
        return False
    return settings.history


def database_url(path: Path) -> str:
    """Return the SQLAlchemy URL of the history file (Chainlit's data layer is async)."""
    return f"sqlite+aiosqlite:///{path}"


def create_tables(path: Path) -> None:
    """Create the history tables if they do not exist yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in SCHEMA:
            conn.execute(statement)


def make_data_layer(path: Path) -> SQLAlchemyDataLayer:
    """Return Chainlit's SQL data layer on the history file (tables must exist)."""
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    return SQLAlchemyDataLayer(conninfo=database_url(path))


def _ids(path: Path, query: str, params: dict[str, Any]) -> list[str]:
    if not path.is_file():
        return []
    with closing(sqlite3.connect(path)) as conn:
        return [str(row[0]) for row in conn.execute(query, params)]


def stale_threads(path: Path, days: int, now: dt.datetime | None = None) -> list[str]:
    """Return the threads whose last message is older than ``days``."""
    moment = now or dt.datetime.now()
    # Chainlit writes timestamps as ISO strings, so they compare as text.
    cutoff = (moment - dt.timedelta(days=days)).isoformat()
    return _ids(path, STALE_THREADS, {"cutoff": cutoff})


def user_threads(path: Path, user: str) -> list[str]:
    """Return the threads of a logged-in user."""
    return _ids(path, USER_THREADS, {"user": user})


class Forgotten(BaseModel):
    """How much was deleted."""

    threads: int = 0
    drafts: int = 0


async def forget(thread_ids: list[str], runtime: Runtime, layer: SQLAlchemyDataLayer | None) -> Forgotten:
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
