"""The turn output of ``kompas ask --json`` (contracts §3)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

TurnKind = Literal["answer", "clarification", "verdict", "draft", "out_of_scope"]


class Option(BaseModel):
    """A button: the value sent back when clicked, and its label."""

    value: str
    label: str


class CitationRef(BaseModel):
    """A legal source shown with the answer."""

    label: str
    doc_id: str | None = None
    url: str


class PassageRef(BaseModel):
    """A retrieved passage the answer rests on."""

    doc_id: str
    chunk_id: str
    score: float


class Turn(BaseModel):
    """One assistant turn, as printed by ``kompas ask --json``."""

    thread_id: str
    lang: str
    topic: str | None = None
    kind: TurnKind
    text: str
    asks: list[str] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    verdict: dict[str, Any] | None = None
    # Added to the contract: one {service, verdict} per service when a provider does several
    # things of different natures (then ``verdict`` is the part the conversation continues with).
    parts: list[dict[str, Any]] = Field(default_factory=list)
    artefact: dict[str, Any] | None = None
    citations: list[CitationRef] = Field(default_factory=list)
    passages: list[PassageRef] = Field(default_factory=list)
