"""Chroma embedding function backed by our local model, so Chroma never picks its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.embedding import Embedder, get_embedder


@register_embedding_function
class KompasEmbeddingFunction(EmbeddingFunction[Documents]):
    """Embed passages with the passage prompt and queries with the query prompt."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self.embedder.embed_passages(list(input))]

    def embed_query(self, input: Documents) -> Embeddings:
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self.embedder.embed_queries(list(input))]

    @staticmethod
    def name() -> str:
        return "kompas-local"

    def default_space(self) -> Any:
        return "cosine"

    def supported_spaces(self) -> Any:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"model_path": str(self.embedder.path), "model_name": self.embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> KompasEmbeddingFunction:
        return KompasEmbeddingFunction(get_embedder(Path(config["model_path"])))
