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
        raise IndexCorruptError(
            f"The index in {path} cannot be opened ({type(exc).__name__}). "
            "Run `kompas index --rebuild` to rebuild it."
        ) from exc
