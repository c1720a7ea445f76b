"""One entry point for a conversation turn: CLI, web chat and evals all call ``ask``."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from langgraph.types import Command

from assistant.errors import InputError
from assistant.extract import command
from assistant.language import detect_language
from assistant.messages import text
from assistant.runtime import Runtime, get_runtime
from assistant.turn import Turn

log = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 4000


def _config(thread_id: str) -> Any:
    return {"configurable": {"thread_id": thread_id}}


def check_message(message: str, lang: str | None = None) -> None:
    """Refuse an empty or oversized message with a message in the user's language."""
    reply_lang = lang or detect_language(message[:500])[0]
    if len(message) > MAX_MESSAGE_CHARS:
        raise InputError(text(reply_lang, "too_long", size=len(message), limit=MAX_MESSAGE_CHARS))
    if not message.strip():
        raise InputError(text(reply_lang, "empty"))


def ask(
    message: str,
    thread_id: str | None = None,
    lang: str | None = None,
    today: dt.date | None = None,
    runtime: Runtime | None = None,
) -> Turn:
    """Run one turn of the conversation and return what the assistant says."""
    check_message(message, lang)
    rt = runtime or get_runtime()
    thread_id = thread_id or uuid.uuid4().hex
    config = _config(thread_id)
    graph = rt.graph
    pending = graph.get_state(config).interrupts
    day = (today or rt.settings.resolved_today()).isoformat()
    # Counts and ids only: the message itself is personal data and never goes to a log.
    log.info("turn", extra={"thread_id": thread_id, "resume": bool(pending), "chars": len(message)})
    if pending and command(message) == "start_over":
        # "Opnieuw beginnen" while a question is open: drop the question and start a fresh run.
        pending = ()
    if pending:
        # The answer to a pending question carries this turn's date and language override.
        graph.invoke(Command(resume={"message": message, "today": day, "lang": lang}), config)
    else:
        graph.invoke({"message": message, "lang_override": lang, "today": day}, config)
    snapshot = graph.get_state(config)
    payload = snapshot.interrupts[0].value if snapshot.interrupts else snapshot.values["turn"]
    return Turn(thread_id=thread_id, **payload)
