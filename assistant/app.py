"""The Chainlit web chat: thin handlers around ``assistant.conversation.ask``."""

from __future__ import annotations

import logging
import threading

import chainlit as cl

from assistant.conversation import ask
from assistant.errors import InputError
from assistant.messages import text
from assistant.runtime import get_runtime
from assistant.turn import Turn
from knowledge.errors import KnowledgeError

log = logging.getLogger("kompas.web")


@cl.on_app_startup
def _warm_up() -> None:
    # Serve the page at once; load the model and index in the background.
    threading.Thread(target=_safe_warm_up, name="kompas-warm-up", daemon=True).start()


def _safe_warm_up() -> None:
    try:
        get_runtime().warm_up()
    except KnowledgeError as exc:
        log.error("warm-up failed: %s", exc)


def _thread_id() -> str:
    return str(cl.context.session.thread_id)


async def _reply(message: str) -> None:
    try:
        turn: Turn = await cl.make_async(ask)(message, thread_id=_thread_id())
    except InputError as exc:
        await cl.Message(content=str(exc)).send()
        return
    except KnowledgeError as exc:
        await cl.Message(content=f"⚠️ {exc}").send()
        return
    except Exception as exc:  # never show a traceback in the chat
        log.error("turn failed: %s", type(exc).__name__)
        await cl.Message(content=text("nl", "error")).send()
        return
    actions = [cl.Action(name="choose", payload={"value": o.value}, label=o.label) for o in turn.options]
    await cl.Message(content=turn.text, actions=actions).send()


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """Answer a typed message."""
    await _reply(message.content)


@cl.action_callback("choose")
async def on_choose(action: cl.Action) -> None:
    """Answer a clicked button as if its value had been typed."""
    await _reply(str(action.payload["value"]))
