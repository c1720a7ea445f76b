"""The processor-agreement checklist: role, Art. 28 items with their 2021/915 clauses, or what instead."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from snapshots_helper import assert_snapshot

from knowledge.citations import load_registry
from tools.base import load_rules
from tools.dpa import DpaRules
from tools.drafting.artefacts import render
from tools.drafting.base import DraftingError, format_date
from tools.drafting.document import to_docx
from tools.drafting.dpa_checklist import scc_refs

TODAY = dt.date(2026, 11, 28)
LANGS = ("nl", "fr", "en")
# The case table's web host with data in the US, described the way an owner would.
HOSTING: dict[str, Any] = {
    "provider_type": "web_hosting",
    "service": "hosting of the webshop and its customer accounts",
    "personal_data_access": "core",
    "decides_purposes": False,
    "own_legal_obligations": False,
    "uses_data_for_own_purposes": False,
    "jointly_determines": False,
    "data_outside_eea": True,
}
CLEANING: dict[str, Any] = {"provider_type": "cleaning_company", "personal_data_access": "incidental"}
PARTNER: dict[str, Any] = {
    "provider_type": "marketing_partner",
    "personal_data_access": "core",
    "jointly_determines": True,
}
TAX_ADVICE: dict[str, Any] = {
    "provider_type": "accountant",
    "service": "tax advice",
    "personal_data_access": "core",
    "decides_purposes": True,
    "jointly_determines": False,
}
OWNER = {
    "name": "Bloemen Lieve bv",
    "address": "Markt 12, 9000 Gent",
    "contact": "info@bloemenlieve.be",
    "signatory": "Lieve Janssens, zaakvoerder",
    "provider_name": "CloudNest Inc.",
}
HEADERS = {"nl": "Bronnen", "fr": "Sources", "en": "Sources"}


def _sources(markdown: str, lang: str) -> list[str]:
    """Return the labels listed under the Sources heading."""
    part = markdown.split(f"## {HEADERS[lang]}\n", 1)[1].split("\n\n_", 1)[0]
    return [line[2:] for line in part.strip().splitlines()]


@pytest.mark.parametrize("lang", LANGS)
def test_processor_checklist_matches_its_snapshot(lang: str) -> None:
    draft = render("dpa_checklist", HOSTING, OWNER, lang, TODAY)
    assert_snapshot(f"dpa_checklist.hosting_us.{lang}.md", draft.markdown)


def test_confidentiality_clause_matches_its_snapshot() -> None:
    draft = render("dpa_checklist", CLEANING, {**OWNER, "provider_name": "Net & Proper"}, "nl", TODAY)
    assert_snapshot("dpa_checklist.cleaning.nl.md", draft.markdown)


def test_joint_controllers_match_their_snapshot() -> None:
    draft = render("dpa_checklist", PARTNER, {**OWNER, "provider_name": "Koffie Kees"}, "en", TODAY)
    assert_snapshot("dpa_checklist.joint.en.md", draft.markdown)


def test_checklist_has_one_row_per_rule_file_item_with_its_clauses() -> None:
    rules = load_rules("dpa", DpaRules)
    text = render("dpa_checklist", HOSTING, OWNER, "en", TODAY).markdown
    rows = [line for line in text.splitlines() if re.match(r"\| \d+ \|", line)]
    checklist_rows = [r for r in rows if r.endswith("| ☐ |") and "GDPR Art." in r]
    assert len(checklist_rows) == len(rules.checklist) == 12
    for row, entry in zip(checklist_rows, rules.checklist, strict=True):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[2] == entry.gdpr
        assert cells[3] == ", ".join(scc_refs(entry.scc))
    assert "| GDPR Art. 28(3)(h) | Clause 7.6 |" in text
    assert "| GDPR Art. 33(2) | Clause 9.2 |" in text


def test_clause_references_are_written_in_the_reader_s_language() -> None:
    nl = render("dpa_checklist", HOSTING, OWNER, "nl", TODAY).markdown
    fr = render("dpa_checklist", HOSTING, OWNER, "fr", TODAY).markdown
    assert "| Clausule 7.4(a), Bijlage III |" in nl
    assert "| Clause 7.4(a), Annexe III |" in fr
    assert "Annex" not in nl.replace("Bijlage", "")


def test_scc_remarks_are_dropped_but_every_reference_is_kept() -> None:
    assert scc_refs("Clause 7.1 (instructions), Clause 7.2 (purpose limitation), Annex II") == [
        "Clause 7.1",
        "Clause 7.2",
        "Annex II",
    ]
    assert scc_refs("Clause 7.8 (the clauses alone do not cover Chapter V transfers: Clause 1(f))") == [
        "Clause 7.8"
    ]
    assert scc_refs("Clause 10(d), Clause 7.7(e) (if the processor disappears or is insolvent)") == [
        "Clause 10(d)",
        "Clause 7.7(e)",
    ]
    assert scc_refs("Clause 7.7(b)-(e)") == ["Clause 7.7(b)-(e)"]


def test_processor_sections_cover_subprocessors_breach_location_end_and_annexes() -> None:
    text = render("dpa_checklist", HOSTING, OWNER, "en", TODAY).markdown
    for heading in (
        "## Sub-processors",
        "## Breach notification",
        "## Data location and transfers",
        "## Return or deletion at the end",
        "## Annexes of the standard clauses to fill in",
    ):
        assert heading in text
    assert "within 72 hours" in text and "GDPR Art. 33(1)" in text
    for annex in ("Annex I: List of parties", "Annex II: Description of the processing"):
        assert annex in text
    assert (
        "Annex III: Technical and organisational measures" in text
        and "Annex IV: List of sub-processors" in text
    )
    assert "**Controller:** Bloemen Lieve bv, Markt 12, 9000 Gent" in text
    assert "hosting of the webshop and its customer accounts" in text


def test_data_outside_the_eea_adds_transfer_safeguards() -> None:
    outside = render("dpa_checklist", HOSTING, OWNER, "en", TODAY).markdown
    for label in ("GDPR Art. 45(3)", "Commission Implementing Decision (EU) 2023/1795", "GDPR Art. 46(2)(c)"):
        assert label in outside
    assert "Clause 1(f)" in outside and "Commission Implementing Decision (EU) 2021/914" in outside
    inside = render("dpa_checklist", {**HOSTING, "data_outside_eea": False}, OWNER, "en", TODAY).markdown
    assert "stays within the EEA" in inside
    assert "2021/914" not in inside and "Clause 1(f)" not in inside
    unknown = render("dpa_checklist", {**HOSTING, "data_outside_eea": None}, OWNER, "en", TODAY).markdown
    assert "It is not known yet where the data is kept" in unknown


def test_processor_using_data_for_itself_gets_its_own_section() -> None:
    facts = {**HOSTING, "uses_data_for_own_purposes": True}
    text = render("dpa_checklist", facts, OWNER, "en", TODAY).markdown
    assert "## The provider's own use of the data" in text and "GDPR Art. 28(10)" in text
    assert "own use" not in render("dpa_checklist", HOSTING, OWNER, "en", TODAY).markdown


@pytest.mark.parametrize(
    ("facts", "expected", "absent"),
    [
        (TAX_ADVICE, "own privacy terms", "## What the processor agreement must contain"),
        (PARTNER, "written arrangement between the two of you", "## Annexes of the standard clauses"),
        (CLEANING, "confidentiality clause", "## Sub-processors"),
        ({"provider_type": "web_designer", "personal_data_access": "none"}, "nothing to sign", "| ☐ |"),
    ],
)
def test_non_processors_get_what_to_arrange_instead(
    facts: dict[str, Any], expected: str, absent: str
) -> None:
    draft = render("dpa_checklist", facts, OWNER, "en", TODAY)
    assert draft.title == "CloudNest Inc.: role and what to arrange"
    assert "Processor agreement needed:** no" in draft.markdown
    assert "## What to arrange instead" in draft.markdown
    assert expected in draft.markdown and absent not in draft.markdown


def test_missing_provider_name_is_a_visible_placeholder_in_the_title() -> None:
    draft = render("dpa_checklist", HOSTING, {}, "nl", TODAY)
    assert draft.title == "Checklist verwerkersovereenkomst: ⟦naam van de dienstverlener⟧"
    assert {
        "naam van de dienstverlener",
        "naam van uw zaak",
        "adres en contactpersoon van de dienstverlener",
    } <= set(draft.unresolved)


def test_docx_has_headings_checklist_table_and_annexes(tmp_path: Path) -> None:
    draft = render("dpa_checklist", HOSTING, OWNER, "nl", TODAY)
    word = docx.Document(str(to_docx(draft.document, tmp_path / "dpa.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Checklist verwerkersovereenkomst: CloudNest Inc."
    for heading in (
        "Wat de verwerkersovereenkomst moet bevatten",
        "Onderaannemers (subverwerkers)",
        "Bronnen",
    ):
        assert heading in headings
    checklist, annexes = word.tables[0], word.tables[1]
    assert [c.text for c in checklist.rows[0].cells][-1] == "☐ In het contract"
    assert len(checklist.rows) == 13
    assert [c.text for c in checklist.rows[8].cells][2:] == ["GDPR Art. 28(3)(h)", "Clausule 7.6", "☐"]
    assert [row.cells[0].text for row in annexes.rows[1:]] == [
        "Bijlage I: Lijst van partijen",
        "Bijlage II: Beschrijving van de verwerking",
        "Bijlage III: Technische en organisatorische maatregelen",
        "Bijlage IV: Lijst van subverwerkers",
    ]
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert any(b.startswith("Verwerkingsverantwoordelijke: Bloemen Lieve bv") for b in bullets)
    assert "GDPR Art. 13(1)(f)" in bullets


@pytest.mark.parametrize(
    "facts", [HOSTING, CLEANING, PARTNER, TAX_ADVICE, {**HOSTING, "data_outside_eea": None}]
)
def test_every_citation_is_registered(facts: dict[str, Any]) -> None:
    registry = set(load_registry())
    for lang in LANGS:
        draft = render("dpa_checklist", facts, OWNER, lang, TODAY)
        listed = _sources(draft.markdown, lang)
        assert draft.citations and set(draft.citations) <= set(listed) <= registry


def test_hostile_owner_text_is_escaped() -> None:
    hostile = "<script>alert(1)</script> **x** [a](http://e.vil)"
    owner = {**OWNER, "name": hostile, "provider_name": hostile}
    draft = render("dpa_checklist", {**HOSTING, "service": hostile}, owner, "en", TODAY)
    for text in (draft.markdown, draft.title):
        assert "<script>" not in text and "](http://e.vil)" not in text and "**x**" not in text
    assert draft.markdown.count(r"\<script\>") >= 4  # title, header, Annex I (twice), service


def test_same_case_same_content_in_every_language() -> None:
    texts = {lang: render("dpa_checklist", HOSTING, OWNER, lang, TODAY).markdown for lang in LANGS}
    assert all(format_date(TODAY, lang) in texts[lang] for lang in LANGS)
    clauses = {
        lang: set(re.findall(r"\b\d+(?:\.\d+)?\([a-z]\)(?:-\([a-z]\))?|\b\d+\.\d+\b", t))
        for lang, t in texts.items()
    }
    assert clauses["nl"] == clauses["fr"] == clauses["en"]
    labels = {
        lang: set(
            re.findall(r"(?:GDPR Art\. [\d()a-z]+|Commission Implementing Decision \(EU\) \d{4}/\d+)", t)
        )
        for lang, t in texts.items()
    }
    assert labels["nl"] == labels["fr"] == labels["en"]
    rows = {lang: len(re.findall(r"^\| \d+ \|", t, re.M)) for lang, t in texts.items()}
    assert rows["nl"] == rows["fr"] == rows["en"] == 12


def test_undecided_facts_are_refused_naming_what_is_missing() -> None:
    with pytest.raises(DraftingError, match="personal_data_access"):
        render("dpa_checklist", {"provider_type": "accountant"}, OWNER, "nl", TODAY)


def _leaves_without_all_languages(node: Any, path: str = "") -> list[str]:
    """Return the paths of wording entries that lack nl, fr or en."""
    if isinstance(node, dict):
        if set(node) & set(LANGS):
            return [] if set(LANGS) <= set(node) else [path]
        return [
            p for key, value in node.items() for p in _leaves_without_all_languages(value, f"{path}/{key}")
        ]
    if isinstance(node, list):
        return [
            p for n, value in enumerate(node) for p in _leaves_without_all_languages(value, f"{path}/{n}")
        ]
    return []


def test_wording_has_every_string_in_every_language() -> None:
    from tools.drafting.base import wording

    assert _leaves_without_all_languages(wording("dpa_checklist")) == []
