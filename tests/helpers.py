"""Helpers shared by the tests: paths and running the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "data" / "models" / "multilingual-e5-small"
KOMPAS = str(Path(sys.executable).with_name("kompas"))


def run_kompas(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``kompas`` command in a fresh process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [KOMPAS, *args], input=stdin, capture_output=True, text=True, env=full_env, timeout=timeout
    )


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[Any], seconds: float = 90) -> bytes:
    """Poll ``url`` until it answers and return the body; fail if ``proc`` exits or time runs out."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                body: bytes = reply.read()
                return body
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.2)
