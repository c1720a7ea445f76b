"""The photo notice: purpose, channel, basis, opt-out and removal, or an internal note when it cannot help."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from snapshots_helper import assert_snapshot

from knowledge.citations import load_registry
from tools.drafting.artefacts import render
from tools.drafting.base import format_date
from tools.drafting.document import to_docx

TODAY = dt.date(2026, 11, 28)
LANGS = ("nl", "fr", "en")
WORDING = Path(__file__).parents[2] / "tools" / "drafting" / "wording" / "photo_notice.yaml"
# The case table's staff party: crowd shots for social media, not yet announced.
PARTY: dict[str, Any] = {
    "identifiable": True,
    "setting": "ambient_crowd",
    "subjects": ["employees", "clients"],
    "channel": "public_social_media",
    "prior_notice": False,
    "opt_out_offered": False,
}
OPTED_OUT: dict[str, Any] = {
    "identifiable": True,
    "setting": "ambient_crowd",
    "subjects": ["clients"],
    "channel": "website",
    "prior_notice": True,
    "opt_out_offered": True,
    "subject_used_opt_out": True,
}
SHOP: dict[str, Any] = {
    "identifiable": True,
    "setting": "ambient_crowd",
    "subjects": ["public"],
    "channel": "public_social_media",
    "origin": "other",
    "prior_notice": False,
}
CHILDREN: dict[str, Any] = {
    "identifiable": True,
    "setting": "small_group",
    "subjects": ["children"],
    "channel": "website",
    "consent_obtained": False,
}
BADGE: dict[str, Any] = {
    "identifiable": True,
    "setting": "targeted_portrait",
    "subjects": ["employees"],
    "channel": "internal_access_badge",
    "prior_notice": True,
}
OWNER = {
    "name": "Bloemen Lieve bv",
    "contact": "info@bloemenlieve.be",
    "event_name": "Open Bloemendag 2027",
}
LABEL = re.compile(r"GDPR Art\. [0-9]+(?:\([0-9a-z]+\))*|Belgian [A-Z][A-Za-z ]+ Art\. [0-9]+")
SOURCES = {"nl": "Bronnen", "fr": "Sources", "en": "Sources"}


def _sources(markdown: str, lang: str) -> list[str]:
    part = markdown.split(f"## {SOURCES[lang]}\n\n", 1)[1].split("\n\n", 1)[0]
    return [line.removeprefix("- ") for line in part.splitlines()]


@pytest.mark.parametrize("lang", LANGS)
def test_party_notice_matches_its_snapshot(lang: str) -> None:
    draft = render("photo_notice", PARTY, OWNER, lang, TODAY)
    assert_snapshot(f"photo_notice.party.{lang}.md", draft.markdown)


def test_internal_note_matches_its_snapshot() -> None:
    draft = render("photo_notice", OPTED_OUT, OWNER, "en", TODAY)
    assert_snapshot("photo_notice.opted_out.en.md", draft.markdown)


def test_event_notice_has_purpose_basis_wristbands_zone_removal_and_contact() -> None:
    draft = render("photo_notice", PARTY, OWNER, "en", TODAY)
    text = draft.markdown
    assert draft.title == "Photos and video at Open Bloemendag 2027"
    invitation = text.split("## Text for the invitation\n\n", 1)[1].split("\n## ", 1)[0]
    assert "to give an impression of our activities on our social media" in invitation
    assert "legitimate interest" in invitation and "(GDPR Art. 6(1)(f))" in invitation
    assert "wristband or badge at the entrance" in invitation and "photo-free zone" in invitation
    assert "(GDPR Art. 21(1))" in invitation and "Send a message to info@bloemenlieve.be" in invitation
    assert "## Short version for the entrance or notice board" in text
    assert {"colour of the wristband", "where the photo-free zone is", "link to your privacy notice"} <= set(
        draft.unresolved
    )
    # Not yet announced: the checklist says the notice must come first.
    assert "before you start taking photos" in text.split("## For you (do not publish)", 1)[1]


def test_opt_out_measures_follow_the_verdict_conditions() -> None:
    shop = render("photo_notice", SHOP, OWNER, "en", TODAY)
    assert "OFFER_EASY_OPT_OUT" in shop.verdict["conditions"]
    assert "wristband" not in shop.markdown and "photo-free zone" not in shop.markdown
    assert "Tell the photographer or let us know at info@bloemenlieve.be" in shop.markdown
    assert "where and when you take photos" in shop.unresolved


def test_staff_badge_notice_weighs_objections_without_an_opt_out() -> None:
    text = render("photo_notice", BADGE, OWNER, "en", TODAY).markdown
    assert text.startswith("# Staff photos: information")
    assert "for the access badge, to control access to our premises" in text
    assert "we will weigh it with you (GDPR Art. 21(1))" in text
    assert "Short version" not in text and "wristband" not in text


def test_staff_portrait_notice_asks_consent_without_consequences() -> None:
    facts = {
        "identifiable": True,
        "setting": "targeted_portrait",
        "subjects": ["employees"],
        "channel": "website_recruitment_page",
        "consent_obtained": False,
    }
    text = render("photo_notice", facts, OWNER, "en", TODAY).markdown
    assert text.startswith("# Staff photos: information")
    assert "only use photos in which you can be recognised with your consent (GDPR Art. 6(1)(a))" in text
    assert "Saying no has no consequence for your job" in text and "(GDPR Art. 7(3))" in text


def test_children_notice_rests_on_parental_consent() -> None:
    draft = render("photo_notice", CHILDREN, OWNER, "nl", TODAY)
    assert draft.verdict["basis"] == "consent_parental"
    assert "schriftelijke toestemming van een ouder of voogd (GDPR Art. 6(1)(a))" in draft.markdown
    assert "intrekken" in draft.markdown and "gerechtvaardigd belang om" not in draft.markdown


def test_no_verdict_gives_an_internal_note_instead() -> None:
    draft = render("photo_notice", OPTED_OUT, OWNER, "nl", TODAY)
    assert draft.title == "Interne nota: geen fotobericht voor dit gebruik"
    assert "Tekst voor de uitnodiging" not in draft.markdown
    assert "snij de persoon weg" in draft.markdown and "28 november 2026" in draft.markdown
    cctv = {**OPTED_OUT, "origin": "cctv_still", "subject_used_opt_out": None}
    assert "beveiliging" in render("photo_notice", cctv, OWNER, "nl", TODAY).markdown


def test_unidentifiable_photos_need_no_notice() -> None:
    facts = {"identifiable": False, "setting": "ambient_crowd", "subjects": ["clients"], "channel": "website"}
    draft = render("photo_notice", facts, OWNER, "fr", TODAY)
    assert draft.title == "Note interne : aucun avis photos nécessaire"


def test_docx_has_headings_paragraphs_and_checklist(tmp_path: Path) -> None:
    draft = render("photo_notice", PARTY, OWNER, "fr", TODAY)
    word = docx.Document(str(to_docx(draft.document, tmp_path / "notice.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:2] == ["Photos et vidéos pendant Open Bloemendag 2027", "Texte pour l'invitation"]
    assert "Pour vous (à ne pas publier)" in headings and "Sources" in headings
    body = "\n".join(p.text for p in word.paragraphs)
    assert "intérêt légitime" in body and "info@bloemenlieve.be" in body and "(GDPR Art. 6(1)(f))" in body
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "Prévoyez une zone sans photos." in bullets


def test_every_citation_is_registered() -> None:
    registry = load_registry()
    for facts in (PARTY, OPTED_OUT, SHOP, CHILDREN, BADGE):
        for lang in LANGS:
            draft = render("photo_notice", facts, OWNER, lang, TODAY)
            assert draft.citations and set(draft.citations) <= set(registry)
            listed = _sources(draft.markdown, lang)
            assert set(draft.citations) <= set(listed) <= set(registry)
            # Every label the text shows is also listed among the sources.
            assert set(LABEL.findall(draft.markdown)) <= set(listed)


def test_hostile_owner_text_is_escaped() -> None:
    hostile = "<script>alert(1)</script> **x** [a](http://e.vil)"
    owner = {"name": hostile, "contact": hostile, "event_name": hostile}
    draft = render("photo_notice", PARTY, owner, "en", TODAY)
    text = draft.markdown + draft.title
    assert "<script>" not in text and "](http://e.vil)" not in text and "**x**" not in text
    assert r"\<script\>" in text


def test_same_case_same_content_in_every_language() -> None:
    drafts = {lang: render("photo_notice", PARTY, OWNER, lang, TODAY) for lang in LANGS}
    labels = {lang: set(LABEL.findall(d.markdown)) for lang, d in drafts.items()}
    assert labels["nl"] == labels["fr"] == labels["en"]
    for lang, draft in drafts.items():
        assert _sources(draft.markdown, lang) == _sources(drafts["en"].markdown, "en")
        assert draft.markdown.count("info@bloemenlieve.be") == drafts["en"].markdown.count(
            "info@bloemenlieve.be"
        )
        assert "Open Bloemendag 2027" in draft.markdown
        assert len(draft.unresolved) == len(drafts["en"].unresolved)
    for lang in LANGS:
        assert format_date(TODAY, lang) in render("photo_notice", OPTED_OUT, OWNER, lang, TODAY).markdown


def test_wording_has_every_string_in_every_language() -> None:
    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if set(node) & set(LANGS):
                assert set(node) == set(LANGS) and all(str(node[k]).strip() for k in LANGS), path
                return
            for key, value in node.items():
                walk(value, f"{path}.{key}")

    walk(yaml.safe_load(WORDING.read_text(encoding="utf-8")), "photo_notice")
