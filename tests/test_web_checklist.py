"""The guided cookie-banner check: one question a screen, the tool's verdict, the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from assistant.drafts import DraftStore
from assistant.web.checklist import Checklist, checklist_data
from tools.cookie_banner import CookieBannerFacts
from tools.registry import assess

TODAY = dt.date(2026, 3, 2)


def test_every_question_of_the_tool_has_a_step_with_meaning_and_example() -> None:
    data = checklist_data()
    # Only the expert switch is left out: owners are never asked it, the tool's default is safe.
    asked = set(CookieBannerFacts.model_fields) - {"functional_strictly_necessary"}
    assert set(data.steps) == asked
    for fact, step in data.steps.items():
        for lang in ("nl", "fr", "en"):
            assert step.meaning[lang].strip() and step.example[lang].strip(), (fact, lang)


def test_first_screen_shows_progress_question_meaning_example_and_buttons() -> None:
    screen = Checklist(lang="nl").screen()
    assert screen is not None
    assert (screen.fact, screen.step, screen.total) == ("uses_non_essential_cookies", 1, 15)
    assert screen.content.startswith("**Vraag 1/15** ▰▱")
    assert "Google Analytics" in screen.content  # the conversation's own question
    assert "**Wat betekent dit?**" in screen.content and "**Voorbeeld:**" in screen.content
    labels = [b.label for b in screen.buttons]
    assert labels == ["Ja", "Nee, enkel noodzakelijke cookies", "Weet ik niet", "Stoppen"]
    assert screen.buttons[0].payload["fact"] == "uses_non_essential_cookies"


def test_a_site_without_trackers_is_done_after_one_question(tmp_path: Path) -> None:
    state = Checklist(lang="en")
    assert state.answer("uses_non_essential_cookies", "uses_non_essential_cookies:false", TODAY)
    assert state.screen() is None
    verdict, draft = state.result(DraftStore(tmp_path), "thread-1", TODAY)
    assert verdict.kind == "verdict" and verdict.verdict is not None
    assert verdict.verdict["compliant"] is True
    assert draft.kind == "draft" and draft.artefact is not None
    assert Path(draft.artefact["docx_path"]).is_file()


def test_the_whole_check_with_buttons_typed_answers_and_dont_know(tmp_path: Path) -> None:
    state = Checklist(lang="fr")
    seen_totals = []
    typed = {"pre_ticked_boxes": "non", "cookie_wall": "oui"}
    while (screen := state.screen()) is not None:
        seen_totals.append((screen.step, screen.total))
        if screen.fact in typed:
            answer = typed[screen.fact]
        elif screen.fact == "vendors_listed":
            answer = "don't know"
        else:
            answer = screen.buttons[0].payload["value"]  # the first button ("Oui", or a category)
        assert state.answer(screen.fact, answer, TODAY), screen.fact
    # A reject button on the first layer makes "reject only as a link" moot (3/14), and consent by
    # scrolling already is implied consent, so the close button is not asked either (12/13).
    assert seen_totals[0] == (1, 15) and seen_totals[2] == (3, 14) and seen_totals[-1] == (13, 13)
    assert "reject_as_link_only" not in state.answered
    assert "close_button_counts_as_consent" not in state.answered
    assert state.assumed == ["vendors_listed"]
    assert state.facts["pre_ticked_boxes"] is False and state.facts["cookie_wall"] is True
    verdict, draft = state.result(DraftStore(tmp_path), "thread-2", TODAY)
    # Same verdict as the tool gives on the same facts: no rules of our own.
    expected = assess("cookie_banner", state.facts).model_dump(mode="json")
    assert verdict.verdict == expected and expected["compliant"] is False
    assert "COOKIE_WALL" in expected["violations"]
    assert verdict.text.startswith("_Vous n'êtes pas sûr")
    assert verdict.citations and all(c.url.startswith("https://") for c in verdict.citations)
    assert draft.artefact is not None
    report = docx.Document(draft.artefact["docx_path"])
    assert "bannière" in report.paragraphs[0].text.lower()


def test_an_answer_that_is_no_answer_or_for_an_old_screen_is_refused() -> None:
    state = Checklist(lang="nl")
    assert not state.answer("uses_non_essential_cookies", "wat bedoelt u precies?", TODAY)
    assert not state.answer("cookie_wall", "cookie_wall:true", TODAY)  # not the current question
    assert state.answered == [] and state.facts == {}


def test_a_typed_yes_answers_the_current_question() -> None:
    state = Checklist(lang="nl")
    assert state.answer("uses_non_essential_cookies", "ja", TODAY)
    assert state.facts == {"uses_non_essential_cookies": True}
    screen = state.screen()
    assert screen is not None and screen.step == 2
