"""The erasure reply says what is erased, what is kept until when, and the complaint right."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from snapshots_helper import assert_snapshot

from knowledge.citations import load_registry
from tools.drafting.artefacts import render
from tools.drafting.base import DraftingError
from tools.drafting.document import to_docx

TODAY = dt.date(2026, 11, 28)
# The note's example: newsletter, webshop account, invoices from 2021 and 2024.
FACTS: dict[str, Any] = {
    "request_date": "2026-11-20",
    "today": "2026-11-28",
    "identity_verified": True,
    "data": [
        {"id": "nb", "type": "newsletter_subscription"},
        {"id": "shop", "type": "webshop_account"},
        {"id": "inv21", "type": "invoice", "year": 2021},
        {"id": "inv24", "type": "invoice", "year": 2024},
    ],
    "recipients": [{"id": "Mailchimp", "holds": ["nb"]}, {"id": "Shopify", "holds": ["shop", "inv24"]}],
    "also_objects_to_marketing": True,
}
OWNER = {
    "name": "Bloemen Lieve bv",
    "address": "Markt 12, 9000 Gent",
    "contact": "info@bloemenlieve.be",
    "signatory": "Lieve Janssens, zaakvoerder",
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_reply_matches_its_snapshot(lang: str) -> None:
    draft = render("erasure_reply", FACTS, OWNER, lang, TODAY)
    assert_snapshot(f"erasure_reply.customer.{lang}.md", draft.markdown)


def test_reply_states_kept_items_with_their_end_dates_and_the_complaint_right() -> None:
    text = render("erasure_reply", FACTS, OWNER, "nl", TODAY).markdown
    assert "| factuur 2021 |" in text and "31 december 2028" in text
    assert "| factuur 2024 |" in text and "31 december 2034" in text
    assert "Gegevensbeschermingsautoriteit" in text and "rechter" in text
    assert "Mailchimp en Shopify" in text
    assert "uiterlijk 21 december 2026" in text  # 20 December 2026 is a Sunday


def test_missing_owner_details_are_visible_placeholders_and_listed() -> None:
    draft = render("erasure_reply", FACTS, {}, "en", TODAY)
    assert "⟦your business name⟧" in draft.markdown
    assert set(draft.unresolved) >= {
        "your business name",
        "name of the requester",
        "name and role of the signatory",
    }


def test_identity_doubt_asks_for_confirmation_without_an_id_copy() -> None:
    draft = render("erasure_reply", {**FACTS, "identity_verified": False}, OWNER, "fr", TODAY)
    assert "carte d'identité n'est pas nécessaire" in draft.markdown
    assert "Ce que nous avons effacé" not in draft.markdown


def test_docx_has_headings_table_and_todo(tmp_path: Path) -> None:
    draft = render("erasure_reply", FACTS, OWNER, "nl", TODAY)
    word = docx.Document(str(to_docx(draft.document, tmp_path / "reply.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "Wat wij moeten bewaren" in headings and "Interne takenlijst (niet meesturen)" in headings
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Gegevens", "Waarom", "Tot wanneer"]
    assert any("31 december 2034" in c.text for row in table.rows for c in row.cells)
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert any(b.startswith("Vraag Mailchimp") for b in bullets)


def test_every_citation_is_registered() -> None:
    draft = render("erasure_reply", FACTS, OWNER, "en", TODAY)
    assert draft.citations and set(draft.citations) <= set(load_registry())


def test_hostile_owner_text_is_escaped() -> None:
    owner = {**OWNER, "name": "<script>alert(1)</script> **x** [a](http://e.vil)"}
    text = render("erasure_reply", FACTS, owner, "en", TODAY).markdown
    assert "<script>" not in text and "](http://e.vil)" not in text and "**x**" not in text
    assert r"\<script\>" in text


def test_same_case_same_content_in_every_language() -> None:
    texts = {lang: render("erasure_reply", FACTS, OWNER, lang, TODAY).markdown for lang in ("nl", "fr", "en")}
    years = {lang: set(re.findall(r"\b20\d\d\b", t)) for lang, t in texts.items()}
    assert years["nl"] == years["fr"] == years["en"]
    for text in texts.values():
        assert "Mailchimp" in text and "Shopify" in text and "GDPR Art. 17(3)(b)" in text


def test_undecided_facts_are_refused_naming_what_is_missing() -> None:
    with pytest.raises(DraftingError, match=r"data\[inv\]\.year"):
        facts = {**FACTS, "data": [{"id": "inv", "type": "invoice"}], "recipients": []}
        render("erasure_reply", facts, OWNER, "nl", TODAY)
