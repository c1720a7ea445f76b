"""The Chainlit web chat: thin handlers that render the turns of ``assistant.conversation.ask``.

Everything the owner reads comes from a ``Turn`` (the conversation graph, or the cookie checklist
that calls the same tool and drafting code); ``assistant/web/`` words and shapes it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

import chainlit as cl
from chainlit.data import get_data_layer
from chainlit.input_widget import Select, Switch
from chainlit.server import app as chainlit_server
from chainlit.types import ThreadDict

from assistant.conversation import ask
from assistant.errors import InputError
from assistant.extract import command
from assistant.lexicons import contains_phrase
from assistant.messages import text
from assistant.runtime import get_runtime
from assistant.settings import Settings
from assistant.turn import Turn
from assistant.web import access, health, history
from assistant.web.cards import Button, Reply, turn_reply
from assistant.web.checklist import Checklist
from assistant.web.locale import (
    UI_LANGS,
    Lang,
    LanguageFallback,
    language_names,
    ui_lang,
    web_text,
    web_tree,
)
from knowledge.errors import KnowledgeError

log = logging.getLogger("kompas.web")

SETTINGS = Settings()
STARTERS = ("cookie_check", "register", "erasure", "photos", "dpa", "vendor", "robots", "breach")
CHECKLIST_COMMAND = "cookie_checklist"
PURGE_EVERY_SECONDS = 3600

chainlit_server.add_middleware(LanguageFallback)
health.install(chainlit_server)
HISTORY = history.history_enabled(SETTINGS)
# A SQLite file, or the checkpointer's PostgreSQL, which then holds the history of every instance.
HISTORY_STORE = history.history_store(SETTINGS)
if HISTORY:
    history.create_tables(HISTORY_STORE)

    @cl.data_layer
    def _data_layer() -> Any:
        return history.make_data_layer(HISTORY_STORE)


if access.login_required(SETTINGS):
    access.ensure_auth_secret()

    @cl.password_auth_callback
    async def _login(username: str, password: str) -> cl.User | None:
        if access.check_login(SETTINGS, username, password):
            return cl.User(identifier=SETTINGS.auth_user, metadata={"provider": "password"})
        return None


@cl.on_app_startup
async def _start_up() -> None:
    # Serve the page at once; load the model and index in the background.
    threading.Thread(target=_safe_warm_up, name="kompas-warm-up", daemon=True).start()
    await _purge_old_history()


def _safe_warm_up() -> None:
    try:
        get_runtime().warm_up()
    except KnowledgeError as exc:
        log.error("warm-up failed: %s", exc)


_last_purge = 0.0


async def _purge_old_history() -> None:
    """Delete conversations past the retention period (history, graph state, drafts)."""
    global _last_purge
    if not HISTORY or (_last_purge and time.monotonic() - _last_purge < PURGE_EVERY_SECONDS):
        return
    _last_purge = time.monotonic()
    try:
        stale = await asyncio.to_thread(history.stale_threads, HISTORY_STORE, SETTINGS.history_days)
        if stale:
            done = await history.forget(stale, get_runtime(), get_data_layer())
            log.info("retention: deleted %d conversations", done.threads)
    except Exception as exc:  # retention must never stop the chat
        log.error("retention purge failed: %s", type(exc).__name__)


# --- session state -------------------------------------------------------------------------


def _thread_id() -> str:
    return str(cl.context.session.thread_id)


def _lang() -> Lang:
    chosen = cl.user_session.get("lang")
    # A websocket session knows the browser's Accept-Language; Chainlit's HTTP session does not.
    return ui_lang(chosen or getattr(cl.context.session, "language", None))


def _remember_thread() -> None:
    # Without history, "my conversations" are the ones of this browser session.
    seen: list[str] = cl.user_session.get("threads") or []
    if _thread_id() not in seen:
        cl.user_session.set("threads", [*seen, _thread_id()])


async def _send(reply: Reply, slot: str | None = None) -> cl.Message:
    """Send a rendered reply; remember its buttons under ``slot`` so they can be removed later."""
    elements: list[Any] = [cl.Text(name=b.name, content=b.content, display=b.display) for b in reply.blocks]
    elements += [cl.File(name=f.name, path=str(f.path), mime=f.mime, display="inline") for f in reply.files]
    actions = [cl.Action(name=b.callback, payload=b.payload, label=b.label) for b in reply.buttons]
    message = cl.Message(content=reply.content, elements=elements, actions=actions)
    await message.send()
    if slot and actions:
        cl.user_session.set(slot, message)
    return message


async def _close(slot: str) -> None:
    """Remove the buttons of an answered question, so an old one cannot be clicked again."""
    message: cl.Message | None = cl.user_session.get(slot)
    if message is not None:
        cl.user_session.set(slot, None)
        await message.remove_actions()


async def _echo(label: str) -> None:
    """Show a clicked button's label as the owner's message."""
    await cl.Message(content=label, type="user_message", author="user").send()


async def _say(key: str, *path: str, **fmt: object) -> None:
    await cl.Message(content=web_text(_lang(), key, *path, **fmt)).send()


# --- the conversation ----------------------------------------------------------------------


async def _reply(message: str, lang: str | None = None) -> None:
    """Run one turn of the graph in a worker thread and render it."""
    _remember_thread()
    await _close("graph_actions")
    override: str | None = lang or cl.user_session.get("lang_override")
    try:
        turn: Turn = await cl.make_async(ask)(message, thread_id=_thread_id(), lang=override)
    except InputError as exc:
        await cl.Message(content=str(exc)).send()
        return
    except KnowledgeError as exc:
        await cl.Message(content=f"⚠️ {exc}").send()
        return
    except Exception as exc:  # never show a traceback in the chat
        log.error("turn failed: %s", type(exc).__name__)
        await cl.Message(content=text(_lang(), "error")).send()
        return
    cl.user_session.set("turn_lang", turn.lang)
    await _send(turn_reply(turn), slot="graph_actions")


@cl.set_starters
async def starters(user: cl.User | None = None, language: str | None = None) -> list[cl.Starter]:
    """Offer the core scenarios on the empty chat, in the browser's language."""
    lang = ui_lang(language)
    items = web_tree(lang, "starters")
    return [
        cl.Starter(
            label=str(items[key]["label"]),
            message=str(items[key]["message"]),
            command=CHECKLIST_COMMAND if key == "cookie_check" else None,
        )
        for key in STARTERS
    ]


