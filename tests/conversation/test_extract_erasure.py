"""Erasure facts read from owners' messages (nl, fr, en), bare answers and button values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import erasure
from tools.erasure import ErasureFacts
from tools.registry import assess

# Thursday 12 November 2026.
TODAY = dt.date(2026, 11, 12)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions" / "erasure.yaml"


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return erasure.extract(message, lang, TODAY, known or {})


def _facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if not k.startswith("_")}


def _item(item_id: str, item_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": item_id, "type": item_type, **fields}


CASES: list[tuple[str, str, dict[str, Any]]] = [
    # Dutch
    (
        "nl",
        "Gisteren kreeg ik een mail van een klant die wil dat we al zijn gegevens wissen. Hij zit in onze "
        "nieuwsbrief (Mailchimp), heeft een webshopaccount op Shopify en we hebben facturen uit 2021 en "
        "2024. "
        "Ik ken die klant, hij mailde via zijn account. Hij wil geen reclame meer.",
        {
            "subject": "customer",
            "request_date": "2026-11-11",
            "identity_verified": True,
            "also_objects_to_marketing": True,
            "data": [
                _item("newsletter", "newsletter_subscription"),
                _item("webshop", "webshop_account"),
                _item("invoice_2021", "invoice", year=2021),
                _item("invoice_2024", "invoice", year=2024),
            ],
            "recipients": [
                {"id": "mailchimp", "holds": ["newsletter"]},
                {"id": "shopify", "holds": ["webshop"]},
            ],
        },
    ),
    (
        "nl",
        "Op 4/11 vroeg een klant om verwijdering van zijn gegevens.",
        {"subject": "customer", "request_date": "2026-11-04"},
    ),
    (
        "nl",
        "Een ex-werknemer, uit dienst sinds 31 maart 2026, vraagt sinds vandaag om alles te wissen: "
        "personeelsdossier, loonfiches van 2025 en de teamfoto op de website. Het sociaal secretariaat heeft "
        "zijn loongegevens.",
        {
            "subject": "former_employee",
            "request_date": "2026-11-12",
            "employment_end": "2026-03-31",
            "data": [
                _item("personnel_file", "personnel_file"),
                _item("payroll_2025", "payroll_records", year=2025),
                _item("team_photo", "website_team_photo"),
            ],
            "recipients": [{"id": "social_secretariat", "holds": ["payroll_2025"]}],
        },
    ),
    (
        "nl",
        "Een klant met een onbetaalde factuur wil dat we hem uit ons klantenbestand halen. Ik weet niet of "
        "het "
        "echt hem is, het mailadres is onbekend.",
        {
            "subject": "customer",
            "identity_verified": False,
            "data": [
                _item("unpaid_invoice", "correspondence_unpaid_invoice", dispute_open=True),
                _item("crm", "crm_record"),
            ],
        },
    ),
    (
        "nl",
        "Een sollicitant vroeg vorige week maandag om zijn cv te wissen.",
        {"subject": "applicant", "request_date": "2026-11-02", "data": [_item("cv", "recruitment_cv")]},
    ),
    (
        "nl",
        "Iemand vraagt om wissing van de camerabeelden van 1 november, er is niets gebeurd.",
        {"data": [_item("cctv", "cctv_footage", incident=False, recorded="2026-11-01")]},
    ),
    (
        "nl",
        "Klant wil zijn gegevens weg: er waren beelden van een diefstal op de camera, en hij staat in "
        "Teamleader.",
        {
            "subject": "customer",
            "data": [_item("cctv", "cctv_footage", incident=True), _item("crm", "crm_record")],
            "recipients": [{"id": "teamleader", "holds": ["crm"]}],
        },
    ),
    (
        "nl",
        "We hebben hem opgeladen in een Facebook custom audience en hij trekt zijn toestemming in.",
        {
            "consent_withdrawn": True,
            "data": [_item("custom_audience", "custom_audience_upload")],
            "recipients": [{"id": "meta", "holds": ["custom_audience"]}],
        },
    ),
    (
        "nl",
        "Een vaste klant vroeg eergisteren om zijn webwinkel-account en bestelgeschiedenis te verwijderen. "
        "We hebben tientallen verzoeken tegelijk gekregen.",
        {
            "subject": "customer",
            "request_date": "2026-11-10",
            "identity_verified": True,
            "multiple_requests": True,
            "data": [_item("webshop", "webshop_account"), _item("orders", "order_history_without_invoice")],
        },
    ),
    (
        "nl",
        "We hebben niets over die persoon, ze vroeg het vandaag.",
        {"request_date": "2026-11-12", "data": []},
    ),
    (
        "nl",
        "Een klant wil dat we zijn contract en de facturen van vorig jaar wissen; het contract is intussen "
        "afgehandeld.",
        {
            "subject": "customer",
            "data": [
                _item("contract", "contract", dispute_open=False),
                _item("invoice_2025", "invoice", year=2025),
            ],
        },
    ),
    # French
    (
        "fr",
        "Un client m'a écrit hier pour effacer ses données : il est dans notre fichier clients et a une "
        "facture "
        "impayée.",
        {
            "subject": "customer",
            "request_date": "2026-11-11",
            "data": [
                _item("crm", "crm_record"),
                _item("unpaid_invoice", "correspondence_unpaid_invoice", dispute_open=True),
            ],
        },
    ),
    (
        "fr",
        "Une ancienne employée a quitté l'entreprise le 30 juin 2025 et demande l'effacement de son dossier "
        "du "
        "personnel.",
        {
            "subject": "former_employee",
            "employment_end": "2025-06-30",
            "data": [_item("personnel_file", "personnel_file")],
        },
    ),
    (
        "fr",
        "Le 3 novembre, une cliente régulière a demandé via son compte de supprimer son compte client et sa "
        "newsletter Brevo. Elle ne veut plus de publicité.",
        {
            "subject": "customer",
            "request_date": "2026-11-03",
            "identity_verified": True,
            "also_objects_to_marketing": True,
            "data": [_item("webshop", "webshop_account"), _item("newsletter", "newsletter_subscription")],
            "recipients": [{"id": "brevo", "holds": ["newsletter"]}],
        },
    ),
    (
        "fr",
        "Un candidat a demandé aujourd'hui de supprimer sa candidature. Je ne connais pas ce client, c'est "
        "une "
        "adresse inconnue.",
        {
            "subject": "applicant",
            "request_date": "2026-11-12",
            "identity_verified": False,
            "data": [_item("cv", "recruitment_cv")],
        },
    ),
    # English
    (
        "en",
        "A customer asked yesterday to erase everything. I know the customer. We have his newsletter "
        "subscription in Mailchimp and invoices from 2022.",
        {
            "subject": "customer",
            "request_date": "2026-11-11",
            "identity_verified": True,
            "data": [
                _item("newsletter", "newsletter_subscription"),
                _item("invoice_2022", "invoice", year=2022),
            ],
            "recipients": [{"id": "mailchimp", "holds": ["newsletter"]}],
        },
    ),
    (
        "en",
        "On March 3 a former employee asked us to delete her personnel file and payslips; she left on "
        "31 January 2025.",
        {
            "subject": "former_employee",
            "request_date": "2026-03-03",
            "employment_end": "2025-01-31",
            "data": [_item("personnel_file", "personnel_file"), _item("payroll", "payroll_records")],
        },
    ),
    (
        "en",
        "Someone from an unknown email address wants their camera footage deleted, recorded on 5 November. "
        "Nothing happened.",
        {
            "identity_verified": False,
            "data": [_item("cctv", "cctv_footage", incident=False, recorded="2026-11-05")],
        },
    ),
    (
        "en",
        "We received a request today. The data is spread over many systems: CRM, support tickets and orders "
        "in WooCommerce.",
        {
            "request_date": "2026-11-12",
            "complex": True,
            "data": [
                _item("crm", "crm_record"),
                _item("support", "support_history"),
                _item("orders", "order_history_without_invoice"),
            ],
            "recipients": [{"id": "woocommerce", "holds": ["orders"]}],
        },
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES)
def test_message_facts(lang: str, message: str, expected: dict[str, Any]) -> None:
    found = _extract(message, lang)
    assert found == expected
    # What is extracted is valid on its own and lowers (or keeps) what the tool still needs.
    ErasureFacts.model_validate(found)
    assert len(assess("erasure", found).missing_facts) <= len(assess("erasure", {}).missing_facts)


def test_language_counts() -> None:
    langs = [lang for lang, _m, _e in CASES]
    assert langs.count("nl") >= 10 and langs.count("fr") >= 4 and langs.count("en") >= 4


def test_note_example_decides_in_one_message() -> None:
    found = _extract(CASES[0][1], "nl")
    verdict = assess("erasure", {**found, "today": TODAY.isoformat()})
    assert verdict.outcome == "decided"
    assert verdict.model_dump()["erase"] == ["newsletter", "webshop"]
    assert verdict.model_dump()["notify_recipients"] == ["mailchimp", "shopify"]


def test_today_is_never_extracted() -> None:
    assert "today" not in _extract("Vandaag vroeg een klant om wissing van zijn nieuwsbrief.", "nl")


KNOWN: dict[str, Any] = {
    "request_date": "2026-11-10",
    "identity_verified": True,
    "data": [
        _item("invoice", "invoice"),
        _item("cctv", "cctv_footage"),
        _item("unpaid_invoice", "correspondence_unpaid_invoice"),
        _item("personnel_file", "personnel_file"),
        _item("newsletter", "newsletter_subscription"),
    ],
    "recipients": [{"id": "accounting_software", "holds": ["invoice"]}],
}


def _answer(
    asked: list[str], message: str, lang: str = "nl", known: dict[str, Any] | None = None
) -> dict[str, Any]:
    base = KNOWN if known is None else known
    return _extract(message, lang, {**base, "_asked": asked})


def _item_of(found: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in found["data"] if i["id"] == item_id)


def test_bare_year_goes_to_the_asked_item() -> None:
    found = _answer(["data[invoice].year"], "2021")
    assert _item_of(found, "invoice") == _item("invoice", "invoice", year=2021)
    assert "recipients" not in found


def test_several_years_split_the_item_and_its_holders() -> None:
    found = _answer(["data[invoice].year"], "2021 en 2024")
    ids = [i["id"] for i in found["data"]]
    assert "invoice" not in ids and {"invoice_2021", "invoice_2024"} <= set(ids)
    assert found["recipients"] == [{"id": "accounting_software", "holds": ["invoice_2021", "invoice_2024"]}]
    ErasureFacts.model_validate(merge_facts(KNOWN, found))


def test_payroll_year_in_french() -> None:
    known = {**KNOWN, "data": [_item("payroll", "payroll_records")]}
    found = _answer(["data[payroll].year"], "la dernière année est 2024", "fr", known)
    assert found["data"] == [_item("payroll", "payroll_records", year=2024)]


@pytest.mark.parametrize(
    ("message", "lang", "incident", "recorded"),
    [
        ("nee, de beelden zijn van 3 november", "nl", False, "2026-11-03"),
        ("ja, er was een diefstal", "nl", True, None),
        ("non, rien à signaler; enregistrées le 2 novembre", "fr", False, "2026-11-02"),
        ("yes, a break-in", "en", True, None),
    ],
)
def test_cctv_answers(message: str, lang: str, incident: bool, recorded: str | None) -> None:
    found = _answer(["data[cctv].incident", "data[cctv].recorded"], message, lang)
    item = _item_of(found, "cctv")
    assert item.get("incident") is incident
    assert item.get("recorded") == recorded


@pytest.mark.parametrize(
    ("message", "lang", "expected"),
    [
        ("ja", "nl", True),
        ("die is nog altijd niet betaald", "nl", True),
        ("die is intussen betaald", "nl", False),
        ("oui, toujours impayée", "fr", True),
        ("no, it was settled", "en", False),
    ],
)
def test_dispute_answers(message: str, lang: str, expected: bool) -> None:
    found = _answer(["data[unpaid_invoice].dispute_open"], message, lang)
    assert _item_of(found, "unpaid_invoice")["dispute_open"] is expected


@pytest.mark.parametrize(
    ("asked", "message", "lang", "expected"),
    [
        (["employment_end"], "eind maart 2025", "nl", {"employment_end": "2025-03-31"}),
        (["employment_end"], "30/6/2024", "nl", {"employment_end": "2024-06-30"}),
        (["employment_end"], "le 15 septembre 2025", "fr", {"employment_end": "2025-09-15"}),
        (["also_objects_to_marketing"], "ja", "nl", {"also_objects_to_marketing": True}),
        (["also_objects_to_marketing"], "nee, enkel wissen", "nl", {"also_objects_to_marketing": False}),
        (["also_objects_to_marketing"], "non", "fr", {"also_objects_to_marketing": False}),
        (["identity_verified"], "jawel", "nl", {"identity_verified": True}),
        (["identity_verified"], "I'm not sure it is really her", "en", {"identity_verified": False}),
        (["request_date"], "gisteren", "nl", {"request_date": "2026-11-11"}),
        (["request_date"], "le 3 novembre", "fr", {"request_date": "2026-11-03"}),
        (["request_date"], "November 2", "en", {"request_date": "2026-11-02"}),
    ],
)
def test_bare_answers(asked: list[str], message: str, lang: str, expected: dict[str, Any]) -> None:
    assert _answer(asked, message, lang) == expected


def test_several_answers_at_once() -> None:
    found = _extract(
        "vandaag, ja, nieuwsbrief en facturen van 2023",
        "nl",
        {"_asked": ["request_date", "identity_verified", "data"]},
    )
    assert found == {
        "request_date": "2026-11-12",
        "identity_verified": True,
        "data": [_item("newsletter", "newsletter_subscription"), _item("invoice_2023", "invoice", year=2023)],
    }


@pytest.mark.parametrize(
    ("message", "lang"), [("ik weet het niet", "nl"), ("je ne sais pas", "fr"), ("no idea", "en")]
)
def test_dont_know_is_not_a_value(message: str, lang: str) -> None:
    assert _extract(message, lang, {"_asked": ["request_date", "identity_verified", "data"]}) == {}
    assert _answer(["also_objects_to_marketing", "data[cctv].incident"], message, lang) == {}


@pytest.mark.parametrize(("message", "lang"), [("niets", "nl"), ("rien", "fr"), ("nothing", "en")])
def test_nothing_held(message: str, lang: str) -> None:
    assert _extract(message, lang, {"_asked": ["data"]}) == {"data": []}


def test_later_items_are_added_to_known_ones() -> None:
    found = _answer(["data"], "o ja, en hij heeft ook een factuur van 2022 en zit in Mailchimp")
    ids = [i["id"] for i in found["data"]]
    assert ids == ["invoice", "cctv", "unpaid_invoice", "personnel_file", "newsletter"]
    # The undated invoice is the one of 2022 (its id stays); Mailchimp holds the newsletter.
    assert _item_of(found, "invoice")["year"] == 2022
    assert {"id": "mailchimp", "holds": ["newsletter"]} in found["recipients"]


def test_bare_yes_is_ambiguous_when_several_yes_no_facts_are_asked() -> None:
    assert _answer(["also_objects_to_marketing", "data[cctv].incident"], "ja") == {}
    found = _answer(["also_objects_to_marketing", "data[cctv].incident"], "ja, en er was een inbraak")
    assert _item_of(found, "cctv")["incident"] is True and "also_objects_to_marketing" not in found


def test_item_button_value() -> None:
    found = _answer(["data[cctv].incident"], "data[cctv].incident:true")
    assert _item_of(found, "cctv")["incident"] is True
    assert _answer([], "identity_verified:false") == {"identity_verified": False}


def test_answers_reduce_missing_facts_until_decided() -> None:
    facts: dict[str, Any] = {"today": TODAY.isoformat()}
    turns = [
        ("Een klant vroeg gisteren om wissing van zijn gegevens.", "nl"),
        ("ja, nieuwsbrief, camerabeelden en facturen", "nl"),
        (
            "Hij wil geen reclame meer. De facturen zijn van 2024. Geen incident, opgenomen op 8 november.",
            "nl",
        ),
    ]
    for message, lang in turns:
        asked = assess("erasure", facts).missing_facts
        new = erasure.extract(message, lang, TODAY, {**facts, "_asked": asked})
        facts = merge_facts(facts, new)
        ErasureFacts.model_validate(_facts(facts))
        # Every turn answers something that was asked and asks it no more.
        assert set(asked) - set(assess("erasure", facts).missing_facts)
    assert assess("erasure", facts).outcome == "decided"


def test_every_missing_fact_has_a_question() -> None:
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    facts = questions["facts"]
    emitted = {"request_date", "identity_verified", "data", "employment_end", "also_objects_to_marketing"}
    emitted |= {"data[].year", "data[].incident", "data[].recorded", "data[].dispute_open"}
    for name in emitted:
        assert name in facts, name
        assert all(facts[name].get(lang) for lang in ("nl", "fr", "en")), name
    for name, default in questions["safe_defaults"].items():
        pattern = name.replace("[]", "[x]")
        if "[" in name:
            ErasureFacts.model_validate(
                {"data": [{"id": "x", "type": "cctv_footage", pattern.split(".")[1]: default}]}
            )
        else:
            ErasureFacts.model_validate({name: default})


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Hij wil zijn webshopaccount laten wissen. Facturen heeft hij niet bij ons.", "nl"),
        ("Il veut supprimer son compte webshop, il n'a pas de factures chez nous.", "fr"),
        ("He wants his webshop account erased; there are no invoices for him.", "en"),
    ],
)
def test_data_the_business_does_not_hold_is_not_listed(message: str, lang: str) -> None:
    types = [item["type"] for item in _extract(message, lang)["data"]]
    assert types == ["webshop_account"]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("nl", "We weten niet of hij het wel echt is."),
        ("fr", "Nous ne savons pas si c'est vraiment lui."),
        ("en", "We can't tell whether it's really him."),
    ],
)
def test_assurance_after_a_doubt_is_doubted(lang: str, message: str) -> None:
    assert _extract(message, lang)["identity_verified"] is False


def test_doubt_denied_is_an_assurance() -> None:
    assert _extract("Aan zijn identiteit twijfelen we niet.", "nl")["identity_verified"] is True


def test_year_before_the_item_in_its_sentence() -> None:
    facts = _extract(
        "Ze vroeg om haar account te wissen. Ze heeft in 2024 besteld, daar zijn facturen van.", "nl"
    )
    assert {"id": "invoice_2024", "type": "invoice", "year": 2024} in facts["data"]
