"""Faults a small business will meet: a killed server, a damaged index, a broken data file.

Each test asserts what the owner sees: the conversation goes on, or a message that names the
file or field and the command that repairs it (exit code 2, no traceback).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from chat_client import ChatClient
from helpers import KOMPAS, ROOT, free_port, run_kompas, wait_until_up

from assistant.cli import main
from assistant.logs import OWN_LOGGERS
from assistant.runtime import Runtime
from knowledge.corpus import CORPUS_DIR
from knowledge.store import open_client
from tools import base as tool_base

QUESTION = "Moet ik een verwerkingsregister bijhouden?"
ANSWER = "nieuwsbrief, geen personeel"
OTHER_MODEL = "all-MiniLM-L6-v2"


@pytest.fixture
def warm_data_dir(shared_runtime: Runtime) -> Path:
    """This test's data folder with the router's example vectors already computed."""
    shared_runtime.router.warm_up()
    data = Path(os.environ["KOMPAS_DATA_DIR"])
    shutil.copytree(shared_runtime.settings.data_dir / "cache", data / "cache")
    return data


@pytest.fixture
def server(built_index: Path, warm_data_dir: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A ``kompas serve`` process on the shared index, and its URL."""
    port = free_port()
    env = {**os.environ, "KOMPAS_CHROMA": str(built_index), "CHAINLIT_APP_ROOT": str(ROOT)}
    proc = subprocess.Popen(
        [KOMPAS, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, proc)
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=15)


@pytest.mark.slow
def test_server_killed_mid_conversation_leaves_the_question_open(
    server: tuple[subprocess.Popen[str], str], built_index: Path
) -> None:
    proc, url = server

    async def ask_then_get_killed() -> tuple[str, str]:
        client = ChatClient(url)
        await client.connect()
        reply = await client.send(QUESTION, timeout=90)
        # The owner is reading the question when the machine loses the process.
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)
        with contextlib.suppress(Exception):
            await client.close()
        return client.thread_id, str(reply.get("output", ""))

    thread, question = asyncio.run(ask_then_get_killed())
    assert "Hoeveel mensen" in question
    assert proc.returncode == -signal.SIGKILL
    # Same data folder, new process: the answer continues the case where it was.
    result = run_kompas("ask", ANSWER, "--thread", thread, "--json", env={"KOMPAS_CHROMA": str(built_index)})
    assert result.returncode == 0, result.stderr
    turn = json.loads(result.stdout)
    assert (turn["kind"], turn["topic"]) == ("verdict", "register")
    assert turn["verdict"]["required"] == "likely"


def _small_corpus(tmp_path: Path) -> Path:
    """One page in three languages: enough to index, quick to embed."""
    corpus = tmp_path / "corpus"
    (corpus / "register").mkdir(parents=True)
    for page in sorted((CORPUS_DIR / "register").glob("register-dpo.*.md")):
        shutil.copy(page, corpus / "register" / page.name)
    return corpus


