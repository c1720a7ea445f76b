"""Start Kompas commands as a user would: fresh processes with an isolated data folder."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KOMPAS = str(Path(sys.executable).with_name("kompas"))


def kompas_env(data_dir: Path, model: Path, chroma: str | None = None) -> dict[str, str]:
    """Return an environment that points Kompas at ``data_dir`` (and optionally a built index)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPAS_")}
    env.update(
        KOMPAS_DATA_DIR=str(data_dir),
        KOMPAS_EMBEDDING_MODEL=str(model),
        # The answer is timed when it is printed, not when the process has torn down.
        PYTHONUNBUFFERED="1",
    )
    if chroma is not None:
        env["KOMPAS_CHROMA"] = chroma
    return env


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
