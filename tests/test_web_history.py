"""Web chat history and privacy: tables, retention, forgetting a conversation everywhere, login."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

from pydantic import SecretStr

from assistant.runtime import Runtime
from assistant.settings import Settings
from assistant.web import access, history


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
