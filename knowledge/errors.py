"""Domain errors of the knowledge layer, each with the fix a user can apply."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class: the message says what is wrong and how to repair it."""


class ModelMissingError(KnowledgeError):
    """The embedding model folder does not exist or is incomplete."""


class IndexMissingError(KnowledgeError):
    """No index has been built yet."""


class IndexMismatchError(KnowledgeError):
    """The index was built with another embedding model."""


class IndexCorruptError(KnowledgeError):
    """The index folder cannot be read."""


class CorpusError(KnowledgeError):
    """A corpus page or the citation registry is malformed."""


class StoreUnavailableError(KnowledgeError):
    """A configured server (Chroma or PostgreSQL) cannot be reached."""
