"""Drafted artefacts of a conversation, written under the data folder and deletable."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tools.drafting.artefacts import render
from tools.drafting.document import to_csv, to_docx


class MadeDraft(BaseModel):
    """A draft written to disk: its Markdown, files and what is still to fill in."""

    artefact: str
    markdown: str
    md_path: Path
    docx_path: Path
    csv_path: Path | None = None
    unresolved: list[str]
    citations: list[str]

    def artefact_ref(self) -> dict[str, Any]:
        """Return the turn's ``artefact`` field (contracts §3)."""
        return {
            "type": self.artefact,
            "format": "md",
            "text": self.markdown,
            "path": str(self.md_path),
            "docx_path": str(self.docx_path),
            **({"csv_path": str(self.csv_path)} if self.csv_path else {}),
            "unresolved": self.unresolved,
        }


class DraftStore:
    """Write drafts per conversation, so one conversation's drafts can be deleted at once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, thread: str) -> Path:
        """Return the folder of a conversation's drafts (named by a hash, not the thread id)."""
        return self.root / hashlib.sha256(thread.encode()).hexdigest()[:16]

    def write(
        self, thread: str, artefact: str, tool: str, facts: dict[str, Any], lang: str, today: str | None
    ) -> MadeDraft:
        """Render ``artefact`` from the tool's facts and write it as Markdown and DOCX."""
        day = dt.date.fromisoformat(today) if today else dt.date.today()
        draft = render(artefact, facts, None, lang, day, tool=tool)
        folder = self.folder(thread)
        folder.mkdir(parents=True, exist_ok=True)
        md_path = folder / f"{artefact}.{lang}.md"
        md_path.write_text(draft.markdown, encoding="utf-8")
        docx_path = to_docx(draft.document, folder / f"{artefact}.{lang}.docx")
        csv_path = folder / f"{artefact}.{lang}.csv" if "csv" in draft.formats else None
        if csv_path is not None:
            # Register entries are a table: owners paste them into a spreadsheet.
            try:
                csv_path.write_text(to_csv(draft.document), encoding="utf-8")
            except ValueError:  # a draft without a table (nothing to register) has no CSV
                csv_path = None
        return MadeDraft(
            artefact=artefact,
            markdown=draft.markdown,
            md_path=md_path,
            docx_path=docx_path,
            csv_path=csv_path,
            unresolved=draft.unresolved,
            citations=draft.citations,
        )

    def delete(self, thread: str) -> bool:
        """Delete every draft of a conversation; tell whether there was anything."""
        folder = self.folder(thread)
        if folder.exists():
            shutil.rmtree(folder)
            return True
        return False
