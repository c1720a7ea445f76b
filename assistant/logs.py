"""Structured logs (one ``key=value`` line per event) that never carry what people typed.

Kompas's own loggers log events with counts and ids, never message text. Libraries log at
DEBUG whatever passes through them (documents, requests), so they stay at WARNING whatever
``KOMPAS_LOG_LEVEL`` says.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

OWN_LOGGERS = ("assistant", "knowledge", "tools", "evals", "kompas", "bench")
DEFAULT_LEVEL = "WARNING"
LIBRARY_LEVEL = logging.WARNING
# Attributes every LogRecord has; anything else was passed with ``extra=`` and is a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_BARE = re.compile(r"^[A-Za-z0-9_.:/@+-]+$")


def _value(value: object) -> str:
    text = str(value)
    if _BARE.match(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class KeyValueFormatter(logging.Formatter):
    """Format a record as ``ts=… level=… logger=… msg=… key=value …`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one logfmt line."""
        fields: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            # The exception's type only: its text may quote input, and a trace is for DEBUG runs.
            fields["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "unknown"
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())


def parse_level(name: str | None) -> int:
    """Return the logging level called ``name`` (WARNING when unset or unknown)."""
    level = logging.getLevelName((name or DEFAULT_LEVEL).strip().upper())
    return level if isinstance(level, int) else logging.WARNING


def setup_logging(level_name: str | None) -> None:
    """Send structured lines to standard error: Kompas at ``level_name``, libraries at WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    # Replace only a handler of ours, so calling this twice (tests, embedding) never doubles lines.
    for old in [h for h in root.handlers if isinstance(h.formatter, KeyValueFormatter)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(LIBRARY_LEVEL)
    level = parse_level(level_name)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
    if level_name and logging.getLevelName(level_name.strip().upper()) != level:
        logging.getLogger("kompas").warning("unknown log level", extra={"given": level_name[:20]})
