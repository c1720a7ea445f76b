"""web_exposure facts read from owners' messages (nl, fr, en): robots.txt, paths and their flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import web_exposure
from tools.registry import assess
from tools.web_exposure import WebExposureFacts

TODAY = dt.date(2026, 12, 1)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions"
ROBOTS = "User-agent: *\nDisallow: /klanten/\nDisallow: /backup/\n"


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return web_exposure.extract(message, lang, TODAY, known or {})


def _facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if not k.startswith("_")}


CASES = [
    # Dutch
    (
        "nl",
        "Ik vond ons bestand /klanten/export.xlsx via Google. Het is een lijst met klanten en iedereen "
        "kan het openen.",
        {
            "paths": [
                {
                    "path": "/klanten/export.xlsx",
                    "publicly_indexed": True,
                    "contains_personal_data": True,
                    "requires_login": False,
                }
            ]
        },
    ),
    # The folder's name is no statement about its content.
    (
        "nl",
        "Onze map /facturen staat achter een wachtwoord.",
        {"paths": [{"path": "/facturen", "requires_login": True}]},
    ),
    (
        "nl",
        "https://mijnzaak.be/admin is niet beveiligd, maar er staan geen persoonsgegevens op.",
        {
            "paths": [
                {
                    "path": "https://mijnzaak.be/admin",
                    "requires_login": False,
                    "contains_personal_data": False,
                }
            ]
        },
    ),
    (
        "nl",
        "Mijn robots.txt:\nUser-agent: *\nDisallow: /klanten/\nDisallow: /backup/\n\n"
        "In /klanten/lijst.xlsx staat een klantenlijst, zonder wachtwoord.",
        {
            "robots_txt": ROBOTS,
            "paths": [
                {"path": "/klanten/lijst.xlsx", "contains_personal_data": True, "requires_login": False}
            ],
        },
    ),
    (
        "nl",
        "We hebben geen robots.txt. Het bestand export_klanten.pdf staat online, niet in Google.",
        {"robots_txt": "", "paths": [{"path": "export_klanten.pdf", "publicly_indexed": False}]},
    ),
    (
        "nl",
        "/offertes/offerte-2026.pdf heeft een noindex, het is een prijsofferte zonder namen, "
        "geen persoonsgegevens.",
        {"paths": [{"path": "/offertes/offerte-2026.pdf", "noindex": True, "contains_personal_data": False}]},
    ),
    (
        "nl",
        "De ledenlijst staat op www.mijnclub.be/leden.pdf en die verschijnt in Google",
        {
            "paths": [
                {
                    "path": "www.mijnclub.be/leden.pdf",
                    "contains_personal_data": True,
                    "publicly_indexed": True,
                }
            ]
        },
    ),
    # A question states no flag; "I don't know if" neither. The path itself is named.
    ("nl", "Hoe zet ik /klanten achter een wachtwoord?", {"paths": [{"path": "/klanten"}]}),
    ("nl", "Ik weet niet of /intern/ in Google staat.", {"paths": [{"path": "/intern/"}]}),
    # A robots.txt pasted on one line keeps its lines.
    (
        "nl",
        "User-agent: * Disallow: /intern/ Allow: /intern/publiek/",
        {"robots_txt": "User-agent: *\nDisallow: /intern/\nAllow: /intern/publiek/\n"},
    ),
    (
        "nl",
        "Alleen /prijslijst.pdf, daar staat niets persoonlijks in.",
        {"paths": [{"path": "/prijslijst.pdf", "contains_personal_data": False}]},
    ),
    (
        "nl",
        "/a.pdf staat achter een wachtwoord, maar /b.pdf niet",
        {"paths": [{"path": "/a.pdf", "requires_login": True}, {"path": "/b.pdf", "requires_login": False}]},
    ),
    ("nl", "Het gaat om 4/12/2026 en/of 24/7 service", {}),
    # French
    (
        "fr",
        "J'ai trouvé notre fichier /clients/export.csv sur Google, n'importe qui peut l'ouvrir.",
        {"paths": [{"path": "/clients/export.csv", "publicly_indexed": True, "requires_login": False}]},
    ),
    (
        "fr",
        "Le dossier /factures est protégé par un mot de passe.",
        {"paths": [{"path": "/factures", "requires_login": True}]},
    ),
    ("fr", "Il n'y a pas de robots.txt sur notre site.", {"robots_txt": ""}),
    (
        "fr",
        "La page https://monentreprise.be/espace-membres/liste.pdf contient des adresses e-mail, "
        "elle n'est pas indexée.",
        {
            "paths": [
                {
                    "path": "https://monentreprise.be/espace-membres/liste.pdf",
                    "contains_personal_data": True,
                    "publicly_indexed": False,
                }
            ]
        },
    ),
    # English
    (
        "en",
        "I found our customer list at /exports/customers.xlsx through Google, anyone can open it.",
        {
            "paths": [
                {
                    "path": "/exports/customers.xlsx",
                    "contains_personal_data": True,
                    "publicly_indexed": True,
                    "requires_login": False,
                }
            ]
        },
    ),
    (
        "en",
        "The folder /invoices/ is password protected.",
        {"paths": [{"path": "/invoices/", "requires_login": True}]},
    ),
    ("en", "We have no robots.txt.", {"robots_txt": ""}),
    (
        "en",
        "https://shop.example.be/docs/brochure.pdf has a noindex tag and holds no personal data.",
        {
            "paths": [
                {
                    "path": "https://shop.example.be/docs/brochure.pdf",
                    "noindex": True,
                    "contains_personal_data": False,
                }
            ]
        },
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES)
def test_owner_messages(lang: str, message: str, expected: dict[str, Any]) -> None:
    facts = _extract(message, lang)
    assert facts == expected
    WebExposureFacts.model_validate(_facts(facts))


KNOWN = {"robots_txt": "", "paths": [{"path": "/facturen/2026.pdf"}]}
THREE = ["paths[0].contains_personal_data", "paths[0].requires_login", "paths[0].publicly_indexed"]


@pytest.mark.parametrize(
    ("asked", "message", "expected"),
    [
        (["paths[0].requires_login"], "nee", {"requires_login": False}),
        (["paths[0].requires_login"], "Ja hoor", {"requires_login": True}),
        (["paths[0].requires_login"], "non", {"requires_login": False}),
        (["paths[0].requires_login"], "iedereen kan het openen", {"requires_login": False}),
        (
            THREE,
            "ja, nee, nee",
            {"contains_personal_data": True, "requires_login": False, "publicly_indexed": False},
        ),
        (
            THREE,
            "Er staan facturen in, met namen en adressen. Geen wachtwoord. Niet in Google.",
            {"contains_personal_data": True, "requires_login": False, "publicly_indexed": False},
        ),
        # One "no" to three questions: which one is meant is not clear.
        (THREE, "nee", None),
        (["paths[0].requires_login"], "geen idee", None),
    ],
)
def test_item_answers_follow_the_question(
    asked: list[str], message: str, expected: dict[str, Any] | None
) -> None:
    facts = _extract(message, "nl", {**KNOWN, "_asked": asked})
    if expected is None:
        assert facts == {}
    else:
        assert facts == {"paths": [{"path": "/facturen/2026.pdf", **expected}]}


def test_flags_without_a_path_go_to_the_only_known_path() -> None:
    facts = _extract("Het staat in Google.", "nl", KNOWN)
    assert facts == {"paths": [{"path": "/facturen/2026.pdf", "publicly_indexed": True}]}


def test_a_known_path_is_updated_not_repeated() -> None:
    known = {"paths": [{"path": "/klanten/", "requires_login": False}]}
    facts = _extract("In https://mijnzaak.be/klanten staat een klantenlijst.", "nl", known)
    assert facts == {
        "paths": [{"path": "/klanten/", "requires_login": False, "contains_personal_data": True}]
    }
    added = _extract("Ook /leden.pdf is openbaar.", "nl", known)
    assert added["paths"] == [
        {"path": "/klanten/", "requires_login": False},
        {"path": "/leden.pdf", "requires_login": False},
    ]


@pytest.mark.parametrize(
    ("asked", "message", "expected"),
    [
        (["robots_txt"], "nee", {"robots_txt": ""}),
        (["paths"], "geen", {"paths": []}),
        (["paths"], "geen idee", {}),
        (["robots_txt"], "robots_txt:none", {"robots_txt": ""}),
    ],
)
def test_top_level_answers(asked: list[str], message: str, expected: dict[str, Any]) -> None:
    assert _extract(message, "nl", {"_asked": asked}) == expected


def test_button_value_for_an_item() -> None:
    facts = _extract("paths[0].noindex:true", "nl", KNOWN)
    assert facts == {"paths": [{"path": "/facturen/2026.pdf", "noindex": True}]}


def test_conversation_fills_the_facts_and_the_tool_needs_fewer() -> None:
    facts: dict[str, Any] = {}
    before = assess("web_exposure", facts).missing_facts
    facts = merge_facts(facts, _extract("Ik vond /klanten/export.xlsx via Google.", "nl"))
    middle = assess("web_exposure", _facts(facts)).missing_facts
    # The path is known now; what is left is about that path and robots.txt.
    assert "paths" in before and "paths" not in middle
    assert middle == ["robots_txt", "paths[0].contains_personal_data", "paths[0].requires_login"]
    answer = "Geen robots.txt. Ja, er staan klantgegevens in. Nee, iedereen kan het openen."
    facts = merge_facts(facts, _extract(answer, "nl", {**facts, "_asked": middle}))
    verdict = assess("web_exposure", _facts(facts))
    assert verdict.outcome == "decided"
    assert verdict.model_dump()["breach_suspected"] is True


def test_robots_then_noindex_is_asked_and_answered() -> None:
    first = _extract(
        "User-agent: *\nDisallow: /intern/\n\n/intern/ is openbaar, zonder persoonsgegevens.", "nl"
    )
    verdict = assess("web_exposure", _facts(first))
    assert verdict.missing_facts == ["paths[0].noindex"]
    known = {**first, "_asked": verdict.missing_facts}
    facts = merge_facts(first, _extract("ja", "nl", known))
    assert assess("web_exposure", _facts(facts)).model_dump()["codes"] == [
        "ROBOTS_BLOCKS_NOINDEX",
        "ROBOTS_REVEALS_PATH",
    ]


def test_questions_cover_every_missing_fact() -> None:
    spec = yaml.safe_load((QUESTIONS / "web_exposure.yaml").read_text(encoding="utf-8"))
    emitted = {
        "paths",
        "robots_txt",
        "paths[].contains_personal_data",
        "paths[].requires_login",
        "paths[].publicly_indexed",
        "paths[].noindex",
    }
    assert emitted <= set(spec["facts"])
    for name in emitted:
        for lang in ("nl", "fr", "en"):
            assert spec["facts"][name][lang]
        for opt in spec["facts"][name].get("options", []):
            value = str(opt["value"]).replace("paths[]", "paths[0]")
            facts = _extract(value, "nl", KNOWN)
            assert facts, value
            WebExposureFacts.model_validate(facts)
    assert "paths" not in spec["safe_defaults"]
    defaults = spec["safe_defaults"]
    flags = {k.split(".", 1)[1]: v for k, v in defaults.items() if k.startswith("paths[].")}
    WebExposureFacts.model_validate(
        {"robots_txt": defaults["robots_txt"], "paths": [{"path": "/x", **flags}]}
    )


def test_what_is_said_before_the_only_path_is_said_about_it() -> None:
    facts = _extract(
        "A spreadsheet with customer names is indexed by Google. It's at /files/customers.xlsx, no login.",
        "en",
    )
    assert facts["paths"] == [
        {
            "path": "/files/customers.xlsx",
            "contains_personal_data": True,
            "publicly_indexed": True,
            "requires_login": False,
        }
    ]