def _refused(result: subprocess.CompletedProcess[str]) -> str:
    """Assert a clean refusal and return the command it tells the user to run."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr, result.stderr
    fix = re.search(r"`(kompas index[^`]*)`", result.stderr)
    assert fix, result.stderr
    return fix.group(1)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Undo the logging set-up of in-process ``kompas`` runs (handlers bound to captured streams)."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {n: logging.getLogger(n).level for n in OWN_LOGGERS}
    yield
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def _run_fix(
    command: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """Run the repair command the user was told to run; return what it printed.

    In this process, where the model is already loaded: the same ``main`` as the ``kompas``
    command, without paying for a second model load.
    """
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    code = main(command.split()[1:])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.slow
def test_index_of_another_model_is_refused_and_kompas_index_rebuilds_it(
    index_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = open_client(str(index_copy)).get_collection("kompas_guidance")
    collection.modify(metadata={**(collection.metadata or {}), "embedding_model": OTHER_MODEL})
    env = {"KOMPAS_CHROMA": str(index_copy), "KOMPAS_CORPUS_DIR": str(_small_corpus(tmp_path))}

    refused = run_kompas("ask", QUESTION, env=env)
    fix = _refused(refused)
    assert OTHER_MODEL in refused.stderr and fix == "kompas index"
    repaired = _run_fix(fix, env, monkeypatch, capsys)
    # Vectors of another model are worthless here: every passage is embedded again.
    assert re.search(r"index: (\d+) chunks, \1 embedded", repaired), repaired
    again = _run_fix("kompas index", env, monkeypatch, capsys)
    assert " 0 embedded" in again, again


@pytest.mark.slow
def test_damaged_or_deleted_index_is_named_and_the_named_command_repairs_it(
    index_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"KOMPAS_CHROMA": str(index_copy), "KOMPAS_CORPUS_DIR": str(_small_corpus(tmp_path))}
    database = index_copy / "chroma.sqlite3"

    # Cut short, as by a full disk or an interrupted copy.
    with database.open("r+b") as handle:
        handle.truncate(database.stat().st_size // 3)
    truncated = _refused(run_kompas("ask", QUESTION, env=env))
    # Overwritten with garbage, as by a bad sector or another program.
    database.write_bytes(b"\x00garbage\xff" * 4096)
    garbled = _refused(run_kompas("ask", QUESTION, env=env))
    assert truncated == garbled == "kompas index --rebuild"
    repaired = _run_fix(garbled, env, monkeypatch, capsys)
    assert re.search(r"index: (\d+) chunks, \1 embedded", repaired), repaired

    # Thrown away altogether: the message says to build it (building is tested in test_cli).
    shutil.rmtree(index_copy)
    assert _refused(run_kompas("ask", QUESTION, env=env)) == "kompas index"


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda text: text.replace("\ntitle:", "\nheading:", 1), "title"),
        (
            lambda text: re.sub(r"last_reviewed: .*", "last_reviewed: gisteren", text, count=1),
            "last_reviewed",
        ),
        (lambda text: text.replace("topic: register", "topic: [register", 1), "not valid YAML"),
        (lambda text: text.split("\n---\n", 1)[0] + "\n", "not closed"),
    ],
    ids=["missing-field", "bad-date", "bad-yaml", "unclosed"],
)
def test_malformed_corpus_page_is_named_with_its_field_at_index_time(
    tmp_path: Path, damage: Callable[[str], str], named: str
) -> None:
    corpus = _small_corpus(tmp_path)
    page = corpus / "register" / "register-dpo.fr.md"
    page.write_text(damage(page.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_kompas("index", env={"KOMPAS_CORPUS_DIR": str(corpus), "KOMPAS_CHROMA": str(tmp_path / "c")})
    assert result.returncode == 2, result.stderr
    assert str(page) in result.stderr and named in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def rules_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the rule files that a test may break (the cache forgets both ways)."""
    folder = tmp_path / "rules"
    shutil.copytree(tool_base.RULES_DIR, folder)
    monkeypatch.setattr(tool_base, "RULES_DIR", folder)
    tool_base._load_rules.cache_clear()
    yield folder
    tool_base._load_rules.cache_clear()


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda text: re.sub(r"(?m)^version: .*\n", "", text, count=1), "version: Field required"),
        (lambda text: re.sub(r"(?m)^valid_from: .*", "valid_from: soon", text, count=1), "valid_from"),
        (
            lambda text: re.sub(r"(?m)^employee_threshold: .*", "employee_threshold: many", text),
            "employee_threshold",
        ),
        (lambda text: text + "\n  - [unclosed\n", "not valid YAML"),
    ],
    ids=["missing-field", "bad-date", "bad-number", "bad-yaml"],
)
def test_malformed_rule_file_is_named_with_its_field(
    rules_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[str], str],
    named: str,
) -> None:
    rule_file = rules_dir / "register.yaml"
    rule_file.write_text(damage(rule_file.read_text(encoding="utf-8")), encoding="utf-8")
    facts = tmp_path / "facts.json"
    facts.write_text('{"employees": 3, "processing": ["newsletter"]}')
    assert main(["assess", "register", "--facts", str(facts)]) == 2
    err = capsys.readouterr().err
    assert str(rule_file) in err and named in err, err
    assert "Traceback" not in err and len(err.splitlines()) == 1
