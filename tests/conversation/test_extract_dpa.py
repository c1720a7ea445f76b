"""DPA facts read from owners' messages (nl, fr, en), multi-part services, bare answers, buttons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import dpa
from tools.dpa import DpaFacts
from tools.registry import assess

TODAY = dt.date(2026, 12, 1)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions" / "dpa.yaml"
ROLE_QUESTIONS = [
    "decides_purposes",
    "own_legal_obligations",
    "jointly_determines",
    "uses_data_for_own_purposes",
]


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return dpa.extract(message, lang, TODAY, known or {})


def _facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if not k.startswith("_")}


CASES: list[tuple[str, str, dict[str, Any]]] = [
    # Dutch
    (
        "nl",
        "Onze poetsfirma komt enkel poetsen en ziet nooit klantgegevens.",
        {"provider_type": "cleaning_company", "personal_data_access": "incidental", "service": "schoonmaak"},
    ),
    (
        "nl",
        "Onze webdesigner ziet nooit klantgegevens, hij bouwt enkel de website.",
        {"provider_type": "web_designer", "personal_data_access": "none"},
    ),
    (
        "nl",
        "We gebruiken Teamleader als CRM, het beheert onze klantendatabank.",
        {"provider_type": "saas_crm", "personal_data_access": "core", "service": "klantenbeheer"},
    ),
    (
        "nl",
        "Ons sociaal secretariaat (Securex) doet de loonadministratie op onze instructies.",
        {
            "provider_type": "payroll_bureau",
            "personal_data_access": "core",
            "decides_purposes": False,
            "own_legal_obligations": False,
            "jointly_determines": False,
            "uses_data_for_own_purposes": False,
            "service": "loonadministratie",
        },
    ),
    (
        "nl",
        "We versturen onze nieuwsbrief met Mailchimp, hun servers staan in de VS.",
        {
            "provider_type": "email_marketing_service",
            "data_outside_eea": True,
            "service": "nieuwsbrief",
        },
    ),
    (
        "nl",
        "Onze website draait bij Combell, servers in België.",
        {"provider_type": "web_hosting", "data_outside_eea": False},
    ),
    (
        "nl",
        "Onze IT-partner heeft admintoegang tot onze servers en beheert ons netwerk.",
        {
            "provider_type": "it_managed_services",
            "personal_data_access": "core",
            "service": "IT-beheer",
        },
    ),
    (
        "nl",
        "We organiseren samen een actie met de bakker en delen de deelnemerslijst.",
        {"jointly_determines": True, "personal_data_access": "core"},
    ),
    (
        "nl",
        "Onze bedrijfsrevisor doet de wettelijke controle van de jaarrekening.",
        {
            "provider_type": "statutory_auditor",
            "own_legal_obligations": True,
            "personal_data_access": "core",
            "service": "wettelijke controle van de jaarrekening",
        },
    ),
    (
        "nl",
        "Moeten we een verwerkersovereenkomst hebben met onze energieleverancier Engie?"
        " Zij hebben hun eigen klanten.",
        {"provider_type": "electricity_supplier", "personal_data_access": "own_relationship"},
    ),
    (
        "nl",
        "bpost levert onze pakjes aan de klanten.",
        {"provider_type": "courier", "service": "leveringen"},
    ),
    (
        "nl",
        "We sturen onze facturen via Billit over Peppol.",
        {"provider_type": "peppol_access_point", "personal_data_access": "core"},
    ),
    (
        "nl",
        "Onze advocaat heeft toegang tot de klantgegevens voor een geschil, hij heeft zijn beroepsgeheim.",
        {
            "provider_type": "lawyer",
            "personal_data_access": "core",
            "own_legal_obligations": True,
            "service": "juridisch advies en geschillen",
        },
    ),
    (
        "nl",
        "De bank (KBC) doet onze betalingen, ze hebben eigen wettelijke verplichtingen zoals antiwitwas.",
        {"provider_type": "bank", "own_legal_obligations": True, "service": "betalingen"},
    ),
    (
        "nl",
        "Onze CRM-leverancier gebruikt onze gegevens ook voor hun eigen marketing.",
        {"provider_type": "saas_crm", "uses_data_for_own_purposes": True},
    ),
    (
        "nl",
        "Het marketingbureau beslist zelf welke doelgroepen ze targeten.",
        {"provider_type": "marketing_agency", "decides_purposes": True},
    ),
    # French
    (
        "fr",
        "Notre fiduciaire tient la comptabilité sur nos instructions.",
        {
            "provider_type": "accountant",
            "decides_purposes": False,
            "personal_data_access": "core",
            "own_legal_obligations": False,
            "jointly_determines": False,
            "uses_data_for_own_purposes": False,
            "service": "comptabilité",
        },
    ),
    (
        "fr",
        "Nous utilisons Brevo pour la newsletter, hébergé aux États-Unis.",
        {
            "provider_type": "email_marketing_service",
            "data_outside_eea": True,
            "service": "lettre d'information",
        },
    ),
    (
        "fr",
        "La société de nettoyage vient seulement nettoyer, elle n'a pas accès aux données.",
        {"provider_type": "cleaning_company", "personal_data_access": "incidental", "service": "nettoyage"},
    ),
    (
        "fr",
        "Notre secrétariat social Partena calcule les salaires.",
        {"provider_type": "payroll_bureau", "personal_data_access": "core"},
    ),
    (
        "fr",
        "Notre avocat a ses propres obligations légales et le secret professionnel.",
        {"provider_type": "lawyer", "own_legal_obligations": True},
    ),
    # English
    (
        "en",
        "Our IT partner has admin access to all our systems and only acts on our instructions.",
        {"provider_type": "it_managed_services", "personal_data_access": "core", "decides_purposes": False},
    ),
    (
        "en",
        "We use HubSpot as our CRM; the data is stored in the US.",
        {"provider_type": "saas_crm", "data_outside_eea": True},
    ),
    (
        "en",
        "The cleaning company never sees customer data.",
        {"provider_type": "cleaning_company", "personal_data_access": "none", "service": "cleaning"},
    ),
    (
        "en",
        "We run a joint campaign with a partner company and share the participant list.",
        {"provider_type": "marketing_partner", "jointly_determines": True, "personal_data_access": "core"},
    ),
    (
        "en",
        "Our web host OVH hosts our webshop data on European servers.",
        {
            "provider_type": "web_hosting",
            "personal_data_access": "core",
            "data_outside_eea": False,
            "service": "hosting",
        },
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES, ids=[c[1][:48] for c in CASES])
def test_reads_the_stated_facts(lang: str, message: str, expected: dict[str, Any]) -> None:
    assert _extract(message, lang) == expected


@pytest.mark.parametrize(("lang", "message", "expected"), CASES, ids=[c[1][:48] for c in CASES])
def test_extracted_facts_validate_and_narrow_the_questions(
    lang: str, message: str, expected: dict[str, Any]
) -> None:
    known = {"provider_type": "other"}
    merged = _facts(merge_facts(known, _extract(message, lang, known)))
    DpaFacts.model_validate(merged)
    before = assess("dpa", known)
    after = assess("dpa", merged)
    # Never asked again for a fact the message gave; the access question is settled when stated.
    assert not set(after.missing_facts) & (set(merged) - set(known))
    if "personal_data_access" in merged:
        assert after.outcome == "decided" or after.missing_facts != before.missing_facts


def test_languages_have_enough_cases() -> None:
    counts = {lang: sum(1 for c in CASES if c[0] == lang) for lang in ("nl", "fr", "en")}
    assert counts["nl"] >= 10 and counts["fr"] >= 4 and counts["en"] >= 4


# --- multi-part services ---------------------------------------------------------------------


def test_bookkeeping_and_tax_advice_are_two_parts() -> None:
    facts = _extract("Mijn boekhouder doet de boekhouding én belastingadvies.", "nl")
    assert facts["provider_type"] == "accountant"
    assert facts["service"] == "boekhouding en belastingadvies"
    # Bookkeeping on instructions is processing for the client; tax advice is the adviser's own
    # judgement, alone (legal-facts.md, Processors and controllers).
    assert facts["_parts"] == [
        {
            "service": "boekhouding",
            "provider_type": "accountant",
            "personal_data_access": "core",
            "decides_purposes": False,
            "own_legal_obligations": False,
            "jointly_determines": False,
            "uses_data_for_own_purposes": False,
        },
        {
            "service": "belastingadvies",
            "provider_type": "accountant",
            "personal_data_access": "core",
            "decides_purposes": True,
            "jointly_determines": False,
        },
    ]
    # The top level states nothing a part would contradict.
    assert "decides_purposes" not in facts


def test_each_part_gets_its_own_verdict() -> None:
    facts = _extract("Mijn boekhouder doet de boekhouding, btw-aangiftes en belastingadvies.", "nl")
    parts = facts["_parts"]
    assert [p["service"] for p in parts] == ["boekhouding en btw-aangiftes", "belastingadvies"]
    answers = {
        "own_legal_obligations": False,
        "jointly_determines": False,
        "uses_data_for_own_purposes": False,
    }
    bookkeeping = assess("dpa", {**answers, "decides_purposes": False, **parts[0]})
    advice = assess("dpa", {**answers, **parts[1]})
    assert bookkeeping.role == "processor" and bookkeeping.dpa_required  # type: ignore[attr-defined]
    assert advice.role == "controller" and not advice.dpa_required  # type: ignore[attr-defined]
    for part in parts:
        DpaFacts.model_validate(part)


def test_parts_in_french_and_english() -> None:
    fr = _extract("Notre comptable fait la comptabilité et nos conseils fiscaux.", "fr")
    assert [p["service"] for p in fr["_parts"]] == ["comptabilité", "conseil fiscal"]
    en = _extract("Our accountant does the bookkeeping and tax advice.", "en")
    assert [p["service"] for p in en["_parts"]] == ["bookkeeping", "tax advice"]
    assert en["_parts"][1]["decides_purposes"] is True


def test_stated_facts_win_over_the_nature_of_a_part() -> None:
    facts = _extract("De boekhouder doet de boekhouding en belastingadvies, enkel op onze instructies.", "nl")
    assert facts["decides_purposes"] is False
    assert all(part["decides_purposes"] is False for part in facts["_parts"])


def test_one_kind_of_service_gives_no_parts() -> None:
    facts = _extract("De boekhouder doet de boekhouding en de btw-aangifte.", "nl")
    assert "_parts" not in facts
    assert facts["service"] == "boekhouding en btw-aangiftes"
    assert facts["personal_data_access"] == "core"


# --- answers to the questions asked ----------------------------------------------------------


def test_bare_no_to_the_access_question_means_no_access() -> None:
    assert _extract("nee", "nl", {"_asked": ["personal_data_access"]}) == {"personal_data_access": "none"}
    assert _extract("Non.", "fr", {"_asked": ["personal_data_access"]}) == {"personal_data_access": "none"}


def test_bare_yes_to_the_access_question_is_left_open() -> None:
    # Core or incidental? A "ja" does not say; the question is asked again with its buttons.
    assert _extract("ja", "nl", {"_asked": ["personal_data_access"]}) == {}


def test_yes_no_answers_in_order() -> None:
    known = {
        "provider_type": "email_marketing_service",
        "personal_data_access": "core",
        "_asked": ROLE_QUESTIONS,
    }
    facts = _extract("nee, nee, nee, ja", "nl", known)
    assert facts == {
        "decides_purposes": False,
        "own_legal_obligations": False,
        "jointly_determines": False,
        "uses_data_for_own_purposes": True,
    }
    verdict = assess("dpa", _facts(merge_facts(known, facts)))
    assert verdict.outcome == "decided" and verdict.controller_for_own_purposes  # type: ignore[attr-defined]


def test_no_to_everything() -> None:
    known = {"_asked": ROLE_QUESTIONS}
    assert _extract("Nee op alles", "nl", known) == dict.fromkeys(ROLE_QUESTIONS, False)
    assert _extract("no to all", "en", known) == dict.fromkeys(ROLE_QUESTIONS, False)


def test_a_lone_yes_to_several_questions_is_not_guessed() -> None:
    assert _extract("ja", "nl", {"_asked": ROLE_QUESTIONS}) == {}


def test_single_role_question_answered_yes() -> None:
    known = {"provider_type": "marketing_agency", "personal_data_access": "core", "decides_purposes": True}
    facts = _extract("Oui, on décide ensemble.", "fr", {**known, "_asked": ["jointly_determines"]})
    assert facts == {"jointly_determines": True}
    assert assess("dpa", {**known, **facts}).role == "joint_controller"  # type: ignore[attr-defined]


def test_an_answer_does_not_switch_the_provider() -> None:
    known = {"provider_type": "accountant", "_asked": ["personal_data_access"]}
    facts = _extract("Hij krijgt onze facturen, zoals de bank ook.", "nl", known)
    assert "provider_type" not in facts
    assert facts["personal_data_access"] == "core"


def test_dont_know_is_not_a_value() -> None:
    assert _extract("Weet ik niet", "nl", {"_asked": ROLE_QUESTIONS}) == {}
    assert _extract("don't know", "en", {"_asked": ["personal_data_access"]}) == {}


def test_a_question_states_no_role_fact() -> None:
    facts = _extract("Moet ik een verwerkersovereenkomst tekenen met Mailchimp?", "nl")
    assert facts == {"provider_type": "email_marketing_service"}


def test_button_values() -> None:
    assert _extract("personal_data_access:incidental", "nl") == {"personal_data_access": "incidental"}
    assert _extract("decides_purposes:false", "nl") == {"decides_purposes": False}


def test_walkthrough_reaches_a_verdict() -> None:
    facts = _facts(
        _extract("We gebruiken Mailchimp voor onze nieuwsbrief, ze verwerken onze klantenlijst.", "nl")
    )
    verdict = assess("dpa", facts)
    assert verdict.missing_facts == ROLE_QUESTIONS
    answer = _extract("nee, nee, nee, nee", "nl", {**facts, "_asked": verdict.missing_facts})
    final = assess("dpa", _facts(merge_facts(facts, answer)))
    assert final.outcome == "decided" and final.role == "processor"  # type: ignore[attr-defined]


# --- question file ---------------------------------------------------------------------------


def test_every_missing_fact_has_a_question_and_a_safe_default() -> None:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    emitted = {"personal_data_access", *ROLE_QUESTIONS}
    for name in emitted:
        entry = data["facts"][name]
        assert all(entry[lang] for lang in ("nl", "fr", "en"))
        assert all(entry["help"][lang] for lang in ("nl", "fr", "en"))
        assert name in data["safe_defaults"]
    DpaFacts.model_validate({k: v for k, v in data["safe_defaults"].items()})
    for entry in data["facts"].values():
        for opt in entry.get("options", []):
            assert {"value", "nl", "fr", "en"} <= set(opt)
            if opt["value"] != "don't know":
                assert dpa.extract(opt["value"], "nl", TODAY, {}), opt["value"]
