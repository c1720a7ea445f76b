"""The guided cookie-banner check: one question per screen, then the tool's verdict and report.

The questions and buttons are the conversation's own (``assistant/questions``), answers are read
by the conversation's extractor, the verdict comes from ``tools.registry.assess`` and the report
from the drafting code: this module only decides which question comes next and words the screen.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from assistant import questions, render
from assistant.drafts import DraftStore
from assistant.extract import dont_know, extract, facts_only, parse_option
from assistant.messages import messages, text
from assistant.turn import Turn
from assistant.web.cards import Button
from assistant.web.locale import Lang, web_text
from tools.registry import assess, get_tool

CHECKLIST_FILE = Path(__file__).with_name("cookie_checklist.yaml")


class StepText(BaseModel):
    """What one question means and an example, per language."""

    meaning: dict[Lang, str]
    example: dict[Lang, str]


class ChecklistData(BaseModel):
    """The checklist file: which tool and artefact, and the steps in the order they are asked."""

    tool: str
    artefact: str
    steps: dict[str, StepText]


@cache
def checklist_data() -> ChecklistData:
    """Return the checklist file, checked against the tool's facts."""
    data = ChecklistData.model_validate(yaml.safe_load(CHECKLIST_FILE.read_text(encoding="utf-8")))
    known = set(get_tool(data.tool).facts_model.model_fields)
    unknown = set(data.steps) - known
    if unknown:
        raise ValueError(f"{CHECKLIST_FILE.name}: not facts of {data.tool}: {', '.join(sorted(unknown))}")
    return data


class Screen(BaseModel):
    """One question of the checklist as the owner sees it."""

    fact: str
    step: int
    total: int
    content: str
    buttons: list[Button]


class Checklist(BaseModel):
    """Where an owner is in the checklist: the facts so far and which were assumed."""

    lang: Lang
    facts: dict[str, Any] = Field(default_factory=dict)
    answered: list[str] = Field(default_factory=list)
    assumed: list[str] = Field(default_factory=list)

    def remaining(self) -> list[str]:
        """Return the steps the tool still needs, in checklist order."""
        data = checklist_data()
        verdict = assess(data.tool, facts_only(self.facts))
        missing = set(verdict.missing_facts)
        return [fact for fact in data.steps if fact in missing]

    def current(self) -> str | None:
        """Return the fact asked now, or None when the tool can decide."""
        left = self.remaining()
        return left[0] if left else None

    def screen(self) -> Screen | None:
        """Return the screen of the current question, or None when all are answered."""
        left = self.remaining()
        if not left:
            return None
        fact, lang, tool = left[0], self.lang, checklist_data().tool
        step = len(self.answered) + 1
        # The tool first asks only whether there are trackers at all; until it lists what else
        # it needs, show the longest the check can be.
        total = len(self.answered) + len(left) if self.answered else len(checklist_data().steps)
        texts = checklist_data().steps[fact]
        content = "\n\n".join(
            [
                f"**{web_text(lang, 'checklist', 'progress', step=step, total=total)}** "
                + "▰" * step
                + "▱" * (total - step),
                f"### {questions.question(tool, fact, lang)}",
                f"**{web_text(lang, 'checklist', 'meaning')}** {texts.meaning[lang]}",
                f"**{web_text(lang, 'checklist', 'example')}:** _{texts.example[lang]}_",
            ]
        )
        buttons = [
            Button(
                callback="checklist",
                label=o.label,
                payload={"fact": fact, "value": o.value, "label": o.label},
            )
            for o in questions.options(tool, [fact], lang)
        ]
        buttons.append(Button(callback="checklist_stop", label=web_text(lang, "checklist", "stop_button")))
        return Screen(fact=fact, step=step, total=total, content=content, buttons=buttons)

    def answer(self, fact: str, message: str, today: dt.date) -> bool:
        """Record the answer to ``fact``; tell whether the message answered it."""
        tool = checklist_data().tool
        if fact != self.current():
            return False  # a button of an earlier screen
        found = extract(tool, message, self.lang, today, {**self.facts, "_asked": [fact]})
        if fact not in found:
            found = parse_option(message, _list_facts(tool)) or {}
        if fact in found:
            self.facts[fact] = found[fact]
        elif dont_know(message):
            # The same safe side the conversation takes when the owner cannot say.
            known, value = questions.safe_default(tool, fact)
            if not known:
                return False
            self.facts = questions.apply_default(self.facts, fact, value)
            self.assumed.append(fact)
        else:
            return False
        self.answered.append(fact)
        return True

    def done_text(self) -> str:
        """Return the line that closes the questions."""
        return web_text(self.lang, "checklist", "done", answered=len(self.answered))

    def result(self, drafts: DraftStore, thread: str, today: dt.date) -> list[Turn]:
        """Return the verdict turn and the report turn (the report is written to the draft store)."""
        data, lang = checklist_data(), self.lang
        facts = facts_only(self.facts)
        verdict = assess(data.tool, facts).model_dump(mode="json")
        body = render.verdict_text(lang, verdict, facts)
        if self.assumed:
            body = f"_{text(lang, 'dont_know_note')}_\n\n{body}"
        refs = render.citation_refs(verdict["citations"], [])
        parts = [body, render.sources_block(lang, refs), text(lang, "disclaimer")]
        verdict_turn = Turn(
            thread_id=thread,
            lang=lang,
            topic="cookies",
            kind="verdict",
            text="\n\n".join(p for p in parts if p),
            verdict=verdict,
            citations=refs,
        )
        made = drafts.write(thread, data.artefact, data.tool, facts, lang, today.isoformat())
        name = messages(lang)["artefact_names"][data.artefact]
        intro = (
            text(lang, "draft_ready", artefact=name, unresolved="; ".join(made.unresolved))
            if made.unresolved
            else text(lang, "draft_ready_complete", artefact=name)
        )
        draft_turn = Turn(
            thread_id=thread,
            lang=lang,
            topic="cookies",
            kind="draft",
            text=f"{intro}\n\n---\n\n{made.markdown}",
            verdict=verdict,
            artefact=made.artefact_ref(),
            citations=render.citation_refs(made.citations, []),
        )
        return [verdict_turn, draft_turn]


def _list_facts(tool: str) -> set[str]:
    model = get_tool(tool).facts_model
    return {name for name, f in model.model_fields.items() if "list[" in str(f.annotation)}
