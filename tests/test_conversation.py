"""The conversation graph answers, asks, decides and declines through ``ask``."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.conversation import ask
from assistant.errors import InputError
from knowledge.citations import load_registry

pytestmark = pytest.mark.slow


def test_register_question_gets_a_cited_verdict(runtime: object) -> None:
    turn = ask("Moet ik als eenmanszaak met een nieuwsbrief een verwerkingsregister bijhouden?")
    assert (turn.lang, turn.topic, turn.kind) == ("nl", "register", "verdict")
    assert turn.verdict is not None and turn.verdict["required"] in (True, "likely")
    assert turn.text.startswith("**Ja")
    assert turn.citations and all(c.label in load_registry() for c in turn.citations)
    assert turn.passages and turn.passages[0].doc_id == "register-duty"


def test_missing_facts_are_asked_at_once_and_never_again(runtime: object) -> None:
    first = ask("Moet ik een verwerkingsregister bijhouden?", thread_id="t-clarify")
    assert first.kind == "clarification"
    assert set(first.asks) == {"processing", "employees"}
    assert any(o.value == "processing:newsletter" for o in first.options)

    second = ask("we hebben een klantenbestand", thread_id="t-clarify")
    assert second.kind == "clarification"
    assert second.asks == ["employees"]

    third = ask("we zijn met 4", thread_id="t-clarify")
    assert third.kind == "verdict"
    assert third.verdict is not None and third.verdict["outcome"] == "decided"


def test_button_value_answers_the_question(runtime: object) -> None:
    ask("Je dois tenir un registre ? Nous sommes 3 et nous organisons un événement.", thread_id="b")
    turn = ask("frequency:occasional", thread_id="b")
    assert turn.kind == "verdict" and turn.lang == "fr"
    assert turn.verdict is not None and turn.verdict["required"] is False


def test_dont_know_takes_the_safe_side(runtime: object) -> None:
    ask("Do I need a record of processing? We have 2 staff and register people for events.", thread_id="d")
    turn = ask("I don't know", thread_id="d")
    assert turn.kind == "verdict" and turn.lang == "en"
    assert turn.verdict is not None and turn.verdict["required"] == "likely"


def test_out_of_scope_is_declined_in_the_users_language(runtime: object) -> None:
    turn = ask("Quel est le taux de TVA sur les chaussures ?")
    assert (turn.kind, turn.topic, turn.lang) == ("out_of_scope", "out_of_scope", "fr")
    assert "comptable" in turn.text


def test_threads_do_not_share_facts(runtime: object) -> None:
    ask("Moet ik een verwerkingsregister bijhouden? Ik heb een nieuwsbrief.", thread_id="x1")
    other = ask("Moet ik een verwerkingsregister bijhouden?", thread_id="x2")
    assert set(other.asks) == {"processing", "employees"}


def test_oversized_and_empty_messages_get_a_clear_error(runtime: object) -> None:
    with pytest.raises(InputError, match=r"te lang|too long|trop long"):
        ask("register " * 2000)
    with pytest.raises(InputError):
        ask("   ", today=dt.date(2026, 1, 5))


def test_accountant_with_two_kinds_of_service_gets_a_verdict_per_service(runtime: object) -> None:
    turn = ask(
        "Notre fiduciaire tient notre comptabilité et nous conseille en fiscalité. Quel est son rôle RGPD ?"
    )
    assert turn.kind == "verdict" and turn.lang == "fr"
    roles = {part["service"]: part["verdict"]["role"] for part in turn.parts}
    assert roles == {"comptabilité": "processor", "conseil fiscal": "controller"}
    # The conversation goes on with the part that has something to draft: the processor agreement.
    assert turn.verdict is not None and turn.verdict["role"] == "processor"
    assert "### comptabilité" in turn.text and "### conseil fiscal" in turn.text


def test_a_fact_that_changes_nothing_is_not_asked_but_named(runtime: object) -> None:
    turn = ask(
        "Vanmorgen om 10u ontdekt dat een medewerker een lijst met 500 klantnamen, adressen en "
        "rijksregisternummers naar de verkeerde leverancier stuurde. Niet versleuteld.",
        today=dt.date(2026, 11, 29),
    )
    assert turn.kind == "verdict", turn.text
    assert turn.verdict is not None and turn.verdict["notify_authority"] is True
    assert "Deze vragen heb ik niet gesteld" in turn.text


def test_a_vague_question_on_a_topic_without_tool_asks_which_question(runtime: object) -> None:
    first = ask("ne klant vraagt iets over zijn gegevens, wat moetek doen?", thread_id="t-sub")
    assert (first.kind, first.topic, first.asks) == ("clarification", "other_rights", ["subtopic"])
    assert len(first.options) == 5
    access = next(o for o in first.options if "inzage" in o.label)
    second = ask(access.value, thread_id="t-sub")
    assert second.kind == "answer" and second.topic == "other_rights"
    assert second.passages and second.passages[0].doc_id == "rights-access"


def test_a_how_long_question_gets_the_guide_not_a_questionnaire(runtime: object) -> None:
    turn = ask("Hoeveel tijd heb ik om een vraag tot verwijdering te beantwoorden?")
    assert turn.kind == "answer" and turn.topic == "erasure"
    assert any(o.value == "topic:erasure" for o in turn.options)


def test_a_question_that_would_need_many_facts_is_answered_with_an_offer(runtime: object) -> None:
    turn = ask("Mon fournisseur cloud peut-il encore me facturer des frais si je pars chez un concurrent ?")
    assert turn.kind == "answer" and turn.topic == "vendor_continuity"
    offer = next(o for o in turn.options if o.value == "topic:vendor_continuity")
    follow = ask(offer.value, thread_id=turn.thread_id)
    assert follow.kind == "clarification" and len(follow.asks) >= 5


def test_a_short_correction_stays_with_the_open_case(runtime: object) -> None:
    ask(
        "Een klant vroeg op 3 november om zijn gegevens te wissen. Het is zeker hem. "
        "We hebben enkel zijn fiche in het CRM.",
        thread_id="t-corr",
        today=dt.date(2026, 11, 12),
    )
    turn = ask(
        "Wacht, zijn mail kwam eigenlijk al op 31 oktober binnen.",
        thread_id="t-corr",
        today=dt.date(2026, 11, 12),
    )
    assert turn.topic == "erasure" and turn.kind == "verdict"
    assert turn.verdict is not None and turn.verdict["deadline_date"] == "2026-11-30"


def test_asking_for_the_letter_first_gives_the_letter_once_decided(runtime: object) -> None:
    first = ask("schrijf een antwoord op een verzoek tot wissing van een klant", thread_id="t-draft")
    assert first.kind == "clarification" and first.topic == "erasure"
    second = ask(
        "Het verzoek kwam vandaag binnen. Het is zeker hem. We hebben enkel zijn webshopaccount.",
        thread_id="t-draft",
    )
    assert second.kind == "draft" and second.artefact is not None


def test_the_fixed_today_reaches_the_deadline_maths(runtime: object) -> None:
    turn = ask(
        "Een klant vroeg gisteren om zijn gegevens te wissen. Het is zeker hem. "
        "We hebben enkel zijn webshopaccount.",
        today=dt.date(2026, 3, 2),
    )
    assert turn.verdict is not None and turn.verdict["deadline_date"] == "2026-04-01"
    assert turn.verdict["assessed_on"] == "2026-03-02"
    assert "R_DEADLINE_PASSED" not in [r["code"] for r in turn.verdict["reasons"]]


def test_a_question_naming_another_topic_is_not_taken_for_a_correction(runtime: object) -> None:
    ask(
        "Een klant vroeg op 3 november om zijn gegevens te wissen. Het is zeker hem. "
        "We hebben enkel zijn fiche in het CRM.",
        thread_id="t-switch",
        today=dt.date(2026, 11, 12),
    )
    turn = ask(
        "Moet ik een cookiebanner hebben als mijn webshop Google Analytics gebruikt?",
        thread_id="t-switch",
        today=dt.date(2026, 11, 12),
    )
    assert turn.topic == "cookies"
