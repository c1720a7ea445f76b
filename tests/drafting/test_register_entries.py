"""Register entries: GBA model columns, defaults per kind, placeholders, Camera Law note, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, get_args

import docx
import pytest
import yaml
from snapshots_helper import assert_snapshot

from knowledge.citations import load_registry
from tools.drafting.artefacts import render
from tools.drafting.base import DraftingError, format_date
from tools.drafting.document import to_csv, to_docx
from tools.drafting.register_entries import CONTROLLER_COLUMNS, CONTROLLER_REQUIRED
from tools.register import ProcessingKind

TODAY = dt.date(2026, 11, 28)
LANGS = ("nl", "fr", "en")
WORDING = Path(__file__).parents[2] / "tools" / "drafting" / "wording" / "register_entries.yaml"
# A bakery with four staff: newsletter, invoices, payroll and a shop camera (typically regular),
# plus the yearly Christmas cards (occasional, so only recommended).
BAKERY: dict[str, Any] = {
    "employees": 4,
    "processing": ["newsletter", "invoicing", "payroll", "cctv", "christmas_cards"],
}
HOSTING: dict[str, Any] = {
    "employees": 6,
    "role": "processor",
    "processing": ["hosting_client_data"],
    "frequency": "regular",
}
OWNER = {
    "name": "Bakkerij Peeters bv",
    "address": "Kerkstraat 1, 2000 Antwerpen",
    "contact": "info@bakkerijpeeters.be",
    "vat_number": "BE 0123.456.789",
}
SOURCES = {"nl": "Bronnen", "fr": "Sources", "en": "Sources"}
LABEL = re.compile(r"GDPR Art\. [0-9]+(?:\([0-9a-z]+\))*|Belgian [A-Z][A-Za-z ]+ Art\. [0-9]+")


def _sources(markdown: str, lang: str) -> list[str]:
    part = markdown.split(f"## {SOURCES[lang]}\n\n", 1)[1].split("\n\n", 1)[0]
    return [line.removeprefix("- ") for line in part.splitlines()]


def _csv(facts: dict[str, Any], lang: str, owner: dict[str, Any] | None = None) -> list[list[str]]:
    draft = render("register_entries", facts, owner or OWNER, lang, TODAY)
    return list(csv.reader(io.StringIO(to_csv(draft.document)), delimiter=";"))


@pytest.mark.parametrize("lang", LANGS)
def test_bakery_register_matches_its_snapshot(lang: str) -> None:
    draft = render("register_entries", BAKERY, OWNER, lang, TODAY)
    assert_snapshot(f"register_entries.bakery.{lang}.md", draft.markdown)


def test_processor_record_matches_its_snapshot() -> None:
    draft = render("register_entries", HOSTING, OWNER, "en", TODAY)
    assert_snapshot("register_entries.hosting_processor.en.md", draft.markdown)


def test_rows_are_the_triggering_activities_and_the_rest_is_recommended() -> None:
    rows = _csv(BAKERY, "en")[1:]
    assert [r[0] for r in rows] == [
        "Camera surveillance",
        "Invoicing and bookkeeping",
        "Newsletter",
        "Payroll",
    ]
    text = render("register_entries", BAKERY, OWNER, "en", TODAY).markdown
    others = text.split("## Other activities you mentioned\n\n", 1)[1]
    assert "- Season's greetings" in others.split("\n## ", 1)[0]


def test_newsletter_row_has_the_sensible_defaults() -> None:
    header, *rows = _csv({"employees": 0, "processing": ["newsletter"]}, "en")
    row = dict(zip(header, rows[0], strict=True))
    assert row["Purposes *"] == "sending our newsletter to subscribers"
    assert row["Legal basis"] == "Consent (GDPR Art. 6(1)(a))"
    assert row["Categories of personal data *"].startswith("name, e-mail address")
    assert row["Categories of recipients *"] == "mailing platform (processor): ⟦name of the mailing platform⟧"
    assert row["Retention period *"].startswith("until the subscriber unsubscribes")
    assert row["Transfers outside the EEA *"].startswith("⟦none, or: which country")


def test_csv_parses_and_its_header_marks_the_legal_minimum() -> None:
    for lang in LANGS:
        header, *rows = _csv(BAKERY, lang)
        marked = [n for n, h in enumerate(header) if h.endswith(" *")]
        assert marked == [CONTROLLER_COLUMNS.index(c) for c in CONTROLLER_REQUIRED] == [1, 3, 4, 5, 6, 7, 8]
        assert len(rows) == 4 and all(len(r) == len(header) == 9 for r in rows)
        assert not any("**" in cell or "\\" in cell for row in rows for cell in row)


def test_invoicing_retention_follows_the_ten_year_rule_with_its_sources() -> None:
    header, *rows = _csv({"employees": 3, "processing": ["invoicing"]}, "nl")
    retention = rows[0][header.index("Bewaartermijn *")]
    assert "31 december van het 10de jaar" in retention and "7 jaar voor 2021" in retention
    assert "Belgian VAT Code Art. 60" in retention


def test_owner_identity_on_top_and_missing_details_are_placeholders() -> None:
    text = render("register_entries", BAKERY, OWNER, "nl", TODAY).markdown
    top = text.split("## Verwerkingsactiviteiten", 1)[0]
    assert "- Naam: Bakkerij Peeters bv" in top and "- Ondernemingsnummer: BE 0123.456.789" in top
    draft = render("register_entries", BAKERY, {}, "en", TODAY)
    assert "- Name: ⟦your business name⟧" in draft.markdown
    assert {"your business name", "enterprise number", "name of the mailing platform"} <= set(
        draft.unresolved
    )


def test_camera_law_note_only_when_cameras_are_used() -> None:
    with_cctv = render("register_entries", BAKERY, OWNER, "fr", TODAY).markdown
    assert "## Loi caméras : registre distinct des traitements d'images" in with_cctv
    assert "Belgian Camera Law Art. 7" in with_cctv
    without = render(
        "register_entries", {**BAKERY, "processing": ["newsletter"]}, OWNER, "fr", TODAY
    ).markdown
    assert "Loi caméras" not in without


def test_all_activities_scope_lists_every_kind_and_every_kind_is_worded() -> None:
    kinds = list(get_args(ProcessingKind))
    assert set(kinds) == set(yaml.safe_load(WORDING.read_text(encoding="utf-8"))["activities"])
    for lang in LANGS:
        draft = render("register_entries", {"employees": 300, "processing": kinds}, OWNER, lang, TODAY)
        assert draft.verdict["scope"] == "all_activities"
        assert len(_csv({"employees": 300, "processing": kinds}, lang)) == len(kinds) + 1
        assert "{" not in draft.markdown and "}" not in draft.markdown


def test_not_required_still_offers_a_voluntary_register() -> None:
    draft = render(
        "register_entries", {"employees": 3, "processing": ["christmas_cards"]}, OWNER, "en", TODAY
    )
    assert draft.verdict["required"] is False
    assert "A record is not legally required in your situation." in draft.markdown
    assert [r[0] for r in _csv({"employees": 3, "processing": ["christmas_cards"]}, "en")[1:]] == [
        "Season's greetings"
    ]
    nothing = _csv({"employees": 1, "processing": []}, "en")
    assert len(nothing) == 1 and nothing[0][1] == "Purposes *"


def test_processor_record_uses_the_art_30_2_columns() -> None:
    header, *rows = _csv(HOSTING, "en")
    assert [h for h in header if h.endswith(" *")] == [
        "Categories of processing for the client *",
        "Clients (controllers) *",
        "Transfers outside the EEA *",
        "Security measures *",
    ]
    assert rows[0][0] == "Hosting client data"
    text = render("register_entries", HOSTING, OWNER, "en", TODAY).markdown
    assert "## Processor (Art. 30(2)(a))" in text and "GDPR Art. 30(2)" in text


def test_undecided_facts_are_refused() -> None:
    with pytest.raises(DraftingError, match="employees"):
        render("register_entries", {"processing": ["crm"], "frequency": "regular"}, OWNER, "en", TODAY)


def test_docx_has_identity_table_and_camera_note(tmp_path: Path) -> None:
    draft = render("register_entries", BAKERY, OWNER, "nl", TODAY)
    word = docx.Document(str(to_docx(draft.document, tmp_path / "register.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Register van de verwerkingsactiviteiten"
    assert "Camerawet: apart register van beeldverwerkingen" in headings and "Bronnen" in headings
    table = word.tables[0]
    assert (
        table.rows[0].cells[1].text == "Doeleinden *"
        and table.rows[0].cells[0].text == "Verwerkingsactiviteit"
    )
    assert [r.cells[0].text for r in table.rows[1:]] == [
        "Camerabewaking",
        "Facturatie en boekhouding",
        "Nieuwsbrief",
        "Loonadministratie",
    ]
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "Naam: Bakkerij Peeters bv" in bullets and "Kerstkaarten" in bullets


def test_every_citation_is_registered() -> None:
    registry = load_registry()
    for facts in (BAKERY, HOSTING, {"employees": 300, "processing": list(get_args(ProcessingKind))}):
        for lang in LANGS:
            draft = render("register_entries", facts, OWNER, lang, TODAY)
            assert draft.citations and set(draft.citations) <= set(registry)
            listed = _sources(draft.markdown, lang)
            assert set(listed) <= set(registry), set(listed) - set(registry)
            # Every label the text shows is also listed among the sources.
            assert set(LABEL.findall(draft.markdown)) <= set(listed)
            assert set(draft.citations) <= set(listed)


def test_hostile_owner_text_is_escaped() -> None:
    hostile = "<script>alert(1)</script> **x** [a](http://e.vil)"
    owner = {**OWNER, "name": hostile, "vat_number": "<i>BE</i> **0** [a](http://e.vil)"}
    draft = render("register_entries", BAKERY, owner, "en", TODAY)
    assert "<script>" not in draft.markdown and "](http://e.vil)" not in draft.markdown
    assert "**x**" not in draft.markdown and "**0**" not in draft.markdown and "<i>" not in draft.markdown
    assert r"\<script\>" in draft.markdown and r"\<i\>BE\</i\>" in draft.markdown
    assert to_csv(draft.document).splitlines()[0].startswith("Processing activity;")


def test_same_case_same_content_in_every_language() -> None:
    drafts = {lang: render("register_entries", BAKERY, OWNER, lang, TODAY) for lang in LANGS}
    sources = {lang: _sources(d.markdown, lang) for lang, d in drafts.items()}
    assert sources["nl"] == sources["fr"] == sources["en"]
    rows = {lang: len(_csv(BAKERY, lang)) for lang in LANGS}
    assert rows["nl"] == rows["fr"] == rows["en"] == 5
    for lang, draft in drafts.items():
        assert format_date(TODAY, lang) in draft.markdown
        assert "BE 0123.456.789" in draft.markdown and "info@bakkerijpeeters.be" in draft.markdown
        assert set(LABEL.findall(draft.markdown)) == set(LABEL.findall(drafts["en"].markdown))
    counts = {lang: len(d.unresolved) for lang, d in drafts.items()}
    assert counts["nl"] == counts["fr"] == counts["en"]


def test_wording_has_every_string_in_every_language() -> None:
    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if set(node) & set(LANGS):
                assert set(node) == set(LANGS) and all(str(node[k]).strip() for k in LANGS), path
                return
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{path}[{n}]")

    walk(yaml.safe_load(WORDING.read_text(encoding="utf-8")), "register_entries")
