"""A health endpoint for load balancers and deployments: up, warmed up, which engines."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from assistant.runtime import get_runtime
from knowledge.store import is_server


async def health() -> dict[str, Any]:
    """Report that the server answers, whether the model is loaded, and which stores it uses."""
    runtime = get_runtime()
    settings = runtime.settings
    return {
        "status": "ok",
        # The page is served before the model is loaded; a proxy may wait for `ready`.
        "ready": "graph" in runtime.__dict__,
        "index": "server" if is_server(settings.chroma_location) else "embedded",
        "checkpointer": "postgres" if settings.checkpointer_location.startswith("postgres") else "sqlite",
    }


def install(app: FastAPI) -> None:
    """Serve GET /healthz, ahead of Chainlit's catch-all page route."""
    app.router.routes.insert(0, APIRoute("/healthz", health, methods=["GET"]))
