"""Helpers shared by the tests: paths and running the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
