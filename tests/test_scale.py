"""Scale-out against real servers: a Chroma server, PostgreSQL, two web instances sharing both."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chat_client import ChatClient
from helpers import KOMPAS, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.scale]

PG_ADMIN = os.environ.get("KOMPAS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
CHROMA = Path(KOMPAS).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, proc: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.3)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Chroma server from the installed package, on a free loopback port."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(tmp_path_factory.mktemp("chroma-server")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{url}/api/v2/heartbeat", proc, 60)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh database on the local PostgreSQL (`.ci/run` starts the server when it is down)."""
    psycopg = pytest.importorskip("psycopg")
    name = f"kompas_test_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN}: {exc}")
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def scaled_env(
    chroma_url: str, postgres_url: str, tmp_path_factory: pytest.TempPathFactory, model_dir: Path
) -> dict[str, str]:
    """Environment of a Kompas process on the servers, indexed with a small corpus (the register)."""
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "knowledge" / "corpus" / "register", corpus / "register")
    env = {
        **os.environ,
        "KOMPAS_DATA_DIR": str(tmp_path_factory.mktemp("scaled-data")),
        "KOMPAS_EMBEDDING_MODEL": str(model_dir),
        "KOMPAS_CORPUS_DIR": str(corpus),
        "KOMPAS_CHROMA_URL": chroma_url,
        "KOMPAS_CHECKPOINTER_URL": postgres_url,
    }
    built = subprocess.run([KOMPAS, "index"], env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    return env


def _ask(env: dict[str, str], text: str, thread: str) -> dict[str, Any]:
    done = subprocess.run(
        [KOMPAS, "ask", "--json", "--thread", thread, text],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    turn: dict[str, Any] = json.loads(done.stdout)
    return turn


def test_index_on_the_chroma_server_is_searched_and_a_rerun_is_a_no_op(scaled_env: dict[str, str]) -> None:
    again = subprocess.run([KOMPAS, "index"], env=scaled_env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert " 0 embedded" in again.stdout + again.stderr
    turn = _ask(
        scaled_env,
        "Moet een bakkerij met 3 werknemers en een klantenbestand een register bijhouden?",
        f"t-{uuid.uuid4().hex}",
    )
    assert turn["passages"] and all(p["doc_id"].startswith("register") for p in turn["passages"])


def test_a_conversation_kept_in_postgres_resumes_in_a_new_process(scaled_env: dict[str, str]) -> None:
    thread = f"t-{uuid.uuid4().hex}"
    first = _ask(scaled_env, "Moet ik een verwerkingsregister bijhouden?", thread)
    assert first["kind"] == "clarification"
    # A second `kompas ask` is a new process: only PostgreSQL remembers the open question.
    second = _ask(scaled_env, "we hebben een klantenbestand en we zijn met 4", thread)
    assert second["kind"] == "verdict"
    assert second["verdict"]["required"] in (True, "likely")


def test_an_unreachable_server_gets_a_clear_message(scaled_env: dict[str, str]) -> None:
    port = _free_port()
    for key, url in (
        ("KOMPAS_CHROMA_URL", f"http://127.0.0.1:{port}"),
        ("KOMPAS_CHECKPOINTER_URL", f"postgresql://postgres@127.0.0.1:{port}/x"),
    ):
        done = subprocess.run(
            [KOMPAS, "ask", "hallo"],
            env={**scaled_env, key: url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2
        assert "Cannot reach" in done.stderr and "Traceback" not in done.stderr


def _serve(env: dict[str, str], root: Path) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [KOMPAS, "serve", "--port", str(port)],
        env={**env, "CHAINLIT_APP_ROOT": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_http(url, proc, 120)
    return proc, url


def test_two_web_instances_share_one_conversation(scaled_env: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(ROOT / ".chainlit", root / ".chainlit")
    for name in ("chainlit.md", "chainlit_fr-BE.md", "chainlit_en-US.md"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, root / name)
    if (ROOT / "public").exists():
        shutil.copytree(ROOT / "public", root / "public")
    first, second = _serve(scaled_env, root), _serve(scaled_env, root)
    try:
        with urllib.request.urlopen(f"{second[1]}/healthz", timeout=5) as reply:
            health = json.loads(reply.read())
        assert health["index"] == "server" and health["checkpointer"] == "postgres"

        async def talk() -> tuple[dict[str, Any], dict[str, Any]]:
            on_a = ChatClient(first[1])
            await on_a.connect()
            asked = await on_a.send("Moet ik een verwerkingsregister bijhouden?", timeout=120)
            await on_a.close()
            # The same browser thread reconnects to the other instance (a proxy may send it anywhere).
            on_b = ChatClient(second[1])
            on_b.thread_id = on_a.thread_id
            await on_b.connect()
            answered = await on_b.send("we hebben een klantenbestand en we zijn met 4", timeout=120)
            await on_b.close()
            return asked, answered

        asked, answered = asyncio.run(talk())
        assert (
            "verwerkingsregister" in asked["output"].lower() or "persoonsgegevens" in asked["output"].lower()
        )
        assert "register" in answered["output"].lower() and "ja" in answered["output"].lower()
    finally:
        for proc, _url in (first, second):
            proc.terminate()
            proc.wait(timeout=20)
