"""The web chat in a real browser: starters, buttons, typed answers, verdicts, downloads, the
cookie check, switching language, deleting conversations, and login with local history."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import docx
import pytest
from e2e.webchat import (
    ASSISTANT,
    FIRST_ANSWER_TIMEOUT,
    Server,
    app_root,
    button_labels,
    click_button,
    open_page,
    reply_count,
    start_server,
    stop_server,
    type_message,
    wait_connected,
    wait_replies,
)

pytestmark = pytest.mark.slow


def _download(page: Any, message: Any, suffix: str, folder: Path) -> Path:
    """Download the message's file ending in ``suffix`` and return where it was saved."""
    link = message.locator(f"a.inline-file[download$='{suffix}']")
    with page.expect_download() as info:
        link.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def _report_timings(server: Server, artefacts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (artefacts / "timings.json").write_text(json.dumps(server.timings, indent=2), encoding="utf-8")
    with capsys.disabled():
        print(
            "\n[web chat timings] serve start → page loaded: {page_loaded:.1f} s; "
            "→ first question answered: {first_answer:.1f} s "
            "(starter clicked → answer: {click_to_answer:.1f} s; once warm, button → answer: "
            "{warm_answer:.2f} s)".format(**server.timings)
        )


def test_erasure_request_from_starter_to_downloaded_reply_then_deleted(
    web: Server, browser: Any, artefacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = open_page(browser, web, "nl-BE")
    page.goto(web.url)
    page.locator("#chat-input").wait_for()
    page.get_by_role("button", name="Een klant wil gewist worden").wait_for()
    loaded = time.monotonic()

    page.wait_for_timeout(800)  # the start screen fades in
    page.screenshot(path=artefacts / "welcome-nl.png")
    pause = time.monotonic() - loaded  # the test's own, not the owner's wait

    # A starter: the first clarifying question comes with buttons.
    page.get_by_role("button", name="Een klant wil gewist worden").click()
    first = wait_replies(page, 0, FIRST_ANSWER_TIMEOUT)
    answered = time.monotonic() - pause
    web.timings = {
        "page_loaded": loaded - web.started,
        "first_answer": answered - web.started,
        "click_to_answer": answered - loaded,
    }
    assert "Op welke dag kreeg u het verzoek" in first.inner_text()

    # Answer one question by button, the others by text.
    clicked = time.monotonic()
    reply = click_button(page, "Ja, dat is zeker", first)
    web.timings["warm_answer"] = time.monotonic() - clicked
    _report_timings(web, artefacts, capsys)
    reply = type_message(
        page, "Het verzoek kwam gisteren. Hij staat in onze nieuwsbrief en er zijn facturen uit 2023."
    )
    for _ in range(3):  # a follow-up question or two, answered by button, until the verdict
        if reply.get_by_role("heading", name="Oordeel").count():
            break
        reply = click_button(page, button_labels(reply)[0], reply)

    # The verdict card: verdict first, why, sources as links, a button to draft the reply.
    assert reply.get_by_role("heading", name="Oordeel").count() == 1
    assert reply.get_by_role("heading", name="Waarom").count() == 1
    body = reply.inner_text()
    assert body.index("Oordeel") < body.index("Waarom") < body.index("Bronnen")
    assert reply.locator("a[href^='https://eur-lex.europa.eu/']").count() >= 1
    reply.get_by_role("heading", name="Oordeel").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=artefacts / "erasure-verdict.png")

    draft = click_button(page, "Maak het document", reply)
    draft.locator("a.inline-file[download$='.docx']").wait_for()
    assert draft.locator("a.inline-file[download$='.md']").count() == 1
    page.screenshot(path=artefacts / "erasure-draft.png")
    saved = _download(page, draft, ".docx", artefacts)
    letter = docx.Document(str(saved))
    assert "wissing" in letter.paragraphs[0].text

    # "Delete my conversations": the drafts on disk go too.
    drafts = web.data_dir / "drafts"
    assert any(drafts.rglob("*.docx"))
    confirm = type_message(page, "Verwijder mijn gesprekken")
    done = click_button(page, "Ja, verwijder alles", confirm)
    assert "Verwijderd: 1 gesprek" in done.inner_text()
    assert not any(drafts.rglob("*.docx"))
    page.context.close()


def test_cookie_checklist_one_screen_at_a_time_to_the_report(
    web: Server, browser: Any, artefacts: Path
) -> None:
    page = open_page(browser, web, "fr-BE")
    page.goto(web.url)
    page.get_by_role("button", name="Check du bandeau cookies, pas à pas").click()
    # The intro, then the first question.
    screen = page.locator(ASSISTANT).filter(has_text="Question 1/15").last
    screen.wait_for()

    steps = 0
    while (match := re.search(r"Question (\d+)/(\d+)", screen.inner_text())) is not None:
        step = int(match.group(1))
        steps += 1
        assert "Qu'est-ce que cela veut dire ?" in screen.inner_text()
        assert "Exemple" in screen.inner_text()
        if step == 3:
            page.screenshot(path=artefacts / "cookie-checklist.png")
            screen = type_message(page, "non")  # typed instead of a button
        else:
            # The first button: "Oui", or the first category of trackers loaded too early.
            screen = click_button(page, button_labels(screen)[0], screen)
    assert steps >= 10
    # Then the closing line, the verdict card and the report to download.
    report_message = page.locator(ASSISTANT).filter(has=page.locator("a.inline-file[download$='.docx']"))
    report_message.last.wait_for()
    assert page.get_by_text("Terminé.").count() == 1
    verdict = page.locator(ASSISTANT).filter(has=page.get_by_role("heading", name="Pourquoi")).last
    assert verdict.get_by_role("heading", name="Verdict").count() == 1
    assert verdict.locator("a[href^='https://']").count() >= 1
    saved = _download(page, report_message.last, ".docx", artefacts)
    report = docx.Document(str(saved))
    assert "bannière" in report.paragraphs[0].text.lower()
    page.screenshot(path=artefacts / "cookie-checklist-done.png")
    page.context.close()


def test_language_follows_the_browser_and_can_be_switched(web: Server, browser: Any, artefacts: Path) -> None:
    page = open_page(browser, web, "en-US")
    page.goto(web.url)
    page.get_by_role("button", name="A customer wants to be erased").wait_for()
    assert page.locator("#chat-input").get_attribute("placeholder") == (
        "Describe your situation or ask your question..."
    )
    wait_connected(page)  # the settings arrive over the socket after the page
    page.locator("#chat-settings-open-modal").click()
    page.locator("#language").click()
    page.get_by_role("option", name="Nederlands").click()
    before = reply_count(page)
    page.locator("#confirm").click()
    switched = wait_replies(page, before)
    assert "Vanaf nu antwoord ik in het Nederlands" in switched.inner_text()
    # The scenarios are offered again, in the new language.
    assert switched.get_by_role("button", name="Een klant wil gewist worden").count() == 1
    page.screenshot(path=artefacts / "language-switched.png")
    reply = type_message(page, "Do I have to keep a record of processing activities?")
    assert "Om u een juist antwoord te geven" in reply.inner_text()
    page.context.close()


@pytest.fixture(scope="module")
def private_web(tmp_path_factory: pytest.TempPathFactory, built_index: Path, model_dir: Path) -> Any:
    """The web chat with a password and local history, as an owner would turn them on."""
    root = app_root(tmp_path_factory.mktemp("private-root"))
    extra = {
        "KOMPAS_AUTH_PASSWORD": "correct horse",
        "KOMPAS_HISTORY": "1",
        "KOMPAS_HISTORY_DAYS": "30",
        "CHAINLIT_AUTH_SECRET": "test-only-secret-" + "x" * 32,
    }
    server = start_server(root, built_index, model_dir, extra)
    yield server
    output = stop_server(server)
    assert "verwerkingsregister" not in output
    assert "Traceback" not in output


def test_login_and_local_history_that_the_owner_can_delete(private_web: Server, browser: Any) -> None:
    page = open_page(browser, private_web, "nl-BE")
    page.goto(private_web.url)
    page.locator("#email").fill("kompas")
    page.locator("#password").fill("wrong")
    page.locator("button[type=submit]").click()
    page.get_by_text("controleer uw gebruikersnaam en wachtwoord").wait_for()
    page.locator("#password").fill("correct horse")
    page.locator("button[type=submit]").click()
    wait_connected(page)

    reply = type_message(page, "Moet ik een verwerkingsregister bijhouden?", FIRST_ANSWER_TIMEOUT)
    assert "Om u een juist antwoord te geven" in reply.inner_text()
    database = private_web.data_dir / "web-history.sqlite"
    with sqlite3.connect(database) as conn:
        threads = conn.execute('SELECT "userIdentifier" FROM threads').fetchall()
        steps = conn.execute("SELECT COUNT(*) FROM steps").fetchone()[0]
    assert threads == [("kompas",)] and steps >= 2

    # Delete through the settings panel.
    page.locator("#chat-settings-open-modal").click()
    page.locator("#delete").click()
    before = reply_count(page)
    page.locator("#confirm").click()
    confirm = wait_replies(page, before)
    done = click_button(page, "Ja, verwijder alles", confirm)
    assert "Verwijderd:" in done.inner_text()
    with sqlite3.connect(database) as conn:
        # Only the deletion's own exchange may remain; the question is gone.
        kept = conn.execute("SELECT COUNT(*) FROM steps WHERE output LIKE '%verwerkingsregister%'")
        assert kept.fetchone()[0] == 0
    page.context.close()
