"""Helpers of the browser tests: a real ``kompas serve`` in a temporary root, and the chat page."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import KOMPAS, ROOT, free_port, wait_until_up

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = ROOT / "test-artifacts" / "e2e"
ASSISTANT = '[data-step-type="assistant_message"]'
# The first answer waits for the model to load; on a busy 2-core machine that can take a while.
FIRST_ANSWER_TIMEOUT = 180_000


@dataclass
class Server:
    """A running web chat: where it listens, its data folder and when it started."""

    url: str
    data_dir: Path
    log: Path
    proc: subprocess.Popen[bytes]
    started: float
    ready: float
    timings: dict[str, float] = field(default_factory=dict)


def app_root(target: Path) -> Path:
    """Copy what Chainlit reads (config, translations, welcome pages, public/) into ``target``."""
    (target / ".chainlit" / "translations").mkdir(parents=True)
    shutil.copy(ROOT / ".chainlit" / "config.toml", target / ".chainlit" / "config.toml")
    for name in ("nl-BE", "fr-BE", "en-US"):
        shutil.copy(
            ROOT / ".chainlit" / "translations" / f"{name}.json", target / ".chainlit" / "translations"
        )
    for page in ROOT.glob("chainlit*.md"):
        shutil.copy(page, target / page.name)
    shutil.copytree(ROOT / "public", target / "public")
    return target


def start_server(root: Path, index: Path, model: Path, extra: dict[str, str] | None = None) -> Server:
    """Start ``kompas serve`` on a free port and wait until the page answers."""
    port = free_port()
    data_dir = root / "data"
    # Only what the test sets: no developer KOMPAS_* or CHAINLIT_* settings leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPAS_", "CHAINLIT_"))}
    env |= {
        "CHAINLIT_APP_ROOT": str(root),
        "KOMPAS_DATA_DIR": str(data_dir),
        "KOMPAS_CHROMA": str(index),
        "KOMPAS_EMBEDDING_MODEL": str(model),
        "KOMPAS_LOG_LEVEL": "INFO",
        **(extra or {}),
    }
    log = root / "server.log"
    started = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [KOMPAS, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=root
        )
    url = f"http://127.0.0.1:{port}"
    try:
        assert b"Kompas" in wait_until_up(url, proc)
    except RuntimeError:
        proc.kill()
        raise RuntimeError(f"server did not start:\n{log.read_text(errors='replace')}") from None
    return Server(url, data_dir, log, proc, started, time.monotonic())


def stop_server(server: Server) -> str:
    """Stop the server and return its log."""
    server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
    return server.log.read_text(encoding="utf-8", errors="replace")


def open_page(browser: Any, server: Server, locale: str) -> Any:
    """Open a page as a browser set to ``locale``; requests leaving the machine are refused."""
    context = browser.new_context(
        locale=locale, viewport={"width": 1000, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(120_000)
    page = context.new_page()
    # Offline like an owner's laptop: the fonts and KaTeX CDNs the page names fail fast.
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(server.url) else route.abort()
    )
    return page


def reply_count(page: Any) -> int:
    """Return how many assistant messages the page shows."""
    return int(page.locator(ASSISTANT).count())


def wait_replies(page: Any, more_than: int, timeout: float = 120_000) -> Any:
    """Wait for a new assistant message and return the last one."""
    page.wait_for_function(
        f"n => document.querySelectorAll('{ASSISTANT}').length > n", arg=more_than, timeout=timeout
    )
    # Chainlit streams a message in parts; give the last one a moment to settle.
    page.wait_for_timeout(300)
    return page.locator(ASSISTANT).last


def wait_connected(page: Any) -> None:
    """Wait until the chat is connected: the starters are enabled only then (typing earlier is lost)."""
    page.locator("[id^='starter-']:not([disabled])").first.wait_for()


def wait_idle(page: Any, timeout: float = 120_000) -> None:
    """Wait until the assistant has finished its turn: Chainlit ignores input while a task runs."""
    page.locator("#stop-button").wait_for(state="detached", timeout=timeout)


def type_message(page: Any, text: str, timeout: float = 120_000) -> Any:
    """Type a message, send it and return the reply."""
    wait_idle(page)
    before = reply_count(page)
    page.locator("#chat-input").fill(text)
    page.keyboard.press("Enter")
    return wait_replies(page, before, timeout)


def click_button(page: Any, label: str, where: Any = None) -> Any:
    """Click a button by its label (in ``where`` or anywhere) and return the reply."""
    wait_idle(page)
    before = reply_count(page)
    scope = where if where is not None else page
    scope.get_by_role("button", name=label, exact=True).last.click()
    return wait_replies(page, before)


def button_labels(message: Any) -> list[str]:
    """Return the labels of a message's buttons (its icon-only copy button has none)."""
    labels = [str(b.inner_text()).strip() for b in message.get_by_role("button").all()]
    return [label for label in labels if label]
