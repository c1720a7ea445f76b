"""Turn a conversation ``Turn`` into what the web chat shows: a card, buttons, sources, files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.messages import messages, text
from assistant.turn import Turn
from assistant.web.locale import web_text

FileKind = Literal["docx", "md", "csv"]
MIME: dict[FileKind, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
    "csv": "text/csv",
}
# The turn's artefact field that holds each file (contracts §3: ``path`` is the Markdown).
ARTEFACT_FIELDS: dict[FileKind, str] = {"docx": "docx_path", "md": "path", "csv": "csv_path"}
_LIST_LINE = re.compile(r"^\s*(?:-|\d+\.)\s")


class Button(BaseModel):
    """A button under a message; its callback gets ``payload``."""

    callback: str
    label: str
    payload: dict[str, str] = Field(default_factory=dict)


class Block(BaseModel):
    """A named block of Markdown: inline under the message, or in the side panel."""

    name: str
    content: str
    # A side block opens from its name in the message text (Chainlit links the name).
    display: Literal["inline", "side"] = "inline"


class Download(BaseModel):
    """A file the owner can download."""

    name: str
    path: Path
    mime: str


class Reply(BaseModel):
    """One assistant message as the web chat renders it."""

    content: str
    buttons: list[Button] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    files: list[Download] = Field(default_factory=list)


def option_buttons(turn: Turn) -> list[Button]:
    """Return the turn's options as buttons that answer the conversation."""
    return [
        Button(callback="choose", label=o.label, payload={"value": o.value, "label": o.label})
        for o in turn.options
    ]


def _split_blocks(turn: Turn) -> tuple[list[str], list[Block]]:
    """Take the passages and sources out of the turn text, as blocks of their own."""
    passages_head = f"**{text(turn.lang, 'passages')}**"
    sources_head = f"**{text(turn.lang, 'sources')}**"
    kept: list[str] = []
    quotes: list[str] = []
    sources = ""
    in_passages = False
    for para in turn.text.split("\n\n"):
        if para.strip() == passages_head:
            in_passages = True
            continue
        if in_passages and para.startswith(">"):
            quotes.append(para)
            continue
        in_passages = False
        if para.startswith(sources_head + "\n"):
            sources = para[len(sources_head) + 1 :]
            continue
        kept.append(para)
    if turn.citations:
        # The structured citations are the same list, with the registry's URL for each label.
        sources = "\n".join(f"- [{c.label}]({c.url})" for c in turn.citations)
    blocks = []
    if quotes:
        blocks.append(Block(name=text(turn.lang, "passages"), content="\n\n".join(quotes)))
    if sources:
        blocks.append(Block(name=text(turn.lang, "sources"), content=sources))
    return kept, blocks


def _is_note(para: str) -> bool:
    return para.startswith("_") and para.rstrip().endswith("_")


def _is_list(para: str) -> bool:
    return all(_LIST_LINE.match(line) for line in para.splitlines() if line.strip())


def _verdict_card(lang: str, paras: list[str]) -> str:
    """Put the verdict first under a heading, then why, then the rest in the turn's order."""
    lead = 0
    while lead < len(paras) and _is_note(paras[lead]):
        lead += 1
    # Notes before the headline ("you were not sure; I took the safe side") qualify the verdict.
    notes, body = paras[:lead], paras[lead:]
    if not body or _is_list(body[0]):
        return "\n\n".join(paras)  # not the shape we know: show the text as it is
    headline, rest = body[0], body[1:]
    card = [f"#### {web_text(lang, 'verdict_heading')}", headline, *notes]
    if rest and _is_list(rest[0]):
        card += [f"#### {web_text(lang, 'reasons_heading')}", rest[0]]
        rest = rest[1:]
    return "\n\n".join(card + rest)


def _downloads(turn: Turn) -> list[Download]:
    artefact = turn.artefact or {}
    files = []
    for kind in ("docx", "md", "csv"):
        value = artefact.get(ARTEFACT_FIELDS[kind])
        if value and Path(str(value)).is_file():
            path = Path(str(value))
            files.append(Download(name=path.name, path=path, mime=MIME[kind]))
    return files


def turn_reply(turn: Turn) -> Reply:
    """Render a turn: verdicts as a card, sources and passages as blocks, drafts as files."""
    paras, blocks = _split_blocks(turn)
    if turn.kind == "verdict":
        content = _verdict_card(turn.lang, paras)
    elif turn.kind == "draft":
        intro, _, document = turn.text.partition("\n\n---\n\n")
        content = f"{intro}\n\n**{web_text(turn.lang, 'downloads')}**"
        files = _downloads(turn)
        if not files:
            return Reply(content=turn.text, buttons=option_buttons(turn))
        kind = str((turn.artefact or {}).get("type", ""))
        name = str(messages(turn.lang)["artefact_names"].get(kind, kind))
        # The draft's name in the intro opens the full text beside the chat; the files stay
        # right under the message.
        preview = [Block(name=name, content=document, display="side")] if document else []
        return Reply(content=content, buttons=option_buttons(turn), blocks=preview, files=files)
    else:
        content = "\n\n".join(paras)
    return Reply(content=content, buttons=option_buttons(turn), blocks=blocks)