@cl.on_chat_start
async def on_chat_start() -> None:
    """Set the language from the browser and offer the settings (language, delete)."""
    cl.user_session.set("lang", _lang())
    await _send_settings(_lang())
    await _purge_old_history()


@cl.on_chat_resume
async def on_chat_resume(thread: ThreadDict) -> None:
    """Reopen a stored conversation: the graph state is found by the same thread id."""
    cl.user_session.set("lang", _lang())
    await _send_settings(_lang())


async def _send_settings(lang: Lang) -> None:
    await cl.ChatSettings(
        [
            Select(
                id="language",
                label=web_text(lang, "language_setting"),
                items=language_names(),
                initial_value=lang,
            ),
            Switch(id="delete", label=web_text(lang, "delete_setting"), initial=False),
        ]
    ).send()


@cl.on_settings_update
async def on_settings_update(values: dict[str, Any]) -> None:
    """Switch the language, or ask to confirm deleting the owner's conversations."""
    chosen = ui_lang(str(values.get("language") or _lang()))
    if chosen != _lang():
        cl.user_session.set("lang", chosen)
        cl.user_session.set("lang_override", chosen)
        # The welcome screen's starters stay in the browser's language: offer them again.
        items = web_tree(chosen, "starters")
        buttons = [
            Button(callback="starter", label=str(items[k]["label"]), payload={"key": k}) for k in STARTERS
        ]
        await _send(
            Reply(content=web_text(chosen, "language_changed"), buttons=buttons), slot="graph_actions"
        )
    if values.get("delete"):
        await _ask_delete()
    await _send_settings(_lang())


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """Answer a typed message: a command, an answer to the checklist, or a conversation turn."""
    content = message.content or ""
    if message.command == CHECKLIST_COMMAND:
        await _checklist_start()
        return
    if any(contains_phrase(content, str(p)) for lang in UI_LANGS for p in web_tree(lang, "delete_phrases")):
        await _ask_delete()
        return
    state: Checklist | None = cl.user_session.get("checklist")
    if state is not None:
        if command(content) == "start_over":
            await _checklist_stop()
        else:
            await _checklist_answer(state.current() or "", content)
            return
    await _reply(content)


