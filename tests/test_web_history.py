"""Web chat history and privacy: tables, retention, forgetting a conversation everywhere, login."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from assistant.runtime import Runtime
from assistant.settings import Settings
from assistant.web import access, history
from knowledge.errors import StoreUnavailableError

# Importing Chainlit warns about a dependency of its own (traceloop), not about Kompas.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:traceloop.*")


def _thread(db: Path, thread: str, user: str, created: str, steps: list[str]) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            'INSERT INTO threads ("id", "createdAt", "userIdentifier", "metadata") VALUES (?, ?, ?, ?)',
            (thread, created, user, "{}"),
        )
        for n, when in enumerate(steps):
            conn.execute(
                'INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output", "createdAt")'
                " VALUES (?, 'Kompas', 'assistant_message', ?, 0, 'x', ?)",
                (f"{thread}-{n}", thread, when),
            )


def test_tables_are_created_once_and_hold_what_chainlit_writes(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    history.create_tables(db)
    history.create_tables(db)  # idempotent: every start-up calls it
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        step_columns = {r[1] for r in conn.execute("PRAGMA table_info(steps)")}
    assert tables == {"users", "threads", "steps", "elements", "feedbacks"}
    # Columns Chainlit 2.12 writes for a message (Step.to_dict) must all exist.
    assert {"command", "modes", "defaultOpen", "autoCollapse", "showInput", "generation"} <= step_columns


def test_retention_finds_threads_by_their_last_message(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    history.create_tables(db)
    now = dt.datetime(2026, 3, 31, 12, 0)
    _thread(db, "old", "kompas", "2026-01-01T10:00:00Z", ["2026-01-01T10:01:00Z"])
    _thread(db, "revived", "kompas", "2026-01-01T10:00:00Z", ["2026-03-30T09:00:00Z"])
    _thread(db, "empty-old", "kompas", "2026-02-01T10:00:00Z", [])
    _thread(db, "other-user", "someone", "2026-03-30T10:00:00Z", [])
    assert sorted(history.stale_threads(db, 30, now)) == ["empty-old", "old"]
    assert sorted(history.user_threads(db, "kompas")) == ["empty-old", "old", "revived"]
    assert history.stale_threads(tmp_path / "missing.sqlite", 30, now) == []


def test_forgetting_deletes_graph_state_and_drafts(tmp_path: Path) -> None:
    runtime = Runtime(Settings(data_dir=tmp_path / "data", checkpointer=str(tmp_path / "cp.sqlite")))
    saver = runtime.checkpointer
    conn: sqlite3.Connection = saver.conn  # type: ignore[attr-defined]
    for thread in ("a", "b"):
        conn.execute(
            "INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, type, checkpoint, metadata)"
            " VALUES (?, '', '1', 'json', x'00', x'00')",
            (thread,),
        )
        folder = runtime.drafts.folder(thread)
        folder.mkdir(parents=True)
        (folder / "erasure_reply.nl.md").write_text("Beste klant", encoding="utf-8")
    conn.commit()
    done = asyncio.run(history.forget(["a", "a"], runtime, None))
    assert (done.threads, done.drafts) == (1, 1)
    left = [r[0] for r in conn.execute("SELECT thread_id FROM checkpoints")]
    assert left == ["b"]
    assert not runtime.drafts.folder("a").exists() and runtime.drafts.folder("b").exists()


def test_history_follows_the_checkpointer_into_postgres(tmp_path: Path) -> None:
    local = tmp_path / "web-history.sqlite"
    assert history.history_store(Settings(data_dir=tmp_path)) == local
    assert (
        history.history_store(Settings(data_dir=tmp_path, checkpointer=str(tmp_path / "cp.sqlite"))) == local
    )
    assert history.database_url(local) == f"sqlite+aiosqlite:///{local}"
    url = "postgresql://kompas:p%40ss@db:5432/kompas?sslmode=require"
    assert history.history_store(Settings(data_dir=tmp_path, checkpointer=url)) == url
    # asyncpg takes no libpq options as keywords: they travel in the URL it reads itself.
    assert history.database_url(url) == "postgresql+asyncpg://kompas:p%40ss@db:5432/kompas"
    layer = history.make_data_layer(url)  # connects on first use only
    assert layer.engine.url.drivername == "postgresql+asyncpg" and layer.engine.url.password == "p@ss"
    asyncio.run(layer.close())


def test_an_unreachable_postgres_history_is_named_without_its_password() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreUnavailableError) as caught:
        history.create_tables(f"postgresql://kompas:topsecret@127.0.0.1:{port}/kompas")
    assert "Cannot reach" in str(caught.value) and "topsecret" not in str(caught.value)
    assert "kompas:***@127.0.0.1" in str(caught.value)


def test_a_failed_write_does_not_log_the_message(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from chainlit.context import ChainlitContext, context_var
    from chainlit.session import HTTPSession

    db = tmp_path / "h.sqlite"
    history.create_tables(db)
    secret = "Jan Peeters vroeg om wissing"

    async def write() -> None:
        layer = history.make_data_layer(db)
        context_var.set(ChainlitContext(HTTPSession(id="s", client_type="webapp", thread_id="t")))
        # A step without "streaming" breaks a NOT NULL constraint; Chainlit logs the error.
        step: Any = {"id": "s1", "threadId": "t", "name": "Kompas", "type": "assistant_message"}
        await layer.create_step({**step, "output": secret})
        await layer.close()

    asyncio.run(write())
    assert "NOT NULL" in caplog.text and secret not in caplog.text


def test_history_needs_a_login_to_belong_to() -> None:
    assert not history.history_enabled(Settings(history=True))
    assert history.history_enabled(Settings(history=True, auth_password=SecretStr("s3cret")))
    assert not history.history_enabled(Settings(auth_password=SecretStr("s3cret")))


def test_login_checks_name_and_password() -> None:
    settings = Settings(auth_password=SecretStr("s3cret"))
    assert access.login_required(settings)
    assert access.check_login(settings, "kompas", "s3cret")
    assert not access.check_login(settings, "kompas", "wrong")
    assert not access.check_login(settings, "admin", "s3cret")
    assert not access.login_required(Settings())
    assert not access.login_required(Settings(auth_password=SecretStr("")))
    assert not access.check_login(Settings(), "kompas", "")
