"""Photos facts read from owners' messages (nl, fr, en), bare answers and button values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import photos
from tools.photos import PhotosFacts
from tools.registry import assess

TODAY = dt.date(2026, 12, 1)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions" / "photos.yaml"


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return photos.extract(message, lang, TODAY, known or {})


def _facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if not k.startswith("_")}


CASES: list[tuple[str, str, dict[str, Any]]] = [
    # Dutch
    (
        "nl",
        "We maken sfeerfoto's van de zaal op ons personeelsfeest voor Facebook. Het stond in de uitnodiging"
        " en wie niet op de foto wil, krijgt een rood polsbandje.",
        {
            "setting": "ambient_crowd",
            "subjects": ["employees"],
            "channel": "public_social_media",
            "origin": "event",
            "prior_notice": True,
            "opt_out_offered": True,
        },
    ),
    (
        "nl",
        "Ik wil een portret van elke medewerker op onze website.",
        {
            "setting": "targeted_portrait",
            "subjects": ["employees"],
            "channel": "website",
            "identifiable": True,
        },
    ),
    (
        "nl",
        "Een groepsfoto van het team voor ons intranet.",
        {"setting": "posed_group", "subjects": ["employees"], "channel": "intranet", "identifiable": True},
    ),
    (
        "nl",
        "Mag ik een klasfoto van de kinderen op Instagram zetten?",
        {
            "setting": "posed_group",
            "subjects": ["children"],
            "channel": "public_social_media",
            "identifiable": True,
        },
    ),
    (
        "nl",
        "Een ex-werknemer vraagt om zijn foto van de vacaturepagina te verwijderen.",
        {"subjects": ["former_employee"], "channel": "website_recruitment_page", "removal_requested": True},
    ),
    (
        "nl",
        "Ik wil een beeld van de bewakingscamera van een winkeldief op Facebook zetten.",
        {"subjects": ["public"], "channel": "public_social_media", "origin": "cctv_still"},
    ),
    (
        "nl",
        "Foto's van onze patiënten in de kinepraktijk voor de folder,"
        " ze hebben een toestemmingsformulier getekend.",
        {"subjects": ["patients"], "channel": "print_brochure", "consent_obtained": True},
    ),
    (
        "nl",
        "Op de opening van de winkel namen we foto's van klanten en leveranciers, niet aangekondigd.",
        {"subjects": ["clients", "suppliers"], "origin": "event", "prior_notice": False},
    ),
    (
        "nl",
        "De mensen zijn niet herkenbaar, ze staan op de rug.",
        {"identifiable": False},
    ),
    (
        "nl",
        "Een medewerker wil niet op de groepsfoto voor de website.",
        {
            "setting": "posed_group",
            "subjects": ["employees"],
            "channel": "website",
            "identifiable": True,
            "employee_refused": True,
        },
    ),
    (
        "nl",
        "Een gast droeg een rood polsbandje maar staat toch op een sfeerfoto op onze website.",
        {
            "setting": "ambient_crowd",
            "subjects": ["clients"],
            "channel": "website",
            "opt_out_offered": True,
            "subject_used_opt_out": True,
        },
    ),
    (
        "nl",
        "Badgefoto's van het personeel voor de toegangsbadge, iedereen werd vooraf verwittigd.",
        {
            "setting": "targeted_portrait",
            "subjects": ["employees"],
            "channel": "internal_access_badge",
            "identifiable": True,
            "prior_notice": True,
        },
    ),
    (
        "nl",
        "We hebben nog geen toestemming gevraagd aan de klant voor zijn foto in de brochure.",
        {"subjects": ["clients"], "channel": "print_brochure", "consent_obtained": False},
    ),
    # French
    (
        "fr",
        "Des photos d'ambiance de la soirée clients pour notre site, annoncées dans l'invitation,"
        " sans bracelets.",
        {
            "setting": "ambient_crowd",
            "subjects": ["clients"],
            "channel": "website",
            "origin": "event",
            "prior_notice": True,
            "opt_out_offered": False,
        },
    ),
    (
        "fr",
        "Je voudrais publier la photo d'un ancien employé sur la page recrutement.",
        {"subjects": ["former_employee"], "channel": "website_recruitment_page"},
    ),
    (
        "fr",
        "Une photo de groupe des enfants du stage pour Facebook, les parents ont donné leur accord.",
        {
            "setting": "posed_group",
            "subjects": ["children"],
            "channel": "public_social_media",
            "identifiable": True,
            "consent_obtained": True,
        },
    ),
    (
        "fr",
        "Les personnes sont de dos, floutées, on ne les reconnaît pas.",
        {"identifiable": False},
    ),
    (
        "fr",
        "Une image de la caméra de surveillance d'un voleur sur les réseaux sociaux.",
        {"subjects": ["public"], "channel": "public_social_media", "origin": "cctv_still"},
    ),
    # English
    (
        "en",
        "Atmosphere shots of the crowd at our staff party for LinkedIn; it was in the invitation and people"
        " could wear a wristband.",
        {
            "setting": "ambient_crowd",
            "subjects": ["employees"],
            "channel": "public_social_media",
            "origin": "event",
            "prior_notice": True,
            "opt_out_offered": True,
        },
    ),
    (
        "en",
        "A portrait of a customer for our brochure; she signed a consent form.",
        {
            "setting": "targeted_portrait",
            "subjects": ["clients"],
            "channel": "print_brochure",
            "identifiable": True,
            "consent_obtained": True,
        },
    ),
    (
        "en",
        "Photos of our patients in the waiting room for the website, no consent yet.",
        {"subjects": ["patients"], "channel": "website", "consent_obtained": False},
    ),
    (
        "en",
        "A former employee asked us to remove his photo from Instagram.",
        {"subjects": ["former_employee"], "channel": "public_social_media", "removal_requested": True},
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES, ids=[c[1][:48] for c in CASES])
def test_reads_the_stated_facts(lang: str, message: str, expected: dict[str, Any]) -> None:
    assert _extract(message, lang) == expected


@pytest.mark.parametrize(("lang", "message", "expected"), CASES, ids=[c[1][:48] for c in CASES])
def test_extracted_facts_validate_and_narrow_the_questions(
    lang: str, message: str, expected: dict[str, Any]
) -> None:
    known = {"identifiable": True}
    merged = _facts(merge_facts(known, _extract(message, lang, known)))
    PhotosFacts.model_validate(merged)
    before = assess("photos", known)
    after = assess("photos", merged)
    assert not set(after.missing_facts) & (set(merged) - set(known))
    assert after.outcome == "decided" or len(after.missing_facts) <= len(before.missing_facts)
    if {"setting", "subjects"} <= set(merged) or "origin" in merged or merged.get("identifiable") is False:
        assert after.missing_facts != before.missing_facts


def test_languages_have_enough_cases() -> None:
    counts = {lang: sum(1 for c in CASES if c[0] == lang) for lang in ("nl", "fr", "en")}
    assert counts["nl"] >= 10 and counts["fr"] >= 4 and counts["en"] >= 4


def test_the_setting_that_needs_most_wins() -> None:
    facts = _extract("Sfeerfoto's van de zaal en daarna een groepsfoto van het team.", "nl")
    assert facts["setting"] == "posed_group"


def test_the_most_public_channel_wins() -> None:
    facts = _extract("De teamfoto komt op het intranet en op Facebook.", "nl")
    assert facts["channel"] == "public_social_media"


def test_a_former_employee_is_not_also_an_employee() -> None:
    assert _extract("foto van een oud-medewerker", "nl")["subjects"] == ["former_employee"]


def test_a_question_states_no_consent_or_notice() -> None:
    facts = _extract("Moet ik toestemming vragen voor een teamfoto op de website?", "nl")
    assert "consent_obtained" not in facts
    facts = _extract("Dois-je l'annoncer dans l'invitation ?", "fr")
    assert "prior_notice" not in facts


# --- answers to the questions asked ----------------------------------------------------------


def test_bare_yes_answers_the_one_question_asked() -> None:
    assert _extract("ja", "nl", {"_asked": ["consent_obtained"]}) == {"consent_obtained": True}
    assert _extract("Non", "fr", {"_asked": ["identifiable"]}) == {"identifiable": False}
    assert _extract("yes, all of them", "en", {"_asked": ["prior_notice"]}) == {"prior_notice": True}


def test_yes_no_answers_in_order_and_both() -> None:
    asked = {"_asked": ["prior_notice", "opt_out_offered"]}
    assert _extract("ja, nee", "nl", asked) == {"prior_notice": True, "opt_out_offered": False}
    assert _extract("allebei", "nl", asked) == {"prior_notice": True, "opt_out_offered": True}
    assert _extract("geen van beide", "nl", asked) == {"prior_notice": False, "opt_out_offered": False}
    assert _extract("ja", "nl", asked) == {}


def test_choice_answers_by_words() -> None:
    assert _extract("op onze website", "nl", {"_asked": ["channel"]}) == {"channel": "website"}
    assert _extract("klanten en personeel", "nl", {"_asked": ["subjects"]}) == {
        "subjects": ["clients", "employees"]
    }
    assert _extract("sfeerbeelden", "nl", {"_asked": ["setting"]}) == {"setting": "ambient_crowd"}


def test_dont_know_is_not_a_value() -> None:
    assert _extract("weet ik niet", "nl", {"_asked": ["consent_obtained"]}) == {}
    assert _extract("don't know", "nl", {"_asked": ["prior_notice", "opt_out_offered"]}) == {}


def test_button_values() -> None:
    assert _extract("setting:ambient_crowd", "nl") == {"setting": "ambient_crowd"}
    assert _extract("subjects:children", "nl") == {"subjects": ["children"]}
    assert _extract("consent_obtained:false", "nl") == {"consent_obtained": False}


def test_walkthrough_reaches_a_verdict() -> None:
    facts = _facts(_extract("Sfeerfoto's van onze klantendag voor de website.", "nl"))
    verdict = assess("photos", facts)
    assert verdict.missing_facts == ["identifiable"]
    facts = _facts(merge_facts(facts, _extract("ja", "nl", {**facts, "_asked": ["identifiable"]})))
    verdict = assess("photos", facts)
    assert verdict.missing_facts == ["prior_notice", "opt_out_offered"]
    answer = _extract(
        "Ja, het stond in de uitnodiging, en nee, geen polsbandjes.",
        "nl",
        {**facts, "_asked": verdict.missing_facts},
    )
    final = assess("photos", _facts(merge_facts(facts, answer)))
    assert final.outcome == "decided" and final.allowed == "with_notice_and_optout"  # type: ignore[attr-defined]


# --- question file ---------------------------------------------------------------------------


def test_every_missing_fact_has_a_question_and_a_safe_default() -> None:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    emitted = [
        "identifiable",
        "setting",
        "subjects",
        "channel",
        "prior_notice",
        "opt_out_offered",
        "consent_obtained",
    ]
    for name in emitted:
        entry = data["facts"][name]
        assert all(entry[lang] for lang in ("nl", "fr", "en"))
        assert all(entry["help"][lang] for lang in ("nl", "fr", "en"))
        assert name in data["safe_defaults"]
    PhotosFacts.model_validate(data["safe_defaults"])
    assert assess("photos", data["safe_defaults"]).outcome == "decided"
    for entry in data["facts"].values():
        for opt in entry.get("options", []):
            assert {"value", "nl", "fr", "en"} <= set(opt)
            if opt["value"] != "don't know":
                assert photos.extract(opt["value"], "nl", TODAY, {}), opt["value"]


@pytest.mark.parametrize(
    ("lang", "message", "value"),
    [
        ("nl", "Ze heeft daar schriftelijk uitdrukkelijk toestemming voor gegeven.", True),
        ("fr", "Elle a donné son consentement exprès par écrit.", True),
        ("en", "She has given her explicit consent in writing.", True),
        ("nl", "Niemand heeft toestemming gegeven.", False),
    ],
)
def test_consent_words_in_any_order_within_a_clause(lang: str, message: str, value: bool) -> None:
    assert _extract(message, lang)["consent_obtained"] is value


def test_consent_pair_in_a_question_states_nothing() -> None:
    assert "consent_obtained" not in _extract("Moet ik toestemming laten geven door de ouders?", "nl")


def test_stem_inside_a_phrase() -> None:
    # "ceux qui ne voul* pas": any tense of vouloir, and the "pas" is part of the phrase.
    facts = _extract("Ceux qui ne voulaient pas être photographiés pouvaient le signaler.", "fr")
    assert facts["opt_out_offered"] is True


def test_nobody_recognisable_denies_identifiable() -> None:
    assert _extract("Je kan er niemand echt op herkennen.", "nl")["identifiable"] is False
    assert _extract("You can't really make out anyone in them.", "en")["identifiable"] is False
