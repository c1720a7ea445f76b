"""Shared fixtures: the real local model, a real Chroma index and isolated data folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import MODEL_DIR


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The converted e5 model (``make install`` builds it; converted here if missing)."""
    from knowledge import e5_convert

    if not e5_convert.is_converted(MODEL_DIR):
        e5_convert.convert(MODEL_DIR)
    return MODEL_DIR


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from the developer's data folder and settings."""
    for key in list(os.environ):
        if key.startswith("KOMPAS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KOMPAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KOMPAS_EMBEDDING_MODEL", str(MODEL_DIR))


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Path:
    """A Chroma folder with the full corpus indexed once for the session (read-only use)."""
    from knowledge.embedding import get_embedder
    from knowledge.index import build_index

    location = tmp_path_factory.mktemp("index") / "chroma"
    build_index(str(location), "kompas_guidance", get_embedder(model_dir))
    return location


@pytest.fixture
def index_copy(built_index: Path, tmp_path: Path) -> Path:
    """A private copy of the session index that a test may change or break."""
    target = tmp_path / "chroma"
    shutil.copytree(built_index, target)
    return target


@pytest.fixture(scope="session")
def shared_runtime(built_index: Path, tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> object:
    """One runtime for tests that only talk in their own threads (router and index load once)."""
    from assistant.runtime import Runtime
    from assistant.settings import Settings

    folder = tmp_path_factory.mktemp("shared")
    settings = Settings(
        data_dir=folder / "data",
        embedding_model=model_dir,
        chroma=str(built_index),
        checkpointer=str(folder / "checkpoints.sqlite"),
    )
    return Runtime(settings)


@pytest.fixture
def runtime(built_index: Path, tmp_path: Path, model_dir: Path) -> Iterator[object]:
    """A runtime on the shared index with its own checkpoint database."""
    from assistant.runtime import Runtime, set_runtime
    from assistant.settings import Settings

    settings = Settings(
        data_dir=tmp_path / "data",
        embedding_model=model_dir,
        chroma=str(built_index),
        checkpointer=str(tmp_path / "checkpoints.sqlite"),
    )
    rt = Runtime(settings)
    set_runtime(rt)
    yield rt
    set_runtime(None)
