"""Read and validate the guidance pages in ``knowledge/corpus``."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.errors import CorpusError
from knowledge.taxonomy import Lang, Topic

CORPUS_DIR = Path(__file__).with_name("corpus")


class Source(BaseModel):
    """A source of a page: a label from the citation registry and its URL."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=3)
    url: str = Field(pattern=r"^https://")


class PageMeta(BaseModel):
    """Front matter of a corpus page."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]+$")
    lang: Lang
    topic: Topic
    title: str = Field(min_length=3)
    related_tools: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    last_reviewed: dt.date
    contested: str | None = None


class Page(BaseModel):
    """A corpus page: its metadata, Markdown body and the file it came from."""

    meta: PageMeta
    body: str
    path: Path

    @property
    def source_labels(self) -> list[str]:
        """Return the citation labels of this page's sources."""
        return [s.label for s in self.meta.sources]


def parse_page(path: Path) -> Page:
    """Parse one Markdown file with YAML front matter, naming the file and field on error."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise CorpusError(f"{path}: missing YAML front matter (the file must start with '---')")
    try:
        head, body = text[4:].split("\n---\n", 1)
    except ValueError as exc:
        raise CorpusError(f"{path}: front matter is not closed with '---'") from exc
    try:
        raw = yaml.safe_load(head)
        meta = PageMeta.model_validate(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).replace("\n", " ")
        # Line numbers count from the top of the file: the front matter starts on line 2.
        where = f"line {mark.line + 2}, column {mark.column + 1}: " if mark else ""
        raise CorpusError(f"{path}: front matter is not valid YAML: {where}{problem}") from exc
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CorpusError(f"{path}: invalid front matter: {fields}") from exc
    stem_lang = path.name.rsplit(".", 2)[-2] if path.name.count(".") >= 2 else None
    if stem_lang != meta.lang:
        raise CorpusError(f"{path}: lang is {meta.lang!r} but the file name says {stem_lang!r}")
    if path.parent.name != meta.topic:
        raise CorpusError(f"{path}: topic is {meta.topic!r} but the page lies in {path.parent.name}/")
    return Page(meta=meta, body=body.strip() + "\n", path=path)


def load_corpus(root: Path = CORPUS_DIR) -> list[Page]:
    """Load every page under ``root`` in a stable order."""
    pages = [parse_page(p) for p in sorted(root.glob("*/*.md"))]
    if not pages:
        raise CorpusError(f"{root}: no corpus pages found")
    seen: dict[tuple[str, str], Path] = {}
    for page in pages:
        key = (page.meta.id, page.meta.lang)
        if key in seen:
            raise CorpusError(f"{page.path}: id {page.meta.id!r} ({page.meta.lang}) also used by {seen[key]}")
        seen[key] = page.path
    return pages


def corpus_hash(pages: list[Page]) -> str:
    """Return a digest of the whole corpus (stored with the index)."""
    digest = hashlib.sha256()
    for page in pages:
        digest.update(page.path.name.encode())
        digest.update(page.path.read_bytes())
    return digest.hexdigest()[:16]
