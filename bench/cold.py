"""Cold start: from process start to the first answer, for ``kompas ask`` and ``kompas serve``."""

from __future__ import annotations

import asyncio
import importlib.util
import statistics
import subprocess
import time
import urllib.request
from types import ModuleType
from typing import Any

from bench.procs import KOMPAS, ROOT, free_port
from bench.stats import peak_rss_mb

QUESTION = "Moet ik als eenmanszaak met een nieuwsbrief een verwerkingsregister bijhouden?"
PAGE_TIMEOUT_S = 120
ANSWER_TIMEOUT_S = 120


def ask_once(env: dict[str, str]) -> dict[str, float]:
    """Run ``kompas ask`` once; return seconds to the first byte of the answer and to exit."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [KOMPAS, "ask", QUESTION, "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None
    proc.stdout.read(1)
    answered = time.perf_counter() - started
    _, err = proc.communicate(timeout=ANSWER_TIMEOUT_S)
    exited = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"kompas ask failed ({proc.returncode}): {err.decode()[-500:]}")
    return {"answer_s": answered, "exit_s": exited}


def cli(env: dict[str, str], runs: int = 3) -> dict[str, Any]:
    """Return the median time to the answer of ``kompas ask`` over ``runs`` fresh processes."""
    # An untimed first run fills the router's example cache in the data folder and the OS
    # file cache, as any earlier use of Kompas on this machine would have.
    ask_once(env)
    samples = [ask_once(env) for _ in range(runs)]
    return {
        "answer_s": round(statistics.median(s["answer_s"] for s in samples), 2),
        "exit_s": round(statistics.median(s["exit_s"] for s in samples), 2),
        "runs": [round(s["answer_s"], 2) for s in samples],
    }


def _chat_client() -> ModuleType:
    # The socket.io client the serve tests use: one implementation of Chainlit's protocol.
    spec = importlib.util.spec_from_file_location("chat_client", ROOT / "tests" / "chat_client.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("tests/chat_client.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wait_for_page(url: str, proc: subprocess.Popen[bytes], deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as page:
                if page.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"kompas serve exited with {proc.returncode} before serving the page")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no page at {url} within {PAGE_TIMEOUT_S}s")
        time.sleep(0.1)


async def _first_answer(url: str, client_module: ModuleType) -> dict[str, Any]:
    client = client_module.ChatClient(url)
    await client.connect()
    try:
        reply: dict[str, Any] = await client.send(QUESTION, timeout=ANSWER_TIMEOUT_S)
        return reply
    finally:
        await client.close()


def serve(env: dict[str, str]) -> dict[str, Any]:
    """Start ``kompas serve``; time the page and the first answer; report the server's peak RSS."""
    client_module = _chat_client()  # imported before the clock starts: it is the browser's part
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [KOMPAS, "serve", "--port", str(port)],
        env={**env, "CHAINLIT_APP_ROOT": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_page(url, proc, time.monotonic() + PAGE_TIMEOUT_S)
        page_s = time.perf_counter() - started
        reply = asyncio.run(_first_answer(url, client_module))
        answer_s = time.perf_counter() - started
        return {
            "page_s": round(page_s, 2),
            "first_answer_s": round(answer_s, 2),
            "answered": bool(str(reply.get("output", "")).strip()),
            "rss_mb": peak_rss_mb(proc.pid),
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
