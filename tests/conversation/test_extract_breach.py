"""Breach facts read from owners' messages (nl, fr, en), bare answers and button values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import breach
from assistant.lexicons import lexicon
from tools.breach import BreachFacts, DataKind
from tools.registry import assess

# Friday 27 November 2026.
TODAY = dt.date(2026, 11, 27)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions" / "breach.yaml"


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return breach.extract(message, lang, TODAY, known or {})


CASES: list[tuple[str, str, dict[str, Any]]] = [
    # Dutch
    (
        "nl",
        "Gisteren om 16u ontdekt dat een laptop met klantgegevens gestolen is. De laptop was versleuteld met "
        "BitLocker.",
        {
            "discovered_at": "2026-11-26T16:00",
            "data_kinds": ["contact"],
            "encrypted": True,
            "personal_data": True,
        },
    ),
    (
        "nl",
        "Een medewerker stuurde een Excel met namen en e-mailadressen van een 200-tal klanten naar de "
        "verkeerde "
        "klant. Vanochtend gemerkt. We hebben de mail teruggeroepen.",
        {
            "discovered_at": "2026-11-27T09:00",
            "data_kinds": ["contact"],
            "subjects_count": 200,
            "contained": True,
            "availability_only": False,
            "personal_data": True,
        },
    ),
    (
        "nl",
        "Ransomware heeft al onze bestanden versleuteld, maar we hebben een backup van gisteren en alles is "
        "teruggezet. Niets gekopieerd volgens de IT-firma.",
        # Files encrypted by ransomware are not protected by encryption; "gisteren" is the backup's day.
        {"availability_only": True, "backup_restored": True},
    ),
    (
        "nl",
        "Onze webshop is gehackt, de wachtwoorden van ongeveer 50 klanten stonden in klare tekst. Vandaag om "
        "9u30 gemerkt.",
        {
            "discovered_at": "2026-11-27T09:30",
            "data_kinds": ["credentials"],
            "subjects_count": 50,
            "encrypted": False,
            "personal_data": True,
        },
    ),
    (
        "nl",
        "De hacker zit nog in het systeem. Het gaat om medische dossiers van een vijftigtal patiënten.",
        {
            "data_kinds": ["health"],
            "special_categories": True,
            "subjects_count": 50,
            "contained": False,
            "personal_data": True,
        },
    ),
    (
        "nl",
        "Vorige week maandag ontdekt: onze klantenlijst met rekeningnummers stond online en was via Google "
        "vindbaar.",
        # A day without an hour: its midnight, so the 72 hours are never counted too late.
        {"discovered_at": "2026-11-16T00:00", "data_kinds": ["contact", "financial"], "personal_data": True},
    ),
    (
        "nl",
        "Ik heb per ongeluk de loonfiches van vier werknemers naar onze boekhouder gestuurd, hij heeft het "
        "meteen verwijderd.",
        {
            "data_kinds": ["employment"],
            "subjects_count": 4,
            "contained": True,
            "recipient_trusted": True,
            "personal_data": True,
        },
    ),
    (
        "nl",
        "Er is een usb-stick kwijt met kopieën van identiteitskaarten en rijksregisternummers van 1.200 "
        "leden. "
        "Niet versleuteld.",
        {
            "data_kinds": ["identity_documents", "national_number"],
            "subjects_count": 1200,
            "encrypted": False,
            "personal_data": True,
        },
    ),
    (
        "nl",
        "De productcatalogus van de webshop is gehackt, er zaten geen persoonsgegevens in.",
        {"personal_data": False},
    ),
    (
        "nl",
        "Eergisteren rond 14:15 zagen we dat iemand had ingelogd in de mailbox van de zaakvoerder. "
        "Wachtwoord is "
        "gewijzigd.",
        {
            "discovered_at": "2026-11-25T14:15",
            # "Wachtwoord is gewijzigd" is the containment step, not leaked login data.
            "data_kinds": ["communications"],
            "contained": True,
            "personal_data": True,
        },
    ),
    (
        "nl",
        "Onze server is gecrasht door een brand, er is geen back-up. Het ging om contactgegevens van "
        "tweehonderd "
        "klanten.",
        {
            "data_kinds": ["contact"],
            "subjects_count": 200,
            "availability_only": True,
            "backup_restored": False,
            "personal_data": True,
        },
    ),
    # French
    (
        "fr",
        "Hier soir vers 22h, nous avons découvert que la liste de nos patients était accessible à tous sur "
        "internet. Pas chiffré.",
        {
            "discovered_at": "2026-11-26T22:00",
            "data_kinds": ["health"],
            "special_categories": True,
            "encrypted": False,
            "publicly_exposed": True,
            "personal_data": True,
        },
    ),
    (
        "fr",
        "On a envoyé par erreur les fiches de paie de 12 employés à un collègue. Il les a supprimé "
        "immédiatement.",
        {
            "data_kinds": ["employment"],
            "subjects_count": 12,
            "contained": True,
            "availability_only": False,
            "recipient_trusted": True,
            "personal_data": True,
        },
    ),
    (
        "fr",
        "Le 25 novembre à 8h nous avons constaté qu'un rançongiciel avait chiffré le serveur. Pas de "
        "sauvegarde. "
        "Données de clients et coordonnées bancaires.",
        {
            "discovered_at": "2026-11-25T08:00",
            "data_kinds": ["contact", "financial"],
            "backup_restored": False,
            "personal_data": True,
        },
    ),
    (
        "fr",
        "Un ordinateur portable avec les données d'une vingtaine d'enfants a été volé ce matin; il était "
        "chiffré "
        "avec BitLocker et nous l'avons effacé à distance.",
        {
            "data_kinds": ["children"],
            "subjects_count": 20,
            "encrypted": True,
            "contained": True,
            "personal_data": True,
        },
    ),
    # English
    (
        "en",
        "Yesterday at 2 pm we noticed that a USB stick with copies of ID cards and national register "
        "numbers of "
        "about 300 customers was lost. Not encrypted.",
        {
            "discovered_at": "2026-11-26T14:00",
            "data_kinds": ["identity_documents", "national_number"],
            "subjects_count": 300,
            "encrypted": False,
            "personal_data": True,
        },
    ),
    ("en", "Our product catalogue was hacked, no personal data involved.", {"personal_data": False}),
    (
        "en",
        "This morning we found out that an email with the names and addresses of 40 customers went to all "
        "customers in cc instead of bcc. It is still out there.",
        {
            "discovered_at": "2026-11-27T09:00",
            "data_kinds": ["contact"],
            "subjects_count": 40,
            "contained": False,
            "recipient_trusted": False,
            "personal_data": True,
        },
    ),
    (
        "en",
        "On November 20 at 10:00 we discovered that our booking system's passwords were stored as salted "
        "hashes "
        "and were copied; the leak is fixed.",
        {
            "discovered_at": "2026-11-20T10:00",
            "data_kinds": ["credentials"],
            "encrypted": True,
            "contained": True,
            "availability_only": False,
            "personal_data": True,
        },
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES)
def test_message_facts(lang: str, message: str, expected: dict[str, Any]) -> None:
    found = _extract(message, lang)
    assert found == expected
    BreachFacts.model_validate(found)
    assert len(assess("breach", found).missing_facts) <= len(
        assess("breach", {"personal_data": True}).missing_facts
    )


def test_language_counts() -> None:
    langs = [lang for lang, _m, _e in CASES]
    assert langs.count("nl") >= 10 and langs.count("fr") >= 4 and langs.count("en") >= 4


def test_kinds_in_the_lexicon_are_the_tools_kinds() -> None:
    assert set(lexicon("breach")["data_kinds"]) <= set(get_args(DataKind))


def test_no_personal_data_decides_at_once() -> None:
    verdict = assess("breach", _extract("Our product catalogue was hacked, no personal data involved.", "en"))
    assert verdict.outcome == "decided"
    assert verdict.model_dump()["summary"] == "no_breach"


def test_stolen_laptop_story_is_decided_after_two_answers() -> None:
    facts = _extract(CASES[0][1], "nl")
    for answer in (
        "we hebben het wachtwoord veranderd en de laptop op afstand gewist",
        "ja, er is een back-up",
    ):
        asked = assess("breach", facts).missing_facts
        facts = merge_facts(facts, breach.extract(answer, "nl", TODAY, {**facts, "_asked": asked}))
    verdict = assess("breach", facts)
    assert verdict.outcome == "decided"
    assert verdict.model_dump()["summary"] == "document_only"


KNOWN: dict[str, Any] = {"personal_data": True, "data_kinds": ["contact"]}


def _answer(asked: list[str], message: str, lang: str = "nl") -> dict[str, Any]:
    return _extract(message, lang, {**KNOWN, "_asked": asked})


@pytest.mark.parametrize(
    ("asked", "message", "lang", "expected"),
    [
        (["discovered_at"], "gisteren om 14u", "nl", {"discovered_at": "2026-11-26T14:00"}),
        (["discovered_at"], "vanmorgen", "nl", {"discovered_at": "2026-11-27T09:00"}),
        (["discovered_at"], "om 11u", "nl", {"discovered_at": "2026-11-27T11:00"}),
        (["discovered_at"], "hier à 17h30", "fr", {"discovered_at": "2026-11-26T17:30"}),
        (["discovered_at"], "November 25 at 3 pm", "en", {"discovered_at": "2026-11-25T15:00"}),
        (["encrypted"], "ja", "nl", {"encrypted": True}),
        (["encrypted"], "nee", "nl", {"encrypted": False}),
        (["contained"], "oui", "fr", {"contained": True}),
        (["contained"], "not yet", "en", {"contained": False}),
        (["backup_restored"], "nee, geen backup", "nl", {"backup_restored": False}),
        (["personal_data"], "neen", "nl", {"personal_data": False}),
        (["subjects_count"], "ongeveer 40", "nl", {"subjects_count": 40}),
        (["subjects_count"], "vijfentwintig", "nl", {"subjects_count": 25}),
        (["subjects_count"], "une centaine", "fr", {"subjects_count": 100}),
        (["subjects_count"], "about twenty", "en", {"subjects_count": 20}),
        (
            ["data_kinds"],
            "e-mailadressen en telefoonnummers",
            "nl",
            {"data_kinds": ["contact"], "personal_data": True},
        ),
        (["data_kinds"], "mots de passe", "fr", {"data_kinds": ["credentials"], "personal_data": True}),
        (["data_kinds"], "andere", "nl", {"data_kinds": ["other"], "personal_data": True}),
    ],
)
def test_bare_answers(asked: list[str], message: str, lang: str, expected: dict[str, Any]) -> None:
    found = _answer(asked, message, lang)
    assert found == expected
    BreachFacts.model_validate(merge_facts(KNOWN, found))


def test_bare_yes_is_ambiguous_when_several_yes_no_facts_are_asked() -> None:
    assert _answer(["contained", "encrypted"], "ja") == {}
    assert _answer(["contained", "encrypted"], "ja, versleuteld met BitLocker") == {"encrypted": True}


@pytest.mark.parametrize(
    ("message", "lang"), [("ik weet het niet", "nl"), ("je ne sais pas", "fr"), ("no idea", "en")]
)
def test_dont_know_is_not_a_value(message: str, lang: str) -> None:
    asked = ["discovered_at", "data_kinds", "contained", "encrypted", "subjects_count"]
    assert _answer(asked, message, lang) == {}
    assert _answer(["encrypted"], message, lang) == {}


def test_button_values() -> None:
    assert _answer(["contained"], "contained:false") == {"contained": False}


def test_published_data_is_never_availability_only() -> None:
    found = _extract("De lijst werd gepubliceerd op Facebook; de server is gecrasht, niets gekopieerd.", "nl")
    assert "availability_only" not in found or found["availability_only"] is False
    BreachFacts.model_validate(found)


def test_every_missing_fact_has_a_question() -> None:
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    facts = questions["facts"]
    emitted = {
        "personal_data",
        "discovered_at",
        "data_kinds",
        "contained",
        "encrypted",
        "backup_restored",
        "subjects_count",
    }
    optional = {"availability_only", "recipient_trusted", "publicly_exposed", "special_categories"}
    for name in emitted | optional:
        assert name in facts, name
        assert all(facts[name].get(lang) for lang in ("nl", "fr", "en")), name
    kinds = {o["value"].split(":")[1] for o in facts["data_kinds"]["options"]}
    assert kinds == set(get_args(DataKind))
    BreachFacts.model_validate({"personal_data": True, **questions["safe_defaults"]})
