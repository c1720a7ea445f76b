"""A small document model that renders to Markdown, DOCX and CSV alike."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

# Characters that would turn user text into Markdown structure (links, emphasis, HTML).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
PLACEHOLDER = re.compile(r"⟦([^⟧]+)⟧")
# Control characters (terminal escapes, NUL, …) have no place in a letter, and Word files
# cannot hold them at all: python-docx refuses to save text that contains them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def md_escape(text: str) -> str:
    """Escape user-supplied text so it shows as typed in Markdown, never as markup."""
    flat = " ".join(_CONTROL.sub("", str(text)).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


class Block(BaseModel):
    """One block of a document: a heading, a paragraph, a list or a table."""

    kind: Literal["heading", "paragraph", "bullets", "numbered", "table"]
    text: str = ""
    level: int = 2
    items: list[str] = Field(default_factory=list)
    headers: list[str] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)
    # Columns that are the legal minimum (marked in every format), by index.
    required_columns: list[int] = Field(default_factory=list)


class Document(BaseModel):
    """A titled sequence of blocks; text in blocks is already-escaped Markdown inline text."""

    title: str
    blocks: list[Block] = Field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        """Append a heading."""
        self.blocks.append(Block(kind="heading", text=text, level=level))

    def paragraph(self, text: str) -> None:
        """Append a paragraph."""
        self.blocks.append(Block(kind="paragraph", text=text))

    def bullets(self, items: list[str], numbered: bool = False) -> None:
        """Append a bulleted (or numbered) list; empty lists are skipped."""
        if items:
            self.blocks.append(Block(kind="numbered" if numbered else "bullets", items=items))

    def table(
        self, headers: list[str], rows: list[list[str]], required_columns: list[int] | None = None
    ) -> None:
        """Append a table."""
        self.blocks.append(
            Block(kind="table", headers=headers, rows=rows, required_columns=required_columns or [])
        )

    def placeholders(self) -> list[str]:
        """Return the names of the visible placeholders left in the document, in order."""
        texts = [self.title]
        for b in self.blocks:
            texts += [b.text, *b.items, *b.headers, *(c for row in b.rows for c in row)]
        return list(dict.fromkeys(m for t in texts for m in PLACEHOLDER.findall(t)))


def _cell(text: str) -> str:
    # Pipes already escaped by md_escape stay as they are; bare ones would split the cell.
    return re.sub(r"(?<!\\)\|", r"\\|", text).replace("\n", " ")


def to_markdown(doc: Document) -> str:
    """Render the document as Markdown."""
    out = [f"# {doc.title}"]
    for b in doc.blocks:
        if b.kind == "heading":
            out.append(f"{'#' * max(2, min(b.level, 4))} {b.text}")
        elif b.kind == "paragraph":
            out.append(b.text)
        elif b.kind == "bullets":
            out.append("\n".join(f"- {i}" for i in b.items))
        elif b.kind == "numbered":
            out.append("\n".join(f"{n}. {i}" for n, i in enumerate(b.items, 1)))
        elif b.kind == "table":
            headers = [h + (" \\*" if n in b.required_columns else "") for n, h in enumerate(b.headers)]
            lines = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)|\\.)")


def _plain(text: str) -> str:
    """Turn escaped inline Markdown back into the text a reader sees."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    text = text.replace("**", "")
    return re.sub(r"\\(.)", r"\1", text)


def _add_runs(paragraph: object, text: str) -> None:
    # Bold segments stay bold in Word; everything else is plain text.
    for part in re.split(r"(\*\*[^*]+\*\*)", text):
        if not part:
            continue
        bold = part.startswith("**") and part.endswith("**")
        run = paragraph.add_run(_plain(part[2:-2] if bold else part))  # type: ignore[attr-defined]
        run.bold = bold


def to_docx(doc: Document, path: Path) -> Path:
    """Write the document as a Word file with real headings, lists and tables."""
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading(_plain(doc.title), level=0)
    for b in doc.blocks:
        if b.kind == "heading":
            word.add_heading(_plain(b.text), level=max(1, min(b.level - 1, 3)))
        elif b.kind == "paragraph":
            _add_runs(word.add_paragraph(), b.text)
        elif b.kind in ("bullets", "numbered"):
            style = "List Number" if b.kind == "numbered" else "List Bullet"
            for item in b.items:
                _add_runs(word.add_paragraph(style=style), item)
        elif b.kind == "table":
            table = word.add_table(rows=1, cols=len(b.headers))
            table.style = "Table Grid"
            for n, header in enumerate(b.headers):
                cell = table.rows[0].cells[n]
                cell.text = ""
                run = cell.paragraphs[0].add_run(_plain(header) + (" *" if n in b.required_columns else ""))
                run.bold = True
            for row in b.rows:
                cells = table.add_row().cells
                for n, value in enumerate(row):
                    cells[n].text = _plain(value)
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


def to_csv(doc: Document) -> str:
    """Return the document's first table as CSV (semicolon-separated, as Belgian Excel expects)."""
    table = next((b for b in doc.blocks if b.kind == "table"), None)
    if table is None:
        raise ValueError("this document has no table to export as CSV")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(
        [_plain(h) + (" *" if n in table.required_columns else "") for n, h in enumerate(table.headers)]
    )
    writer.writerows([[_plain(c) for c in row] for row in table.rows])
    return buffer.getvalue()
