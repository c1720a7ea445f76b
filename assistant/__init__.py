"""The conversation: the only package that imports LangGraph or Chainlit."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["ask"]


def __getattr__(name: str) -> Any:
    # Lazy, so `kompas assess` does not pay for importing LangGraph and the model stack.
    if name == "ask":
        return importlib.import_module("assistant.conversation").ask
    raise AttributeError(name)
