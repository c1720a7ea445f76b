"""Compare rendered text with a stored snapshot; UPDATE_SNAPSHOTS=1 rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOT_DIR = Path(__file__).parent / "drafting" / "snapshots"


def assert_snapshot(name: str, text: str) -> None:
    """Fail when ``text`` differs from the stored snapshot ``name`` (created on first run only when asked)."""
    path = SNAPSHOT_DIR / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"missing snapshot {path}; run with UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review and update the snapshot"
