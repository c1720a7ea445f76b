"""Runtime settings, read from ``KOMPAS_*`` environment variables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.corpus import CORPUS_DIR
from knowledge.embedding import DEFAULT_MODEL_DIRNAME


class Settings(BaseSettings):
    """Every knob of a Kompas process; embedded defaults need no configuration at all."""

    model_config = SettingsConfigDict(env_prefix="KOMPAS_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path("data"), description="Folder for the index, chats and models.")
    today: dt.date | None = Field(default=None, description="Fixes 'today' for deadline maths.")
    embedding_model: Path | None = Field(
        default=None, description="Folder of a sentence-transformers model; default: the converted e5."
    )
    # KOMPAS_CHROMA_URL / KOMPAS_CHECKPOINTER_URL name servers (scale-out); KOMPAS_CHROMA and
    # KOMPAS_CHECKPOINTER, read the same, also take a local folder or file.
    chroma: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KOMPAS_CHROMA_URL", "KOMPAS_CHROMA"),
        description="Embedded Chroma folder, or http://host:port of a Chroma server.",
    )
    checkpointer: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KOMPAS_CHECKPOINTER_URL", "KOMPAS_CHECKPOINTER"),
        description="SQLite file for conversation state, or a postgresql:// URL.",
    )
    collection: str = Field(default="kompas_guidance", min_length=3)
    corpus_dir: Path = Field(default=CORPUS_DIR, description="Folder of the guidance pages to index.")
    log_level: str = Field(default="WARNING")
    # Web chat: login and chat history stay off unless the owner turns them on.
    auth_user: str = Field(default="kompas", min_length=1, description="Login name when a password is set.")
    auth_password: SecretStr | None = Field(
        default=None, description="Password for the web chat; unset means no login."
    )
    history: bool = Field(
        default=False, description="Keep web chat history (SQLite file, or the PostgreSQL checkpointer)."
    )
    history_days: int = Field(default=30, ge=1, description="Delete web chat history older than this.")

    @field_validator("today", mode="before")
    @classmethod
    def _date_part(cls, value: object) -> object:
        # `--today 2026-03-02T10:00` carries a time for breach clocks; the date is what counts here.
        if isinstance(value, str) and "T" in value:
            return value.split("T", 1)[0]
        return value

    @property
    def model_path(self) -> Path:
        """Return the embedding model folder."""
        return self.embedding_model or self.data_dir / "models" / DEFAULT_MODEL_DIRNAME

    @property
    def chroma_location(self) -> str:
        """Return the Chroma folder or server URL."""
        return self.chroma or str(self.data_dir / "chroma")

    @property
    def checkpointer_location(self) -> str:
        """Return the checkpointer SQLite path or Postgres URL."""
        return self.checkpointer or str(self.data_dir / "checkpoints.sqlite")

    @property
    def history_location(self) -> Path:
        """Return the SQLite file of the web chat history."""
        return self.data_dir / "web-history.sqlite"

    def resolved_today(self) -> dt.date:
        """Return the fixed 'today' if set, else the real date."""
        return self.today or dt.date.today()
