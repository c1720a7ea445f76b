"""Turn verdicts, questions and passages into the Markdown a user reads."""

from __future__ import annotations

from typing import Any

from assistant import questions
from assistant.extract import facts_only
from assistant.messages import messages, text
from assistant.turn import CitationRef, Option, PassageRef
from knowledge.citations import load_registry
from knowledge.search import Passage
from tools import explain
from tools.drafting.base import say
from tools.drafting.erasure_reply import W, item_label, until_text
from tools.erasure import ErasureFacts

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


# Verdict fields that list codes worded in a section of the tool's wording file: what to do now.
ACTION_SECTIONS = {
    "breach": ("immediate_steps", "steps"),
    "web_exposure": ("actions", "actions"),
    "vendor_exit": ("actions", "actions"),
    "photos": ("conditions", "conditions"),
    "dpa": ("checklist", "checklist"),
}
NEXT_STEPS = {"nl": "Wat u nu doet", "fr": "À faire maintenant", "en": "What to do now"}


def _actions(tool: str, lang: str, verdict: dict[str, Any]) -> str:
    field, section = ACTION_SECTIONS.get(tool, ("", ""))
    codes = verdict.get(field) or []
    worded = explain.wording(tool).get(section, {})
    steps = []
    for code in codes:
        entry = worded.get(code if isinstance(code, str) else str(code))
        if isinstance(entry, dict) and lang in entry:
            steps.append(str(entry[lang]))
    if not steps:
        return ""
    return f"**{NEXT_STEPS[lang]}**\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))


def verdict_text(lang: str, verdict: dict[str, Any], facts: dict[str, Any]) -> str:
    """Explain any tool's verdict: the answer in plain words first, then why, then what to do."""
    tool = verdict["tool"]
    if tool == "register":
        return register_text(lang, verdict)
    parts = [explain.headline(tool, verdict, lang) or ""]
    reasons = [
        explain.reason_text(tool, r["code"], lang, _values(tool, verdict, lang)) for r in verdict["reasons"]
    ]
    parts.append("\n".join(f"- {r}" for r in reasons))
    if tool == "erasure":
        parts.append(_retention_table(lang, verdict, facts))
    parts.append(_actions(tool, lang, verdict))
    return "\n\n".join(p for p in parts if p)


def _retention_table(lang: str, verdict: dict[str, Any], facts: dict[str, Any]) -> str:
    """List what is erased and what is kept, why and until when, item by item."""
    plan = verdict.get("after_verification") or verdict
    try:
        items = {i.id: i for i in ErasureFacts.model_validate(facts_only(facts)).data or []}
    except ValueError:
        return ""
    head = messages(lang)["retention_table"]
    lines: list[str] = []
    erased = [item_label(items[i], lang) for i in plan.get("erase") or [] if i in items]
    if erased:
        lines.append(f"**{head['erase']}** {', '.join(erased)}")
    kept = [r for r in plan.get("retain") or [] if r["item"] in items]
    if kept:
        lines.append(f"| {head['item']} | {head['why']} | {head['until']} |\n|---|---|---|")
        lines[-1] += "".join(
            f"\n| {item_label(items[r['item']], lang)} | {say(W, lang, 'reasons', r['reason'])} "
            f"| {until_text(r['until'], lang)} |"
            for r in kept
        )
    return "\n\n".join(lines)


def _code_label(tool: str, field: str, code: str, lang: str) -> str:
    """Name a verdict code in the user's words where the question file has a button for it."""
    for option in questions.options(tool, [field], lang):
        if option.value == f"{field}:{code}":
            return option.label[:1].lower() + option.label[1:]
    return code


def _values(tool: str, verdict: dict[str, Any], lang: str) -> dict[str, str]:
    """Return the verdict's fields as text, codes named as the questions name them."""
    out = explain.values(verdict, lang)
    for key, value in verdict.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            field = "data_kinds" if key == "high_risk_kinds" else key
            out[key] = ", ".join(_code_label(tool, field, v, lang) for v in value)
    return out


def why_text(lang: str, verdict: dict[str, Any]) -> str:
    """Return the full reasoning trail with the sources of every rule."""
    return explain.explain(verdict, lang, _values(verdict["tool"], verdict, lang))


ARTEFACTS = {
    "erasure": "erasure_reply",
    "dpa": "dpa_checklist",
    "cookie_banner": "cookie_report",
    "register": "register_entries",
    "photos": "photo_notice",
    "breach": "consultation_record",
    "web_exposure": "consultation_record",
    "vendor_exit": "consultation_record",
}


def artefact_for(verdict: dict[str, Any]) -> str | None:
    """Return the artefact that fits this verdict (consent-based photos get the consent form)."""
    tool = verdict["tool"]
    if tool == "photos" and verdict.get("basis") in ("consent", "consent_parental", "explicit_consent"):
        return "photo_consent_form"
    return ARTEFACTS.get(tool)


def clarification(
    tool: str, lang: str, missing: list[str], intro: str, known: dict[str, Any] | None = None
) -> tuple[str, list[Option]]:
    """Ask for every missing fact in one message, with buttons where the answer is a choice."""
    lines = [intro] if intro else []
    lines.append(text(lang, "ask_intro"))
    lines += [f"{i}. {questions.question(tool, name, lang, known)}" for i, name in enumerate(missing, 1)]
    lines.append(text(lang, "ask_outro"))
    return "\n\n".join(lines), questions.options(tool, missing, lang)


def settled_note(tool: str, lang: str, facts: list[str], known: dict[str, Any] | None = None) -> str:
    """Say which questions were not asked because no answer to them changes the decision."""
    asked = "\n".join(f"- {questions.question(tool, name, lang, known)}" for name in facts)
    return f"_{text(lang, 'settled_note')}_\n{asked}"


def which_subtopic(lang: str, topic: str, subtopics: dict[str, Any]) -> dict[str, Any]:
    """Ask which question of a topic the owner means; each button says it in their words."""
    name = messages(lang)["topic_names"].get(topic, topic)
    labels = [str(spec["label"][lang]) for spec in subtopics.values()]
    return {
        "lang": lang,
        "topic": topic,
        "kind": "clarification",
        "text": text(lang, "which_subtopic", topic=name),
        "asks": ["subtopic"],
        "options": [Option(value=label, label=label).model_dump() for label in labels],
    }


def which_topic(lang: str, candidates: list[str], passages: list[Passage]) -> dict[str, Any]:
    """Ask which topic the user means, naming the likely ones as buttons."""
    names = messages(lang)["topic_names"]
    likely = [t for t in [*candidates, *(p.topic for p in passages)] if t in names]
    likely = list(dict.fromkeys(likely))[:4] or list(names)[:4]
    return {
        "lang": lang,
        "topic": None,
        "kind": "clarification",
        "text": text(lang, "which_topic"),
        "options": [Option(value=f"topic:{t}", label=str(names[t])).model_dump() for t in likely],
    }
