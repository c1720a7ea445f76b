"""A minimal socket.io client that talks to the Chainlit server as the web page does."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import socketio


class ChatClient:
    """One browser session: send messages, collect the assistant's replies."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session_id = str(uuid.uuid4())
        self.thread_id = str(uuid.uuid4())
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: list[dict[str, Any]] = []
        self._done = asyncio.Event()
        self.sio.on("new_message", self._on_message)
        self.sio.on("task_end", self._on_task_end)

    async def _on_message(self, step: dict[str, Any]) -> None:
        if step.get("type") == "assistant_message":
            self.replies.append(step)

    async def _on_task_end(self, *_: Any) -> None:
        self._done.set()

    async def connect(self) -> None:
        """Open the socket as a web page would."""
        auth = {
            "clientType": "webapp",
            "sessionId": self.session_id,
            "threadId": self.thread_id,
            "userEnv": "{}",
        }
        await self.sio.connect(
            self.base_url, socketio_path="/ws/socket.io", auth=auth, transports=["websocket"]
        )
        await self.sio.emit("connection_successful")

    async def send(self, text: str, timeout: float = 60) -> dict[str, Any]:
        """Send a user message and return the assistant's reply to it."""
        before = len(self.replies)
        self._done.clear()
        step = {
            "id": str(uuid.uuid4()),
            "threadId": self.thread_id,
            "name": "User",
            "type": "user_message",
            "output": text,
            "createdAt": dt.datetime.now(dt.UTC).isoformat(),
        }
        await self.sio.emit("client_message", {"message": step, "fileReferences": None})
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.replies) == before:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"no reply to {text!r} within {timeout}s")
            self._done.clear()
            try:
                await asyncio.wait_for(self._done.wait(), timeout=min(remaining, 1.0))
            except TimeoutError:
                continue
        return self.replies[-1]

    async def close(self) -> None:
        """Disconnect."""
        await self.sio.disconnect()
