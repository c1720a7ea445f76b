"""Turn verdicts, questions and passages into the Markdown a user reads."""

from __future__ import annotations

from typing import Any

from assistant.messages import messages, text
from assistant.turn import CitationRef, Option, PassageRef
from knowledge.citations import load_registry
from knowledge.search import Passage
from tools import explain

SNIPPET_WORDS = 70


def _activities(lang: str, kinds: list[str]) -> str:
    names = messages(lang)["activities"]
    return ", ".join(str(names.get(k, k)) for k in kinds)


def citation_refs(labels: list[str], passages: list[Passage]) -> list[CitationRef]:
    """Return the registry entries for ``labels`` plus the passages' sources, without repeats."""
    registry = load_registry()
    doc_for: dict[str, str] = {}
    for p in passages:
        for label in p.sources:
            doc_for.setdefault(label, p.doc_id)
    refs: list[CitationRef] = []
    for label in dict.fromkeys([*labels, *doc_for]):
        entry = registry.get(label)
        if entry is None:
            # Never show a source we cannot vouch for (tests keep this from happening).
            continue
        refs.append(CitationRef(label=label, doc_id=doc_for.get(label), url=entry.url))
    return refs


def passage_refs(passages: list[Passage]) -> list[PassageRef]:
    """Return the passage references of a turn."""
    return [PassageRef(doc_id=p.doc_id, chunk_id=p.chunk_id, score=p.score) for p in passages]


def snippet(passage: Passage) -> str:
    """Return the start of a passage, cut at a word boundary."""
    body = " ".join(passage.body.split())
    cut = body.split(" ")
    return body if len(cut) <= SNIPPET_WORDS else " ".join(cut[:SNIPPET_WORDS]) + " …"


def sources_block(lang: str, refs: list[CitationRef]) -> str:
    """Return the Markdown list of sources."""
    if not refs:
        return ""
    lines = [f"**{text(lang, 'sources')}**"]
    lines += [f"- [{r.label}]({r.url})" for r in refs]
    return "\n".join(lines)


def passages_block(lang: str, passages: list[Passage], limit: int = 1) -> str:
    """Return the best supporting passages as quoted Markdown with their titles."""
    if not passages:
        return ""
    lines = [f"**{text(lang, 'passages')}**"]
    for p in passages[:limit]:
        title = f"{p.title} › {p.heading}" if p.heading else p.title
        lines.append(f"> _{title}_\n>\n> {snippet(p)}")
    return "\n\n".join(lines)


def register_text(lang: str, verdict: dict[str, Any]) -> str:
    """Explain a register verdict: the answer first, then why, then what to do."""
    acts = _activities(lang, verdict.get("triggering_activities") or [])
    parts = [explain.headline("register", verdict, lang) or ""]
    reasons = [
        explain.reason_text("register", r["code"], lang, {"triggering_activities": acts or "—"})
        for r in verdict["reasons"]
    ]
    parts.append("\n".join(f"- {r}" for r in reasons))
    if verdict.get("scope"):
        parts.append(text(lang, "register", "scope", verdict["scope"], activities=acts or "—"))
    if verdict["required"] is not False:
        todo = messages(lang)["register"]["todo"]
        heading = text(lang, "register", "todo_heading")
        parts.append(f"**{heading}**\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(todo, 1)))
    return "\n\n".join(parts)


VERDICT_RENDERERS = {"register": register_text}


def clarification(lang: str, missing: list[str]) -> tuple[str, list[Option]]:
    """Ask for every missing fact in one message, with buttons where the answer is a choice."""
    questions = messages(lang)["questions"]
    lines = [text(lang, "ask_intro")]
    lines += [f"{i}. {questions[name]}" for i, name in enumerate(missing, 1)]
    lines.append(text(lang, "ask_outro"))
    options = [
        Option(value=value, label=str(label))
        for value, label in messages(lang)["options"].items()
        if value.split(":", 1)[0] in missing
    ]
    return "\n\n".join(lines), options
