"""Turn cards: verdict first, sources and passages as blocks, drafts as downloadable files."""

from __future__ import annotations

from pathlib import Path

from assistant.turn import CitationRef, Option, Turn
from assistant.web.cards import turn_reply

VERDICT_TEXT = "\n\n".join(
    [
        "_U weet het niet zeker; ik ga uit van de veilige kant._",
        "**U moet een register bijhouden.**",
        "- U verwerkt regelmatig persoonsgegevens.\n- Een nieuwsbrief loopt doorlopend.",
        "**Wat u nu doet**\n1. Maak een lijst van uw verwerkingen.",
        "**Uit de gids**",
        "> _Register › Wie_\n>\n> Elke onderneming die regelmatig gegevens verwerkt …",
        "**Bronnen**\n- [GDPR Art. 30(5)](https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_30)",
        'Zal ik dit voor u uitschrijven als registerregels? Zeg "maak het document" of klik hieronder.',
        "_Kompas geeft praktische informatie, geen juridisch advies._",
    ]
)
CITATION = CitationRef(label="GDPR Art. 30(5)", url="https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_30")


def _verdict() -> Turn:
    return Turn(
        thread_id="t",
        lang="nl",
        topic="register",
        kind="verdict",
        text=VERDICT_TEXT,
        options=[Option(value="draft", label="Maak het document")],
        citations=[CITATION],
    )


def test_verdict_card_puts_the_verdict_first_then_why_then_what_to_do() -> None:
    reply = turn_reply(_verdict())
    content = reply.content
    order = ["#### Oordeel", "**U moet een register bijhouden.**", "_U weet het niet zeker", "#### Waarom"]
    positions = [content.index(part) for part in order]
    assert positions == sorted(positions)
    assert content.index("**Wat u nu doet**") > content.index("#### Waarom")
    # The disclaimer stays last; nothing is invented or dropped from the body.
    assert content.rstrip().endswith("_Kompas geeft praktische informatie, geen juridisch advies._")
    assert "Bronnen" not in content and "Uit de gids" not in content


def test_sources_and_passages_become_blocks_with_links() -> None:
    blocks = {b.name: b for b in turn_reply(_verdict()).blocks}
    assert blocks["Bronnen"].content == f"- [GDPR Art. 30(5)]({CITATION.url})"
    assert blocks["Uit de gids"].content.startswith("> _Register › Wie_")
    assert all(b.display == "inline" for b in blocks.values())


def test_options_become_buttons_that_answer_the_conversation() -> None:
    reply = turn_reply(_verdict())
    assert [(b.callback, b.label, b.payload["value"]) for b in reply.buttons] == [
        ("choose", "Maak het document", "draft")
    ]


def test_a_clarification_keeps_its_text_and_offers_its_choices() -> None:
    turn = Turn(
        thread_id="t",
        lang="fr",
        kind="clarification",
        text="Pour vous répondre correctement, il me faut encore :\n\n1. Combien ?",
        options=[Option(value="employees:0", label="Aucun salarié")],
    )
    reply = turn_reply(turn)
    assert reply.content == turn.text
    assert reply.buttons[0].payload == {"value": "employees:0", "label": "Aucun salarié"}
    assert reply.blocks == [] and reply.files == []


def test_an_unknown_verdict_shape_is_shown_as_it_is() -> None:
    turn = Turn(thread_id="t", lang="en", kind="verdict", text="- only a list\n- of reasons")
    assert turn_reply(turn).content == turn.text


def test_a_draft_offers_its_files_and_its_full_text_beside_the_chat(tmp_path: Path) -> None:
    files = {}
    for ext in ("md", "docx", "csv"):
        files[ext] = tmp_path / f"register_entries.nl.{ext}"
        files[ext].write_text("x", encoding="utf-8")
    turn = Turn(
        thread_id="t",
        lang="nl",
        kind="draft",
        text="Hier zijn uw registerregels.\n\n---\n\n# Register\n\n| a | b |",
        artefact={
            "type": "register_entries",
            "format": "md",
            "path": str(files["md"]),
            "docx_path": str(files["docx"]),
            "csv_path": str(files["csv"]),
        },
    )
    reply = turn_reply(turn)
    assert [f.name for f in reply.files] == [
        "register_entries.nl.docx",
        "register_entries.nl.md",
        "register_entries.nl.csv",
    ]
    assert reply.files[0].mime.endswith("wordprocessingml.document")
    assert reply.content.startswith("Hier zijn uw registerregels.")
    assert "Download het document:" in reply.content
    assert [(b.display, b.content) for b in reply.blocks] == [("side", "# Register\n\n| a | b |")]


def test_a_draft_whose_files_are_gone_shows_its_text(tmp_path: Path) -> None:
    turn = Turn(
        thread_id="t",
        lang="en",
        kind="draft",
        text="Here is your reply letter.\n\n---\n\n# Letter",
        artefact={"type": "erasure_reply", "path": str(tmp_path / "gone.md")},
    )
    reply = turn_reply(turn)
    assert reply.content == turn.text and reply.files == []
