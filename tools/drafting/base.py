"""What every artefact shares: the owner's details, the Draft result, dates and placeholders."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from tools.base import ToolError
from tools.drafting.document import Document, md_escape

WORDING_DIR = Path(__file__).with_name("wording")


class DraftingError(ToolError):
    """An artefact cannot be drafted from these facts (the message says what is missing)."""


class Owner(BaseModel):
    """The owner's details that go into a letter or record; anything missing stays a visible placeholder."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=400)
    contact: str | None = Field(default=None, max_length=200)
    signatory: str | None = Field(default=None, max_length=200)
    vat_number: str | None = Field(default=None, max_length=40)
    addressee: str | None = Field(default=None, max_length=200, description="Who the letter goes to.")
    provider_name: str | None = Field(default=None, max_length=200)
    event_name: str | None = Field(default=None, max_length=200)


class Draft(BaseModel):
    """A rendered artefact: its Markdown, what could not be filled in, and what it cites."""

    artefact: str
    lang: str
    title: str
    markdown: str
    unresolved: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    verdict: dict[str, Any]
    formats: list[str]
    document: Document = Field(exclude=True)


@cache
def wording(name: str) -> dict[str, Any]:
    """Return the wording file ``wording/<name>.yaml``."""
    path = WORDING_DIR / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ToolError(f"{path}: cannot read the wording file: {exc}") from exc
    if not isinstance(data, dict):
        raise ToolError(f"{path}: a wording file must be a mapping")
    return data


def say(name: str, lang: str, *path: str, **values: object) -> str:
    """Return the text at ``path`` of wording file ``name`` in ``lang``, filled with ``values``."""
    node: Any = wording(name)
    for key in path:
        node = node[key]
    text = node[lang] if isinstance(node, dict) else node
    return str(text).format(**values) if values else str(text)


def format_date(value: dt.date | str, lang: str) -> str:
    """Write a date the way it is read in ``lang`` (10 december 2026, 10 décembre 2026, 10 December 2026)."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    month = wording("common")["months"][lang][day.month - 1]
    return f"{day.day} {month} {day.year}"


def join(items: list[str], lang: str) -> str:
    """Join ``items`` as a sentence does: "a, b en c", "a, b et c", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {say('common', lang, 'and')} {items[-1]}"


def placeholder(field: str, lang: str) -> str:
    """Return a visible placeholder for a detail only the owner can fill in."""
    return f"⟦{say('common', lang, 'placeholders', field)}⟧"


def owner_value(owner: Owner, field: str, lang: str) -> str:
    """Return the owner's detail, escaped, or a visible placeholder when it is missing."""
    value = getattr(owner, field)
    return md_escape(value) if value and str(value).strip() else placeholder(field, lang)


def sources_section(doc: Document, citations: list[str], lang: str) -> None:
    """Append the list of legal sources, each with its registry title when known."""
    if citations:
        doc.heading(say("common", lang, "sources"))
        doc.bullets(list(dict.fromkeys(citations)))
