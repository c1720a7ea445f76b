"""Logs are structured ``key=value`` lines and never hold what people typed."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from helpers import run_kompas

from assistant.conversation import ask
from assistant.logs import OWN_LOGGERS, KeyValueFormatter, parse_level, setup_logging
from assistant.runtime import Runtime

NAME = "Jan Peeters"
EMAIL = "jan.peeters@voorbeeld.be"
FIRST = f"{NAME} ({EMAIL}) vroeg op 3 november om zijn webshopaccount en nieuwsbrief te wissen."
SECOND = "Ja, het is echt Jan, zelfde mailadres. Hij wil ook geen reclame meer van ons."
# Nothing of what was typed may show: the name, the address, any piece of either message.
SECRETS = ["Jan", "Peeters", EMAIL, "voorbeeld", "webshopaccount", "mailadres", "reclame"]
LINE = re.compile(r"^ts=\S+ level=[A-Z]+ logger=\S+ msg=")


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if re.search(rf"\b{re.escape(s)}\b", text, flags=re.IGNORECASE)]


@pytest.fixture
def conversation_runtime(shared_runtime: Runtime, tmp_path: Path) -> Runtime:
    """A runtime on the shared index and router cache, with its own conversation store."""
    settings = shared_runtime.settings.model_copy(update={"checkpointer": str(tmp_path / "chk.sqlite")})
    return Runtime(settings)


@pytest.mark.slow
def test_a_conversation_with_a_name_and_email_leaves_neither_in_any_log(
    conversation_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    # Every logger at DEBUG, libraries included: stricter than any setting a user can choose.
    caplog.set_level(logging.DEBUG)
    # Our own loggers keep the level an earlier `kompas` call in this process gave them.
    for name in OWN_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    first = ask(FIRST, thread_id="logs-1", runtime=conversation_runtime)
    ask(SECOND, thread_id="logs-1", runtime=conversation_runtime)
    assert first.topic == "erasure"
    formatter = KeyValueFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert "logger=assistant.conversation msg=turn" in logged  # the turns were logged …
    assert _leaks(logged) == []  # … without what was said


@pytest.mark.slow
def test_cli_logs_at_debug_are_structured_and_hold_no_message_text(
    conversation_runtime: Runtime, built_index: Path
) -> None:
    # Turn 1 in this process; turn 2 (the answer, with personal data) from the command line.
    ask(FIRST, thread_id="logs-2", runtime=conversation_runtime)
    env = {
        "KOMPAS_CHROMA": str(built_index),
        "KOMPAS_CHECKPOINTER": str(conversation_runtime.settings.checkpointer),
        "KOMPAS_LOG_LEVEL": "debug",
    }
    result = run_kompas("ask", SECOND, "--thread", "logs-2", env=env)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("(thread ")]
    assert lines and all(LINE.match(line) for line in lines), lines
    assert any("msg=turn" in line and "resume=True" in line for line in lines)
    assert _leaks(result.stderr) == []


def test_library_loggers_stay_at_warning_whatever_the_level() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {n: logging.getLogger(n).level for n in ("assistant", "kompas")})
    try:
        setup_logging("DEBUG")
        assert logging.getLogger("assistant.conversation").isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("chromadb").isEnabledFor(logging.INFO)
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
        setup_logging("info")
        assert sum(isinstance(h.formatter, KeyValueFormatter) for h in root.handlers) == 1
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)
    assert parse_level("nonsense") == logging.WARNING and parse_level("info") == logging.INFO


def test_a_log_line_quotes_values_and_keeps_extras_as_fields() -> None:
    record = logging.LogRecord("assistant.x", logging.INFO, __file__, 1, "two words", None, None)
    record.chars = 12
    record.path = 'a "b"\nc'
    line = KeyValueFormatter().format(record)
    assert LINE.match(line)
    assert 'msg="two words"' in line and "chars=12" in line and 'path="a \\"b\\"\\nc"' in line
