"""Cookie-banner facts read from owners' descriptions (nl, fr, en), one-question-at-a-time
answers, button values and the question file (yes / no / don't know buttons and help texts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.extract import merge_facts
from assistant.extractors import cookie_banner
from tools.cookie_banner import CHECK_FACTS, CookieBannerFacts
from tools.registry import assess

TODAY = dt.date(2026, 12, 1)
QUESTIONS = Path(__file__).resolve().parents[2] / "assistant" / "questions" / "cookie_banner.yaml"
ALL_FACTS = ["uses_non_essential_cookies", *CHECK_FACTS]


def _extract(message: str, lang: str, known: dict[str, Any] | None = None) -> dict[str, Any]:
    return cookie_banner.extract(message, lang, TODAY, known or {})


def _facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if not k.startswith("_")}


CASES: list[tuple[str, str, dict[str, Any]]] = [
    # Dutch
    (
        "nl",
        "We gebruiken Google Analytics en de Meta-pixel. Analytics laadt al voor je klikt.",
        {"uses_non_essential_cookies": True, "cookies_before_consent": ["analytics"]},
    ),
    (
        "nl",
        "Onze banner heeft enkel accepteren en instellingen; accepteren is groen en groot, weigeren grijs.",
        {"reject_button_first_layer": False, "reject_as_link_only": False, "deceptive_design": True},
    ),
    (
        "nl",
        "Er is een knop alles weigeren naast alles accepteren, en ze hebben dezelfde kleur.",
        {"reject_button_first_layer": True, "reject_as_link_only": False, "deceptive_design": False},
    ),
    (
        "nl",
        "Weigeren staat als klein linkje onder de tekst.",
        {"reject_as_link_only": True, "reject_button_first_layer": False},
    ),
    (
        "nl",
        "We hebben enkel een winkelmandje, geen tracking.",
        {"uses_non_essential_cookies": False},
    ),
    (
        "nl",
        "Er is een cookie-icoontje onderaan om je keuze aan te passen en de vakjes zijn niet aangevinkt.",
        {"withdrawal_mechanism": True, "pre_ticked_boxes": False},
    ),
    (
        "nl",
        "In de instellingen staan de schuifjes voor marketing standaard aan.",
        {"pre_ticked_boxes": True},
    ),
    (
        "nl",
        "Hotjar en de YouTube-video's laden pas na toestemming.",
        {"uses_non_essential_cookies": True, "cookies_before_consent": []},
    ),
    (
        "nl",
        "De banner zegt dat sommige partners werken op basis van gerechtvaardigd belang.",
        {"legitimate_interest_claims": True},
    ),
    (
        "nl",
        "Je kan de site niet gebruiken zonder te accepteren, en door verder te surfen ga je akkoord.",
        {"cookie_wall": True, "consent_by_scrolling": True},
    ),
    (
        "nl",
        "Google Analytics staat bij de noodzakelijke cookies en laadt ook na weigeren.",
        {
            "uses_non_essential_cookies": True,
            "non_essential_labelled_essential": True,
            "trackers_fire_after_reject": True,
        },
    ),
    (
        "nl",
        "Het kruisje telt als akkoord. Er is geen lijst van partners en geen uitleg per categorie.",
        {"close_button_counts_as_consent": True, "vendors_listed": False, "purposes_listed": False},
    ),
    (
        "nl",
        "Scrollen telt niet als toestemming en er is geen cookiewall.",
        {"consent_by_scrolling": False, "cookie_wall": False},
    ),
    (
        "nl",
        "We hebben geen Google Analytics of Hotjar meer, alleen noodzakelijke cookies.",
        {"uses_non_essential_cookies": False},
    ),
    # French
    (
        "fr",
        "Nous utilisons Hotjar et des vidéos YouTube ; le bouton tout refuser est présent et rien ne se"
        " charge avant le consentement.",
        {
            "uses_non_essential_cookies": True,
            "reject_button_first_layer": True,
            "reject_as_link_only": False,
            "cookies_before_consent": [],
        },
    ),
    (
        "fr",
        "Le bandeau propose seulement accepter et paramétrer, accepter est en vert et refuser en gris.",
        {"reject_button_first_layer": False, "reject_as_link_only": False, "deceptive_design": True},
    ),
    (
        "fr",
        "Le pixel Meta est déjà chargé avant que le visiteur ne choisisse.",
        {"uses_non_essential_cookies": True, "cookies_before_consent": ["marketing"]},
    ),
    (
        "fr",
        "Les cases sont pré-cochées et en poursuivant la navigation on accepte.",
        {"pre_ticked_boxes": True, "consent_by_scrolling": True},
    ),
    (
        "fr",
        "Uniquement des cookies nécessaires, juste un panier.",
        {"uses_non_essential_cookies": False},
    ),
    # English
    (
        "en",
        "We have a cookie wall: visitors must accept to read the articles. Scrolling counts as consent.",
        {"cookie_wall": True, "consent_by_scrolling": True},
    ),
    (
        "en",
        "The banner claims legitimate interest for analytics, and trackers still fire after reject.",
        {
            "uses_non_essential_cookies": True,
            "legitimate_interest_claims": True,
            "trackers_fire_after_reject": True,
        },
    ),
    (
        "en",
        "Only strictly necessary cookies, just a shopping cart.",
        {"uses_non_essential_cookies": False},
    ),
    (
        "en",
        "Google Analytics loads before consent; there is a floating cookie icon to change their choice.",
        {
            "uses_non_essential_cookies": True,
            "cookies_before_consent": ["analytics"],
            "withdrawal_mechanism": True,
        },
    ),
    (
        "en",
        "There's no reject all button, only accept and settings, and the boxes are pre-ticked.",
        {"reject_button_first_layer": False, "reject_as_link_only": False, "pre_ticked_boxes": True},
    ),
]


@pytest.mark.parametrize(("lang", "message", "expected"), CASES, ids=[c[1][:48] for c in CASES])
def test_reads_the_stated_facts(lang: str, message: str, expected: dict[str, Any]) -> None:
    assert _extract(message, lang) == expected


@pytest.mark.parametrize(("lang", "message", "expected"), CASES, ids=[c[1][:48] for c in CASES])
def test_extracted_facts_validate_and_narrow_the_questions(
    lang: str, message: str, expected: dict[str, Any]
) -> None:
    known = {"uses_non_essential_cookies": True}
    merged = _facts(merge_facts(known, _extract(message, lang, known)))
    CookieBannerFacts.model_validate(merged)
    before = assess("cookie_banner", known)
    after = assess("cookie_banner", merged)
    assert not set(after.missing_facts) & set(merged)
    assert after.outcome == "decided" or len(after.missing_facts) < len(before.missing_facts)


def test_languages_have_enough_cases() -> None:
    counts = {lang: sum(1 for c in CASES if c[0] == lang) for lang in ("nl", "fr", "en")}
    assert counts["nl"] >= 10 and counts["fr"] >= 4 and counts["en"] >= 4


def test_a_tracker_beats_only_necessary_cookies() -> None:
    facts = _extract("Enkel noodzakelijke cookies, plus Google Analytics voor de statistieken.", "nl")
    assert facts["uses_non_essential_cookies"] is True


def test_a_negation_covers_a_list_of_trackers_but_not_the_next_clause() -> None:
    assert _extract("We gebruiken geen Google Analytics, Hotjar of Meta-pixel.", "nl") == {}
    assert _extract("Geen Google Analytics, wel Hotjar.", "nl") == {"uses_non_essential_cookies": True}
    facts = _extract("There is a reject button but it does nothing, Google Analytics loads anyway.", "en")
    assert facts["reject_button_first_layer"] is True
    assert facts["trackers_fire_after_reject"] is True
    assert facts["uses_non_essential_cookies"] is True


def test_a_link_beats_a_mentioned_reject_button() -> None:
    facts = _extract("Er is een knop alles weigeren, maar weigeren staat als klein linkje onderaan.", "nl")
    assert facts == {"reject_button_first_layer": False, "reject_as_link_only": True}


def test_a_question_states_no_banner_fact() -> None:
    assert _extract("Moet er een knop alles weigeren op mijn banner staan?", "nl") == {}
    assert _extract("Mag ik Google Analytics laden voor de toestemming?", "nl") == {
        "uses_non_essential_cookies": True
    }


def test_categories_in_the_timing_sentence_only() -> None:
    facts = _extract(
        "We hebben YouTube-video's en Google Analytics. Analytics laadt meteen bij het laden.", "nl"
    )
    assert facts["cookies_before_consent"] == ["analytics"]


def test_trackers_without_a_banner_are_decided_at_once() -> None:
    facts = _extract("Mon site utilise Google Analytics sans bandeau.", "fr")
    assert facts["uses_non_essential_cookies"] is True
    assert facts["cookies_before_consent"] == ["analytics"]
    assert facts["reject_button_first_layer"] is False and facts["withdrawal_mechanism"] is False
    verdict = assess("cookie_banner", facts)
    assert verdict.outcome == "decided"
    assert {"COOKIES_BEFORE_CONSENT", "NO_REJECT_FIRST_LAYER", "NO_EASY_WITHDRAWAL"} <= set(
        verdict.violations  # type: ignore[attr-defined]
    )


def test_no_banner_and_no_trackers_is_compliant() -> None:
    facts = _extract("Geen cookiebanner, we hebben enkel een winkelmandje.", "nl")
    assert facts["uses_non_essential_cookies"] is False
    assert assess("cookie_banner", facts).compliant is True  # type: ignore[attr-defined]


def test_ok_button_only() -> None:
    facts = _extract("De banner toont enkel een OK-knop.", "nl")
    assert facts == {"reject_button_first_layer": False, "reject_as_link_only": False}


# --- one question at a time (the web chat) ---------------------------------------------------


@pytest.mark.parametrize("fact", ALL_FACTS)
def test_each_question_answered_yes_or_no(fact: str) -> None:
    yes = _extract("ja", "nl", {"_asked": [fact]})
    no = _extract("Nee", "nl", {"_asked": [fact]})
    if fact == "cookies_before_consent":
        assert yes == {}  # yes, but which? the buttons name the categories
        assert no == {fact: []}
    else:
        assert yes[fact] is True and no[fact] is False
    for facts in (yes, no):
        CookieBannerFacts.model_validate(_facts(facts))


def test_answers_in_french_and_english() -> None:
    assert _extract("oui", "fr", {"_asked": ["cookie_wall"]}) == {"cookie_wall": True}
    assert _extract("Non, pas du tout", "fr", {"_asked": ["pre_ticked_boxes"]}) == {"pre_ticked_boxes": False}
    assert _extract("yes", "en", {"_asked": ["purposes_listed"]}) == {"purposes_listed": True}
    assert _extract("nope", "en", {"_asked": ["vendors_listed"]}) == {"vendors_listed": False}


def test_yes_with_the_category() -> None:
    facts = _extract(
        "ja, Google Analytics en de Facebook-pixel", "nl", {"_asked": ["cookies_before_consent"]}
    )
    assert facts["cookies_before_consent"] == ["analytics", "marketing"]


def test_yes_to_link_only_settles_the_button() -> None:
    facts = _extract("ja", "nl", {"_asked": ["reject_as_link_only"]})
    assert facts == {"reject_as_link_only": True, "reject_button_first_layer": False}


def test_dont_know_is_not_a_value() -> None:
    assert _extract("weet ik niet", "nl", {"_asked": ["cookie_wall"]}) == {}
    assert _extract("don't know", "fr", {"_asked": ["cookies_before_consent"]}) == {}


def test_button_values() -> None:
    assert _extract("cookies_before_consent:[]", "nl") == {"cookies_before_consent": []}
    assert _extract("cookies_before_consent:analytics", "nl") == {"cookies_before_consent": ["analytics"]}
    assert _extract("cookie_wall:false", "nl") == {"cookie_wall": False}


def test_walkthrough_one_question_at_a_time() -> None:
    facts = _facts(_extract("We hebben Google Analytics en een cookiebanner.", "nl"))
    verdict = assess("cookie_banner", facts)
    answers = {
        "reject_button_first_layer": "ja",
        "pre_ticked_boxes": "nee",
        "cookies_before_consent": "nee",
        "deceptive_design": "nee",
        "withdrawal_mechanism": "ja",
        "legitimate_interest_claims": "nee",
        "purposes_listed": "ja",
        "vendors_listed": "ja",
        "cookie_wall": "nee",
        "consent_by_scrolling": "nee",
        "close_button_counts_as_consent": "nee",
        "non_essential_labelled_essential": "nee",
        "trackers_fire_after_reject": "nee",
    }
    rounds = 0
    while verdict.outcome != "decided":
        asked = verdict.missing_facts[:1]
        new = _extract(answers[asked[0]], "nl", {**facts, "_asked": asked})
        facts = _facts(merge_facts(facts, new))
        verdict = assess("cookie_banner", facts)
        rounds += 1
        assert rounds <= len(answers)
    assert verdict.compliant is True  # type: ignore[attr-defined]


# --- question file ---------------------------------------------------------------------------


def test_every_fact_has_a_question_help_and_yes_no_dont_know_buttons() -> None:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    for name in ALL_FACTS:
        entry = data["facts"][name]
        assert all(entry[lang] and entry["help"][lang] for lang in ("nl", "fr", "en")), name
        values = [opt["value"] for opt in entry["options"]]
        assert "don't know" in values, name
        if name != "cookies_before_consent":
            assert f"{name}:true" in values and f"{name}:false" in values, name
        for opt in entry["options"]:
            assert all(opt[lang] for lang in ("nl", "fr", "en"))
            if opt["value"] != "don't know":
                assert cookie_banner.extract(opt["value"], "nl", TODAY, {}), opt["value"]
        assert name in data["safe_defaults"], name
    CookieBannerFacts.model_validate(data["safe_defaults"])
    verdict = assess("cookie_banner", data["safe_defaults"])
    assert verdict.outcome == "decided" and verdict.compliant is False  # type: ignore[attr-defined]
