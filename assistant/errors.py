"""Errors of the conversation layer, shown to the user as plain messages."""

from __future__ import annotations


class InputError(ValueError):
    """The message cannot be handled as given (too long, empty); the text says why."""
