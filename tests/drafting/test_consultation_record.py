"""The consultation record: date, tool, rules version, facts as given, outcome, reasons, sources; any tool."""

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
from tools.drafting.base import DraftingError, format_date
from tools.drafting.document import to_docx
from tools.explain import headline
from tools.registry import TOOLS

TODAY = dt.date(2026, 11, 28)
LANGS = ("nl", "fr", "en")
ROOT = Path(__file__).parents[2]
WORDING = ROOT / "tools" / "drafting" / "wording" / "consultation_record.yaml"
CASES_DIR = ROOT / "tests" / "tools" / "cases"
# Every decided case of every tool's case table.
DECIDED = [
    (path.stem, case)
    for path in sorted(CASES_DIR.glob("*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
    if case["expected"].get("outcome", "decided") == "decided"
]
BAKERY: dict[str, Any] = {"employees": 4, "processing": ["newsletter", "invoicing", "cctv"]}
ERASURE: dict[str, Any] = {
    "request_date": "2026-11-20",
    "today": "2026-11-28",
    "identity_verified": True,
    "data": [
        {"id": "nb", "type": "newsletter_subscription"},
        {"id": "inv24", "type": "invoice", "year": 2024},
    ],
    "recipients": [{"id": "Mailchimp", "holds": ["nb"]}],
    "also_objects_to_marketing": False,
}
PARTY: dict[str, Any] = {
    "identifiable": True,
    "setting": "ambient_crowd",
    "subjects": ["employees", "clients"],
    "channel": "public_social_media",
    "prior_notice": False,
    "opt_out_offered": False,
}
OWNER = {"name": "Bakkerij Peeters bv", "contact": "info@bakkerijpeeters.be"}
LABEL = re.compile(r"GDPR Art\. [0-9]+(?:\([0-9a-z]+\))*|Belgian [A-Z][A-Za-z ]+ Art\. [0-9]+")
SOURCES = {"nl": "Bronnen", "fr": "Sources", "en": "Sources"}
HOSTILE = "<script>alert(1)</script> **x** [a](http://e.vil) | cell"


def _sources(markdown: str, lang: str) -> list[str]:
    part = markdown.split(f"## {SOURCES[lang]}\n\n", 1)[1].split("\n\n", 1)[0]
    return [line.removeprefix("- ") for line in part.splitlines()]


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _cells(row: str) -> list[str]:
    """Split a Markdown table row on its unescaped pipes, as a GFM renderer does."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


@pytest.mark.parametrize("lang", LANGS)
def test_register_record_matches_its_snapshot(lang: str) -> None:
    draft = render("consultation_record", BAKERY, OWNER, lang, TODAY, tool="register")
    assert_snapshot(f"consultation_record.register.{lang}.md", draft.markdown)


@pytest.mark.parametrize(("tool", "facts", "lang"), [("erasure", ERASURE, "en"), ("photos", PARTY, "fr")])
def test_other_tools_records_match_their_snapshots(tool: str, facts: dict[str, Any], lang: str) -> None:
    draft = render("consultation_record", facts, OWNER, lang, TODAY, tool=tool)
    assert_snapshot(f"consultation_record.{tool}.{lang}.md", draft.markdown)


@pytest.mark.parametrize(("tool", "case"), DECIDED, ids=[f"{t}:{c['id']}" for t, c in DECIDED])
def test_every_decided_case_of_every_tool_is_recorded(tool: str, case: dict[str, Any]) -> None:
    for lang in LANGS:
        draft = render("consultation_record", case["facts"], OWNER, lang, TODAY, tool=tool)
        text = draft.markdown
        assert format_date(TODAY, lang) in text and draft.verdict["rules_version"] in text
        assert not re.search(r"\{[a-z_]+\}", text), "a reason value was left unfilled"
        for key in case["facts"]:
            assert f"| {key.replace('_', chr(92) + '_')} |" in text, key
        for reason in draft.verdict["reasons"]:
            assert f"({'; '.join(reason['citations'])})" in text
        title = headline(tool, draft.verdict, lang)
        assert title is None or title in text
        assert _sources(text, lang) == draft.citations


def test_at_least_three_tools_are_covered() -> None:
    assert len({tool for tool, _ in DECIDED}) == len(TOOLS) >= 3


def test_reasons_are_said_in_the_language_with_values_filled_in() -> None:
    nl = render("consultation_record", BAKERY, OWNER, "nl", TODAY, tool="register").markdown
    assert "(camerabewaking, facturatie en boekhouding en nieuwsbrief)" in nl
    draft = render("consultation_record", ERASURE, OWNER, "en", TODAY, tool="erasure")
    reasons = draft.markdown.split("## Reasons\n\n", 1)[1].split("\n\n", 1)[0]
    assert "20 December 2026" in reasons  # the deadline date, written out inside the reason sentence
    title = headline("erasure", draft.verdict, "en")
    assert title and title in draft.markdown.split("## Reasons", 1)[0]


def test_facts_table_shows_values_as_given_in_the_language() -> None:
    text = render("consultation_record", ERASURE, OWNER, "fr", TODAY, tool="erasure").markdown
    assert "| request\\_date | 20 novembre 2026 |" in text
    assert "| identity\\_verified | oui |" in text
    assert "{id: nb, type: newsletter\\_subscription}; {id: inv24, type: invoice, year: 2024}" in text
    unknown = render(
        "consultation_record", {**PARTY, "employee_refused": None}, OWNER, "nl", TODAY, tool="photos"
    )
    assert "| employee\\_refused | nog niet gekend |" in unknown.markdown


def test_a_tool_is_required() -> None:
    with pytest.raises(DraftingError, match="--tool"):
        render("consultation_record", BAKERY, OWNER, "en", TODAY)
    with pytest.raises(DraftingError, match="employees"):
        render("consultation_record", {"processing": ["crm"]}, OWNER, "en", TODAY, tool="register")


def test_docx_has_headings_and_both_tables(tmp_path: Path) -> None:
    draft = render("consultation_record", ERASURE, OWNER, "nl", TODAY, tool="erasure")
    word = docx.Document(str(to_docx(draft.document, tmp_path / "record.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Verslag van een raadpleging: verzoek tot wissing"
    assert {"Feiten zoals opgegeven", "Uitkomst", "Redenen", "Bronnen"} <= set(headings)
    facts, outcome = word.tables[0], word.tables[1]
    assert [c.text for c in facts.rows[0].cells] == ["Feit", "Waarde"]
    assert ["request_date", "20 november 2026"] in [[c.text for c in r.cells] for r in facts.rows]
    assert ["deadline_date_latest", "21 december 2026"] in [[c.text for c in r.cells] for r in outcome.rows]
    body = "\n".join(p.text for p in word.paragraphs)
    assert "Datum: 28 november 2026" in body and "Versie van de regels: 2026.11.1" in body


def test_every_citation_is_registered() -> None:
    registry = load_registry()
    for tool, facts in (("register", BAKERY), ("erasure", ERASURE), ("photos", PARTY)):
        for lang in LANGS:
            draft = render("consultation_record", facts, OWNER, lang, TODAY, tool=tool)
            assert draft.citations and set(draft.citations) <= set(registry)
            listed = _sources(draft.markdown, lang)
            assert set(listed) <= set(registry)
            assert set(LABEL.findall(_plain(draft.markdown))) <= set(listed)


def test_hostile_owner_text_is_escaped() -> None:
    owner = {"name": "<script>alert(1)</script> **x** [a](http://e.vil)"}
    text = render("consultation_record", BAKERY, owner, "en", TODAY, tool="register").markdown
    assert "<script>" not in text and "](http://e.vil)" not in text and "**x**" not in text
    assert r"\<script\>" in text


def test_hostile_fact_values_are_escaped_and_keep_the_table_intact() -> None:
    facts = {"robots_txt": f"User-agent: *\nDisallow: /{HOSTILE}\n", "paths": []}
    text = render("consultation_record", facts, OWNER, "en", TODAY, tool="web_exposure").markdown
    assert "<script>" not in text and "](http://e.vil)" not in text and "**x**" not in text
    row = next(line for line in text.splitlines() if line.startswith("| robots\\_txt |"))
    assert len(_cells(row)) == 2
    erasure = {**ERASURE, "data": [{"id": HOSTILE, "type": "other"}], "recipients": []}
    text = render("consultation_record", erasure, OWNER, "en", TODAY, tool="erasure").markdown
    assert "<script>" not in text and "**x**" not in text
    rows = [line for line in text.splitlines() if line.startswith("| data |") or line.startswith("| erase |")]
    assert rows and all(len(_cells(r)) == 2 for r in rows)


def test_same_case_same_content_in_every_language() -> None:
    for tool, facts in (("register", BAKERY), ("erasure", ERASURE), ("photos", PARTY)):
        drafts = {lang: render("consultation_record", facts, OWNER, lang, TODAY, tool=tool) for lang in LANGS}
        sources = {lang: _sources(d.markdown, lang) for lang, d in drafts.items()}
        assert sources["nl"] == sources["fr"] == sources["en"]
        for lang, draft in drafts.items():
            text = _plain(draft.markdown)
            assert format_date(TODAY, lang) in text
            assert set(LABEL.findall(text)) == set(LABEL.findall(_plain(drafts["en"].markdown)))
            for key in facts:
                assert f"| {key} |" in text
            if tool == "erasure":
                assert {"nb", "inv24", "Mailchimp"} <= set(re.findall(r"[A-Za-z0-9]+", text))
                assert format_date("2026-12-21", lang) in text and format_date("2034-12-31", lang) in text


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

    data = yaml.safe_load(WORDING.read_text(encoding="utf-8"))
    walk(data, "consultation_record")
    assert set(data["tools"]) == set(TOOLS)
