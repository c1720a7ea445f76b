"""Register facts read from owners' messages (nl, fr, en), bare answers and button values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import register
from tools.register import RegisterFacts
from tools.registry import assess

TODAY = dt.date(2026, 12, 1)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions"


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return register.extract(message, lang, TODAY, known or {})


def _facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if not k.startswith("_")}


CASES = [
    # Dutch
    (
        "nl",
        "Ik ben een eenmanszaak en stuur elke maand een nieuwsbrief naar 300 klanten.",
        {"processing": ["newsletter"], "employees": 0, "frequency": "regular"},
    ),
    (
        "nl",
        "We zijn met 4 in de zaak, we hebben een klantenbestand en facturen.",
        {"processing": ["customer_database", "invoicing"], "employees": 4},
    ),
    (
        "nl",
        "Een tiental medewerkers, loonadministratie via het sociaal secretariaat.",
        {"processing": ["payroll"], "employees": 10},
    ),
    (
        "nl",
        "Geen personeel. Ik verkoop via mijn webshop.",
        {"processing": ["webshop_orders"], "employees": 0},
    ),
    (
        "nl",
        "Ik host websites voor klanten, we zijn met twee.",
        {"processing": ["hosting_client_data"], "employees": 2, "role": "processor"},
    ),
    (
        "nl",
        "Ik ben kinesitherapeut met 2 werknemers en een agenda met afspraken.",
        {"processing": ["health_data", "appointments"], "employees": 2},
    ),
    ("nl", "We hebben camera's in de winkel en 6 bedienden.", {"processing": ["cctv"], "employees": 6}),
    (
        "nl",
        "Ons bouwbedrijf telt 35 arbeiders en de bestelwagens hebben gps.",
        {"processing": ["vehicle_geolocation"], "employees": 35},
    ),
    (
        "nl",
        "We sturen 1 keer per jaar kerstkaarten, verder niets. We zijn met z'n drieën.",
        {"processing": ["christmas_cards"], "employees": 3, "frequency": "occasional"},
    ),
    ("nl", "We hebben geen nieuwsbrief, enkel facturen.", {"processing": ["invoicing"]}),
    ("nl", "We verwerken geen persoonsgegevens.", {"processing": []}),
    (
        "nl",
        "Bij aanwerving vragen we een uittreksel uit het strafregister.",
        {"processing": ["recruitment", "criminal_data"]},
    ),
    ("nl", "meer dan 250 werknemers", {"employees": 251}),
    ("nl", "minder dan 250 werknemers", {"employees": 249}),
    ("nl", "500 mensen op de nieuwsbrief", {"processing": ["newsletter"]}),
    ("nl", "5 mensen werken hier", {"employees": 5}),
    ("nl", "In 2019 hadden we 4 werknemers, nu 7 werknemers.", {"employees": 7}),
    ("nl", "Ik heb 2 winkels en 3 werknemers.", {"employees": 3}),
    (
        "nl",
        "we organiseren af en toe een workshop met inschrijvingen",
        {"processing": ["event_registration"], "frequency": "occasional"},
    ),
    (
        "nl",
        "Ik verwerk de boekhouding van mijn klanten",
        {"processing": ["invoicing"], "role": "processor"},
    ),
    ("nl", "ik maak facturen voor mijn klanten", {"processing": ["invoicing"]}),
    ("nl", "Vijfentwintig werknemers en een CRM", {"processing": ["crm"], "employees": 25}),
    # French
    (
        "fr",
        "Nous sommes 3 et nous avons une newsletter mensuelle.",
        {"processing": ["newsletter"], "employees": 3, "frequency": "regular"},
    ),
    ("fr", "Quatre employés, et des caméras dans le magasin.", {"processing": ["cctv"], "employees": 4}),
    (
        "fr",
        "Une dizaine de salariés, la paie passe par le secrétariat social.",
        {"processing": ["payroll"], "employees": 10},
    ),
    (
        "fr",
        "Je travaille seul, j'héberge des sites pour mes clients.",
        {"processing": ["hosting_client_data"], "employees": 0, "role": "processor"},
    ),
    (
        "fr",
        "Vingt-cinq salariés, un fichier clients et des factures.",
        {"processing": ["customer_database", "invoicing"], "employees": 25},
    ),
    # English
    ("en", "We are a team of 5 with a CRM.", {"processing": ["crm"], "employees": 5}),
    ("en", "Twelve staff, payroll and invoices.", {"processing": ["payroll", "invoicing"], "employees": 12}),
    (
        "en",
        "No employees, I send Christmas cards once a year.",
        {"processing": ["christmas_cards"], "employees": 0, "frequency": "occasional"},
    ),
    ("en", "I host websites for clients.", {"processing": ["hosting_client_data"], "role": "processor"}),
    (
        "en",
        "We're a dental practice with 8 employees and an appointment calendar.",
        {"processing": ["health_data", "appointments"], "employees": 8},
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES)
def test_owner_messages(lang: str, message: str, expected: dict[str, Any]) -> None:
    facts = _extract(message, lang)
    assert facts == expected
    RegisterFacts.model_validate(_facts(facts))


@pytest.mark.parametrize(
    ("message", "lang", "expected"),
    [
        ("4", "nl", 4),
        ("vier", "nl", 4),
        ("geen", "nl", 0),
        ("een tiental", "nl", 10),
        ("een", "nl", 1),
        ("ongeveer 12, mezelf meegerekend", "nl", 12),
        ("quatre", "fr", 4),
        ("aucun", "fr", 0),
        ("a dozen", "en", 12),
        ("none", "en", 0),
    ],
)
def test_bare_number_answers_employees_when_asked(message: str, lang: str, expected: int) -> None:
    assert _extract(message, lang, {"_asked": ["employees"]}) == {"employees": expected}


def test_bare_number_not_read_when_employees_not_asked() -> None:
    assert _extract("4", "nl") == {}
    assert _extract("4", "nl", {"_asked": ["frequency"]}) == {}


def test_bare_answer_to_several_questions() -> None:
    known = {"_asked": ["processing", "employees"]}
    assert _extract("nieuwsbrief en facturen, 4", "nl", known) == {
        "processing": ["newsletter", "invoicing"],
        "employees": 4,
    }
    # "3 keer per jaar" counts times, not people.
    assert _extract("3 keer per jaar een enquête, 2 mensen", "nl", known) == {
        "processing": ["one_off_survey"],
        "employees": 2,
        "frequency": "occasional",
    }


@pytest.mark.parametrize("message", ["ik weet het niet", "geen idee", "je ne sais pas", "I don't know"])
def test_dont_know_is_not_a_value(message: str) -> None:
    assert _extract(message, "nl", {"_asked": ["frequency"]}) == {}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("processing:newsletter", {"processing": ["newsletter"]}),
        ("employees:0", {"employees": 0}),
        ("frequency:unknown", {"frequency": "unknown"}),
        ("role:processor", {"role": "processor"}),
        ("processing:nonsense", {}),
    ],
)
def test_button_values(message: str, expected: dict[str, Any]) -> None:
    assert _extract(message, "nl") == expected


def test_conversation_fills_the_facts_and_the_tool_needs_fewer() -> None:
    facts: dict[str, Any] = {}
    before = assess("register", facts).missing_facts
    facts = merge_facts(facts, _extract("Moet ik een register bijhouden? Ik heb een webshop.", "nl"))
    middle = assess("register", _facts(facts)).missing_facts
    assert len(middle) < len(before)
    facts = merge_facts({**facts, "_asked": middle}, _extract("3", "nl", {**facts, "_asked": middle}))
    verdict = assess("register", _facts(facts))
    assert verdict.outcome == "decided"
    assert RegisterFacts.model_validate(_facts(facts)).employees == 3


def test_hosting_case_decides_with_the_processor_record() -> None:
    facts = _extract("Ik host websites voor klanten, we zijn met 6 en dat loopt doorlopend.", "nl")
    verdict = assess("register", _facts(facts))
    assert verdict.outcome == "decided"
    assert verdict.model_dump()["record_article"] == "GDPR Art. 30(2)"


def test_questions_cover_every_missing_fact() -> None:
    spec = yaml.safe_load((QUESTIONS / "register.yaml").read_text(encoding="utf-8"))
    for name in ("processing", "employees", "frequency"):
        for lang in ("nl", "fr", "en"):
            assert spec["facts"][name][lang]
    for entry in spec["facts"].values():
        for opt in entry.get("options", []):
            facts = _extract(opt["value"], "nl")
            assert facts, opt["value"]
            RegisterFacts.model_validate(facts)
    assert spec["safe_defaults"]["frequency"] == "unknown"
    RegisterFacts.model_validate(spec["safe_defaults"])


@pytest.mark.parametrize(
    ("message", "lang", "count"),
    [
        ("Tandartspraktijk met 3 assistentes, register nodig?", "nl", 3),
        ("Nous sommes une PME de 12 personnes avec un CRM.", "fr", 12),
        ("We are a company of 40 with a webshop.", "en", 40),
    ],
)
def test_staff_counted_by_job_title_or_company_size(message: str, lang: str, count: int) -> None:
    assert _extract(message, lang)["employees"] == count


def test_negation_stays_in_its_sentence() -> None:
    # "Zonder personeel." ends before the frequency: it denies nothing in the next sentence.
    facts = _extract("I work on my own, no staff. Once a year I hold an open day with sign-ups.", "en")
    assert facts["frequency"] == "occasional"


def test_negation_after_the_phrase_in_its_clause() -> None:
    # Dutch puts the negation last; a relative clause after the phrase does not deny it.
    assert "cctv" not in _extract("We hebben een CRM. Camera's hangen er bij ons niet.", "nl")["processing"]
    assert "cctv" not in _extract("We use a CRM and we don't have any cameras.", "en")["processing"]
    assert "cctv" in _extract("We hebben een camera die nooit uitgaat en een CRM.", "nl")["processing"]


def test_restrictive_word_ends_the_negation() -> None:
    assert _extract("Pas de newsletter, seulement des factures.", "fr")["processing"] == ["invoicing"]


@pytest.mark.parametrize(
    ("lang", "message", "count"),
    [
        ("nl", "Ons loodgietersbedrijf telt vijftien man.", 15),
        ("fr", "Notre entreprise compte quinze personnes.", 15),
        ("en", "We're a studio employing six people.", 6),
        ("en", "Our plumbing business has fifteen people.", 15),
    ],
)
def test_staff_counted_after_a_verb_of_employing(lang: str, message: str, count: int) -> None:
    assert _extract(message, lang)["employees"] == count


def test_having_people_on_a_list_is_no_staff() -> None:
    assert "employees" not in _extract("We have 500 people on our newsletter.", "en")
