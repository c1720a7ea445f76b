"""Open the Chroma vector store: an embedded folder by default, or a Chroma server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from knowledge import offline  # noqa: F401
from knowledge.errors import IndexCorruptError, StoreUnavailableError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI


def _chroma_settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=True)


def is_server(location: str) -> bool:
    """Tell whether ``location`` names a Chroma server rather than a folder."""
    return location.startswith(("http://", "https://"))


def open_client(location: str) -> ClientAPI:
    """Return a Chroma client for a folder path or an ``http://host:port`` URL."""
    import chromadb

    if is_server(location):
        url = urlparse(location)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=_chroma_settings(),
            )
        except Exception as exc:  # the client checks the server at once and raises ValueError
            raise StoreUnavailableError(
                f"Cannot reach the Chroma server at {location} ({type(exc).__name__}). Start it "
                "(`chroma run --path DIR --port PORT`), or unset KOMPAS_CHROMA_URL to use the "
                "embedded index."
            ) from exc
    path = Path(location)
    path.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except Exception as exc:  # chromadb raises many types for a damaged folder
        _forget_client(str(path))
        raise IndexCorruptError(
            f"The index in {path} cannot be opened ({type(exc).__name__}). "
            "Run `kompas index --rebuild` to rebuild it."
        ) from exc


def _forget_client(path: str) -> None:
    """Drop chromadb's process-wide client for ``path`` after it failed to open.

    chromadb keeps that half-started client and hands it out again, so without this every
    later open in the same process fails too, even after the folder was deleted and rebuilt
    (``kompas index --rebuild`` would then refuse the very repair it recommends).
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    systems = getattr(SharedSystemClient, "_identifier_to_system", None)
    if isinstance(systems, dict):
        systems.pop(path, None)
