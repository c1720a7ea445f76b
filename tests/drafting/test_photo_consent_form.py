"""The photo consent form: what, channels to tick, free choice, withdrawal, signature; or a note instead."""

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
WORDING = Path(__file__).parents[2] / "tools" / "drafting" / "wording" / "photo_consent_form.yaml"
# The case table's employee portrait for the recruitment page (GBA 35/2024), consent still missing.
STAFF: dict[str, Any] = {
    "identifiable": True,
    "setting": "targeted_portrait",
    "subjects": ["employees"],
    "channel": "website_recruitment_page",
    "consent_obtained": False,
}
CHILDREN: dict[str, Any] = {
    "identifiable": True,
    "setting": "small_group",
    "subjects": ["children"],
    "channel": "website",
    "consent_obtained": False,
}
PATIENTS: dict[str, Any] = {
    "identifiable": True,
    "subjects": ["patients"],
    "channel": "public_social_media",
    "consent_obtained": False,
}
FORMER: dict[str, Any] = {
    "identifiable": True,
    "setting": "targeted_portrait",
    "subjects": ["former_employee"],
    "channel": "website_recruitment_page",
    "consent_obtained": False,
}
INTRANET: dict[str, Any] = {
    "identifiable": True,
    "setting": "targeted_portrait",
    "subjects": ["employees"],
    "channel": "intranet",
    "prior_notice": True,
    "opt_out_offered": True,
}
OWNER = {
    "name": "Bloemen Lieve bv",
    "address": "Markt 12, 9000 Gent",
    "contact": "info@bloemenlieve.be",
}
LABEL = re.compile(r"GDPR Art\. [0-9]+(?:\([0-9a-z]+\))*|Belgian [A-Z][A-Za-z ]+ Art\. [0-9]+")
SOURCES = {"nl": "Bronnen", "fr": "Sources", "en": "Sources"}


def _sources(markdown: str, lang: str) -> list[str]:
    part = markdown.split(f"## {SOURCES[lang]}\n\n", 1)[1].split("\n\n", 1)[0]
    return [line.removeprefix("- ") for line in part.splitlines()]


def _boxes(markdown: str) -> list[str]:
    return [line.removeprefix("- ☐ ") for line in markdown.splitlines() if line.startswith("- ☐ ")]


@pytest.mark.parametrize("lang", LANGS)
def test_staff_form_matches_its_snapshot(lang: str) -> None:
    draft = render("photo_consent_form", STAFF, OWNER, lang, TODAY)
    assert_snapshot(f"photo_consent_form.staff.{lang}.md", draft.markdown)


@pytest.mark.parametrize(("name", "facts"), [("children", CHILDREN), ("patients", PATIENTS)])
def test_parental_and_explicit_forms_match_their_snapshots(name: str, facts: dict[str, Any]) -> None:
    draft = render("photo_consent_form", facts, OWNER, "en", TODAY)
    assert_snapshot(f"photo_consent_form.{name}.en.md", draft.markdown)


def test_staff_form_says_refusing_has_no_consequence() -> None:
    text = render("photo_consent_form", STAFF, OWNER, "en", TODAY).markdown
    assert "has no consequence whatsoever for your job" in text
    assert "Belgian Code of Economic Law Art. XI.174" in text
    assert "withdraw your consent at any time" in text and "send a message to info@bloemenlieve.be" in text


def test_channels_are_checkboxes_with_the_planned_one_first_and_none_ticked() -> None:
    staff = _boxes(render("photo_consent_form", STAFF, OWNER, "en", TODAY).markdown)
    assert staff[0] == "the jobs page of our website" and len(staff) == 4
    assert not any("intranet" in box for box in staff)
    children = _boxes(render("photo_consent_form", CHILDREN, OWNER, "en", TODAY).markdown)
    assert children[0].startswith("our website") and not any("jobs page" in box for box in children)
    text = render("photo_consent_form", CHILDREN, OWNER, "en", TODAY).markdown
    assert "☑" not in text and "[x]" not in text and "Nothing is ticked in advance" in text


def test_parental_variant_for_children() -> None:
    draft = render("photo_consent_form", CHILDREN, OWNER, "fr", TODAY)
    assert draft.title == "Consentement d'un parent ou tuteur pour des photos d'un enfant"
    assert "- Nom de l'enfant : ⟦nom de l'enfant⟧" in draft.markdown
    assert "- Nom du parent ou tuteur : ⟦nom du parent ou tuteur⟧" in draft.markdown
    assert {"nom de l'enfant", "date de signature", "signature"} <= set(draft.unresolved)


