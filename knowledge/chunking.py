"""Split corpus pages into heading-sized passages with stable ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pydantic import BaseModel

from knowledge.corpus import Page

# e5 reads at most 512 tokens; ~250 words of Dutch or French stays well below that.
MAX_WORDS = 250
_HEADING = re.compile(r"^(#{2,3})\s+(.*)$")


class Chunk(BaseModel):
    """One indexable passage of a page."""

    chunk_id: str
    doc_id: str
    lang: str
    topic: str
    title: str
    heading: str
    text: str
    sources: list[str]

    @property
    def content_hash(self) -> str:
        """Return a digest of what gets embedded and stored."""
        payload = "\x1f".join([self.text, self.heading, self.title, ",".join(self.sources)])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug for ``text``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


def _sections(body: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            sections.append((match.group(2).strip(), []))
        else:
            sections[-1][1].append(line)
    return [(h, lines) for h, lines in sections if "\n".join(lines).strip()]


def _split_long(text: str) -> list[str]:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    parts: list[str] = []
    current: list[str] = []
    words = 0
    for para in paragraphs:
        n = len(para.split())
        if current and words + n > MAX_WORDS:
            parts.append("\n\n".join(current))
            current, words = [], 0
        current.append(para)
        words += n
    if current:
        parts.append("\n\n".join(current))
    return parts


def chunk_page(page: Page) -> list[Chunk]:
    """Split a page by its ``##``/``###`` headings, prefixing title and heading to each passage."""
    meta = page.meta
    chunks: list[Chunk] = []
    used: set[str] = set()
    for heading, lines in _sections(page.body):
        for n, part in enumerate(_split_long("\n".join(lines))):
            slug = slugify(heading) if heading else "intro"
            if n:
                slug = f"{slug}-{n + 1}"
            while slug in used:
                slug += "-x"
            used.add(slug)
            path = f"{meta.title} › {heading}" if heading else meta.title
            chunks.append(
                Chunk(
                    chunk_id=f"{meta.id}.{meta.lang}#{slug}",
                    doc_id=meta.id,
                    lang=meta.lang,
                    topic=meta.topic,
                    title=meta.title,
                    heading=heading,
                    text=f"{path}\n\n{part}",
                    sources=page.source_labels,
                )
            )
    return chunks
