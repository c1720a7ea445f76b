"""vendor_exit facts read from owners' messages (nl, fr, en), bare answers and button values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import vendor_exit
from tools.registry import assess
from tools.vendor_exit import VendorExitFacts

TODAY = dt.date(2026, 12, 1)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions"


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return vendor_exit.extract(message, lang, TODAY, known or {})


def _facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if not k.startswith("_")}


CASES = [
    # Dutch
    (
        "nl",
        "Teamleader gaat failliet. Ik kan alles naar Excel exporteren maar ik heb geen eigen backup.",
        {
            "export_formats": ["xlsx"],
            "vendor_in_difficulty": True,
            "own_backups": False,
            "_vendor": "Teamleader",
        },
    ),
    (
        "nl",
        "Onze boekhouding zit in Exact Online, de servers staan in Frankfurt.",
        {"data_location": "eea", "_vendor": "Exact Online"},
    ),
    ("nl", "Zonder dat pakket liggen we stil, en er is geen escrow.", {"critical": True, "escrow": False}),
    (
        "nl",
        "We gebruiken Odoo. Elke week maak ik zelf een backup in CSV op een externe schijf.",
        {"own_backups": True, "backup_open_format": True, "_vendor": "Odoo"},
    ),
    # The vendor's backups are not the owner's copy.
    ("nl", "De leverancier maakt backups, maar die kan ik niet lezen zonder hun software.", {}),
    ("nl", "Alleen pdf's, verder niets.", {"export_formats": ["pdf_only"]}),
    (
        "nl",
        "In de verwerkersovereenkomst staat dat ze bij het einde van het contract alle gegevens teruggeven.",
        {"return_or_delete_clause": True},
    ),
    ("nl", "Er staat niets over teruggave in het contract.", {"return_or_delete_clause": False}),
    (
        "nl",
        "De data staan in de VS, maar ze vallen onder het Data Privacy Framework.",
        {"data_location": "outside_eea", "transfer_safeguards": True},
    ),
    ("nl", "Ik weet niet waar de servers staan.", {"data_location": "unknown"}),
    ("nl", "Het contract regelt de overstap volgens de Data Act.", {"data_act_switching_terms": True}),
    # A worry is not a fact; the vendor's name is kept for the wording only.
    ("nl", "Wat als Yuki failliet gaat?", {"_vendor": "Yuki"}),
    ("nl", "Yuki stopt ermee eind volgend jaar.", {"vendor_in_difficulty": True, "_vendor": "Yuki"}),
    ("nl", "Het pakket bevat geen klantgegevens, enkel onze voorraad.", {"personal_data": False}),
    ("nl", "De leverancier is financieel gezond.", {"vendor_in_difficulty": False}),
    ("nl", "Ik kan de gegevens enkel in hun eigen formaat exporteren.", {"export_formats": ["proprietary"]}),
    ("nl", "Heb ik een escrow nodig?", {}),
    ("nl", "Ik kan alles naar Excel exporteren", {"export_formats": ["xlsx"]}),
    # French
    (
        "fr",
        "Notre fournisseur est en faillite, je peux exporter en CSV.",
        {"export_formats": ["csv"], "vendor_in_difficulty": True},
    ),
    (
        "fr",
        "Les données sont hébergées aux États-Unis, avec des clauses contractuelles types.",
        {"data_location": "outside_eea", "transfer_safeguards": True},
    ),
    (
        "fr",
        "Sans ce logiciel, tout s'arrête. Nous n'avons pas de sauvegarde.",
        {"critical": True, "own_backups": False},
    ),
    ("fr", "Le contrat prévoit la restitution des données à la fin.", {"return_or_delete_clause": True}),
    ("fr", "On utilise Odoo, les serveurs sont en Belgique.", {"data_location": "eea", "_vendor": "Odoo"}),
    # English
    (
        "en",
        "Our vendor went bankrupt last week and we can only export PDFs.",
        {"export_formats": ["pdf_only"], "vendor_in_difficulty": True},
    ),
    ("en", "We keep our own weekly backup as JSON.", {"own_backups": True, "backup_open_format": True}),
    (
        "en",
        "The data is stored in the US under the Data Privacy Framework.",
        {"data_location": "outside_eea", "transfer_safeguards": True},
    ),
    ("en", "The contract says they return or delete the data at the end.", {"return_or_delete_clause": True}),
    (
        "en",
        "Everything stops without Teamleader, and there is no escrow.",
        {"critical": True, "escrow": False, "_vendor": "Teamleader"},
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES)
def test_owner_messages(lang: str, message: str, expected: dict[str, Any]) -> None:
    facts = _extract(message, lang)
    assert facts == expected
    VendorExitFacts.model_validate(_facts(facts))


@pytest.mark.parametrize(
    ("asked", "message", "expected"),
    [
        (["own_backups"], "ja", {"own_backups": True}),
        (["own_backups"], "nee hoor", {"own_backups": False}),
        (["critical"], "oui", {"critical": True}),
        (["escrow"], "no", {"escrow": False}),
        (["export_formats"], "nee", {"export_formats": ["none"]}),
        (["export_formats"], "excel en csv", {"export_formats": ["xlsx", "csv"]}),
        (["data_location"], "EU", {"data_location": "eea"}),
        (["data_location"], "the US", {"data_location": "outside_eea"}),
        (["own_backups"], "weet ik niet", {}),
        # Two yes/no questions, one "ja": which one is meant is not clear.
        (["own_backups", "critical"], "ja", {}),
    ],
)
def test_bare_answers_follow_the_question(asked: list[str], message: str, expected: dict[str, Any]) -> None:
    assert _extract(message, "nl", {"_asked": asked}) == expected


def test_one_answer_per_question_in_order() -> None:
    asked = [
        "export_formats",
        "own_backups",
        "critical",
        "data_location",
        "return_or_delete_clause",
        "data_act_switching_terms",
        "vendor_in_difficulty",
    ]
    facts = _extract("csv, ja, nee, EU, ja, nee, nee", "nl", {"_asked": asked})
    assert facts == {
        "export_formats": ["csv"],
        "own_backups": True,
        "critical": False,
        "data_location": "eea",
        "return_or_delete_clause": True,
        "data_act_switching_terms": False,
        "vendor_in_difficulty": False,
    }


def test_short_forms_need_the_question() -> None:
    assert _extract("EU", "nl") == {}
    assert _extract("The vendor sends us a report", "en", {"_asked": ["data_location"]}) == {}
    assert _extract("j'ai eu un souci avec Odoo", "fr") == {"_vendor": "Odoo"}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("export_formats:csv", {"export_formats": ["csv"]}),
        ("own_backups:true", {"own_backups": True}),
        ("data_location:unknown", {"data_location": "unknown"}),
        ("critical:maybe", {}),
    ],
)
def test_button_values(message: str, expected: dict[str, Any]) -> None:
    assert _extract(message, "nl") == expected


def test_conversation_fills_the_facts_and_the_tool_needs_fewer() -> None:
    facts: dict[str, Any] = {}
    before = assess("vendor_exit", facts).missing_facts
    first = "Teamleader gaat failliet. Ik kan alles naar Excel exporteren maar ik heb geen eigen backup."
    facts = merge_facts(facts, _extract(first, "nl"))
    middle = assess("vendor_exit", _facts(facts)).missing_facts
    assert len(middle) < len(before)
    second = "Zonder dat pakket liggen we stil, er is geen escrow. De servers staan in Frankfurt."
    facts = merge_facts(facts, _extract(second, "nl", facts))
    third = assess("vendor_exit", _facts(facts)).missing_facts
    assert third == ["return_or_delete_clause", "data_act_switching_terms"]
    facts = merge_facts(facts, _extract("nee, nee", "nl", {**facts, "_asked": third}))
    verdict = assess("vendor_exit", _facts(facts))
    assert verdict.outcome == "decided"
    assert verdict.model_dump()["risk_level"] == "high"
    assert facts["_vendor"] == "Teamleader"


def test_questions_cover_every_missing_fact() -> None:
    spec = yaml.safe_load((QUESTIONS / "vendor_exit.yaml").read_text(encoding="utf-8"))
    emitted = {
        "export_formats",
        "own_backups",
        "backup_open_format",
        "critical",
        "escrow",
        "data_location",
        "transfer_safeguards",
        "return_or_delete_clause",
        "data_act_switching_terms",
        "vendor_in_difficulty",
    }
    assert emitted <= set(spec["facts"])
    for name in emitted:
        for lang in ("nl", "fr", "en"):
            assert spec["facts"][name][lang]
        for opt in spec["facts"][name].get("options", []):
            facts = _extract(opt["value"], "nl")
            assert facts, opt["value"]
            VendorExitFacts.model_validate(facts)
    VendorExitFacts.model_validate(spec["safe_defaults"])
    assert assess("vendor_exit", spec["safe_defaults"]).outcome == "decided"


def test_a_contract_silent_on_switching_and_a_healthy_vendor_are_read() -> None:
    facts = _extract(
        "Heel het bedrijf draait op die planningtool. Het contract regelt teruggeven of wissen "
        "maar niks over overstappen, en de leverancier doet het goed.",
        "nl",
    )
    assert facts["critical"] is True
    assert facts["data_act_switching_terms"] is False
    assert facts["vendor_in_difficulty"] is False


def test_negation_after_the_phrase_in_its_clause() -> None:
    assert _extract("Escrow hebben we niet.", "nl")["escrow"] is False
    # The next sentence is out of reach: "no" in "Geen idee." does not deny the escrow.
    assert _extract("We have an escrow agreement. The vendor is fine.", "en")["escrow"] is True