def test_explicit_consent_wording_for_patients() -> None:
    text = render("photo_consent_form", PATIENTS, OWNER, "nl", TODAY).markdown
    assert text.startswith("# Uitdrukkelijke toestemming voor foto's")
    assert "(GDPR Art. 9(2)(a))" in text and "☐ Ik geef mijn uitdrukkelijke toestemming" in text
    assert "geen enkel gevolg voor de zorg" in text


def test_former_employee_is_asked_again() -> None:
    text = render("photo_consent_form", FORMER, OWNER, "en", TODAY).markdown
    assert "You no longer work for us" in text and "has no consequence whatsoever" in text


def test_legitimate_interest_or_no_gives_an_internal_note() -> None:
    intranet = render("photo_consent_form", INTRANET, OWNER, "en", TODAY)
    assert intranet.title == "Internal note: no consent form for this use"
    assert "Use the photo notice instead" in intranet.markdown and "☐" not in intranet.markdown
    refused = {**STAFF, "employee_refused": True, "consent_obtained": None}
    note = render("photo_consent_form", refused, OWNER, "nl", TODAY)
    assert note.verdict["allowed"] == "no" and "lost dit niet op" in note.markdown
    assert "28 november 2026" in note.markdown


def test_docx_has_headings_checkboxes_and_signature_lines(tmp_path: Path) -> None:
    draft = render("photo_consent_form", CHILDREN, OWNER, "nl", TODAY)
    word = docx.Document(str(to_docx(draft.document, tmp_path / "form.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Toestemming van een ouder of voogd voor foto's van een kind"
    assert "Waar mogen wij de foto's gebruiken?" in headings and "Ondertekening" in headings
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "☐ onze website (⟦adres van de website⟧)" in bullets
    assert "Naam van het kind: ⟦naam van het kind⟧" in bullets and "Handtekening: ⟦handtekening⟧" in bullets


def test_every_citation_is_registered() -> None:
    registry = load_registry()
    for facts in (STAFF, CHILDREN, PATIENTS, FORMER, INTRANET):
        for lang in LANGS:
            draft = render("photo_consent_form", facts, OWNER, lang, TODAY)
            assert draft.citations and set(draft.citations) <= set(registry)
            listed = _sources(draft.markdown, lang)
            assert set(draft.citations) <= set(listed) <= set(registry)
            # Every label the text shows is also listed among the sources.
            assert set(LABEL.findall(draft.markdown)) <= set(listed)


def test_hostile_owner_text_is_escaped() -> None:
    hostile = "<script>alert(1)</script> **x** [a](http://e.vil)"
    owner = {"name": hostile, "address": hostile, "contact": hostile, "event_name": hostile}
    text = render("photo_consent_form", STAFF, owner, "en", TODAY).markdown
    assert "<script>" not in text and "](http://e.vil)" not in text and "**x**" not in text
    assert r"\<script\>" in text


def test_same_case_same_content_in_every_language() -> None:
    for facts in (STAFF, CHILDREN, PATIENTS):
        drafts = {lang: render("photo_consent_form", facts, OWNER, lang, TODAY) for lang in LANGS}
        labels = {lang: set(LABEL.findall(d.markdown)) for lang, d in drafts.items()}
        assert labels["nl"] == labels["fr"] == labels["en"]
        sources = {lang: _sources(d.markdown, lang) for lang, d in drafts.items()}
        assert sources["nl"] == sources["fr"] == sources["en"]
        boxes = {lang: len(_boxes(d.markdown)) for lang, d in drafts.items()}
        assert boxes["nl"] == boxes["fr"] == boxes["en"]
        for draft in drafts.values():
            assert "info@bloemenlieve.be" in draft.markdown and "Markt 12, 9000 Gent" in draft.markdown
            assert len(draft.unresolved) == len(drafts["en"].unresolved)
    for lang in LANGS:
        refused = {**STAFF, "employee_refused": True, "consent_obtained": None}
        assert format_date(TODAY, lang) in render("photo_consent_form", refused, OWNER, lang, TODAY).markdown


def test_wording_has_every_string_in_every_language() -> None:
    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if set(node) & set(LANGS):
                assert set(node) == set(LANGS) and all(str(node[k]).strip() for k in LANGS), path
                return
            for key, value in node.items():
                walk(value, f"{path}.{key}")

    walk(yaml.safe_load(WORDING.read_text(encoding="utf-8")), "photo_consent_form")