@cl.action_callback("choose")
async def on_choose(action: cl.Action) -> None:
    """Answer a clicked button as if its value had been typed."""
    await _echo(str(action.payload.get("label") or action.label))
    # A button value ("identity_verified:true") has no language of its own: keep the one the
    # button was shown in.
    await _reply(str(action.payload["value"]), lang=cl.user_session.get("turn_lang"))


@cl.action_callback("starter")
async def on_starter(action: cl.Action) -> None:
    """Start one of the core scenarios from a button, as its starter would."""
    key = str(action.payload.get("key"))
    item = web_tree(_lang(), "starters").get(key)
    if item is None:
        return
    await _echo(str(item["label"]))
    if key == "cookie_check":
        await _close("graph_actions")
        await _checklist_start()
    else:
        await _reply(str(item["message"]))


# --- the guided cookie-banner check --------------------------------------------------------


async def _checklist_start() -> None:
    _remember_thread()
    state = Checklist(lang=_lang())
    cl.user_session.set("checklist", state)
    await _say("checklist", "intro")
    await _checklist_next(state)


async def _checklist_next(state: Checklist) -> None:
    screen = state.screen()
    if screen is None:
        await _checklist_finish(state)
        return
    await _send(Reply(content=screen.content, buttons=screen.buttons), slot="checklist_actions")


async def _checklist_answer(fact: str, answer: str) -> None:
    state: Checklist | None = cl.user_session.get("checklist")
    if state is None:
        return
    today = get_runtime().settings.resolved_today()
    if not state.answer(fact, answer, today):
        await _say("checklist", "not_understood")
        return
    await _close("checklist_actions")
    await _checklist_next(state)


async def _checklist_finish(state: Checklist) -> None:
    cl.user_session.set("checklist", None)
    await cl.Message(content=state.done_text()).send()
    rt = get_runtime()
    try:
        turns = await cl.make_async(state.result)(rt.drafts, _thread_id(), rt.settings.resolved_today())
    except Exception as exc:  # never show a traceback in the chat
        log.error("checklist result failed: %s", type(exc).__name__)
        await cl.Message(content=text(state.lang, "error")).send()
        return
    for turn in turns:
        await _send(turn_reply(turn))


async def _checklist_stop() -> None:
    cl.user_session.set("checklist", None)
    await _close("checklist_actions")
    await _say("checklist", "stopped")


@cl.action_callback("checklist")
async def on_checklist(action: cl.Action) -> None:
    """Answer the checklist's current question with a clicked button."""
    await _echo(str(action.payload.get("label") or action.label))
    await _checklist_answer(str(action.payload.get("fact")), str(action.payload.get("value")))


@cl.action_callback("checklist_stop")
async def on_checklist_stop(action: cl.Action) -> None:
    """Leave the checklist."""
    await _checklist_stop()


# --- deleting the owner's conversations ----------------------------------------------------


async def _ask_delete() -> None:
    lang = _lang()
    await _close("delete_actions")
    buttons = [
        Button(callback="delete_yes", label=web_text(lang, "delete_yes")),
        Button(callback="delete_no", label=web_text(lang, "delete_no")),
    ]
    await _send(Reply(content=web_text(lang, "delete_confirm"), buttons=buttons), slot="delete_actions")


@cl.action_callback("delete_yes")
async def on_delete_yes(action: cl.Action) -> None:
    """Delete the owner's conversations, their graph state and their drafts."""
    await _close("delete_actions")
    threads: list[str] = list(cl.user_session.get("threads") or [])
    layer = None
    user = cl.user_session.get("user")
    if HISTORY and user is not None:
        layer = get_data_layer()
        threads += await asyncio.to_thread(history.user_threads, HISTORY_STORE, user.identifier)
    if _thread_id() not in threads:
        threads.append(_thread_id())
    try:
        done = await history.forget(threads, get_runtime(), layer)
    except Exception as exc:  # never show a traceback in the chat
        log.error("delete failed: %s", type(exc).__name__)
        await cl.Message(content=text(_lang(), "error")).send()
        return
    cl.user_session.set("threads", [])
    cl.user_session.set("checklist", None)
    await _say("delete_done", threads=done.threads, drafts=done.drafts)
    if layer is not None:
        # Saying so stored a message in this conversation again: it goes as well.
        await layer.delete_thread(_thread_id())


@cl.action_callback("delete_no")
async def on_delete_no(action: cl.Action) -> None:
    """Keep everything."""
    await _close("delete_actions")
    await _say("delete_cancelled")
