"""Fixtures of the browser tests: the web chat server and Debian's headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e.webchat import ARTEFACTS, CHROMIUM, Server, app_root, start_server, stop_server


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Folder for screenshots, downloads and timings (kept after the run, ignored by git)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, built_index: Path, model_dir: Path) -> Iterator[Server]:
    """The web chat with default settings (no login, no history)."""
    root = app_root(tmp_path_factory.mktemp("web-root"))
    server = start_server(root, built_index, model_dir)
    yield server
    output = stop_server(server)
    # Logs never contain message text: these phrases are typed in the tests.
    for typed in ("facturen uit 2023", "Do I have to keep a record", "ordinateur"):
        assert typed not in output, typed
    assert "Traceback" not in output


# Module scope: Playwright's sync API keeps an event loop in this thread while it runs, and later
# tests call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a browser Playwright downloads)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed: `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Root in CI has no user namespaces for Chromium's sandbox.
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
