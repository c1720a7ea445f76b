"""Every ``kompas`` command works end to end in a fresh process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import run_kompas

from knowledge.corpus import CORPUS_DIR


def test_assess_prints_the_verdict_as_json() -> None:
    result = run_kompas("assess", "register", "--facts", "-", stdin='{"employees": 1, "processing": ["crm"]}')
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["tool"] == "register" and verdict["required"] == "likely"


def test_assess_names_the_bad_field_and_exits_2(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text('{"employees": "veel", "kleur": 1}')
    result = run_kompas("assess", "register", "--facts", str(facts))
    assert result.returncode == 2
    assert "employees" in result.stderr and "kleur" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_kompas("assess", "nope", "--facts", str(facts))
    assert missing.returncode == 2 and "known tools: breach, cookie_banner" in missing.stderr


def test_assess_list_shows_each_facts_schema() -> None:
    result = run_kompas("assess", "--list")
    assert result.returncode == 0
    listing = json.loads(result.stdout)
    assert "employees" in listing["register"]["facts"]["properties"]
    assert set(listing) == {
        "register",
        "dpa",
        "erasure",
        "photos",
        "cookie_banner",
        "breach",
        "web_exposure",
        "vendor_exit",
    }


def test_assess_explain_speaks_the_chosen_language() -> None:
    facts = (
        '{"request_date": "2026-01-31", "today": "2026-02-02", "identity_verified": true, '
        '"data": [{"id": "nl1", "type": "newsletter_subscription"}], "also_objects_to_marketing": false}'
    )
    result = run_kompas("assess", "erasure", "--facts", "-", "--explain", "--lang", "fr", stdin=facts)
    assert result.returncode == 0, result.stderr
    assert "GDPR Art. 12(3)" in result.stdout and "mois" in result.stdout


@pytest.mark.slow
def test_ask_continues_a_thread_across_processes(built_index: Path, tmp_path: Path) -> None:
    env = {"KOMPAS_CHROMA": str(built_index), "KOMPAS_CHECKPOINTER": str(tmp_path / "chk.sqlite")}
    first = run_kompas(
        "ask", "Moet ik een verwerkingsregister bijhouden?", "--thread", "T", "--json", env=env
    )
    assert first.returncode == 0, first.stderr
    turn = json.loads(first.stdout)
    assert turn["kind"] == "clarification" and turn["thread_id"] == "T"
    assert set(turn) >= {
        "thread_id",
        "lang",
        "topic",
        "kind",
        "text",
        "asks",
        "options",
        "verdict",
        "artefact",
        "citations",
        "passages",
    }

    second = run_kompas("ask", "nieuwsbrief, geen personeel", "--thread", "T", "--json", env=env)
    assert second.returncode == 0, second.stderr
    turn = json.loads(second.stdout)
    assert turn["kind"] == "verdict" and turn["verdict"]["required"] == "likely"
    assert turn["citations"][0]["url"].startswith("https://")


@pytest.mark.slow
def test_index_command_builds_then_skips(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR / "register", corpus / "register")
    env = {"KOMPAS_CHROMA": str(tmp_path / "chroma"), "KOMPAS_CORPUS_DIR": str(corpus)}
    first = run_kompas("index", env=env)
    assert first.returncode == 0, first.stderr
    assert " 0 unchanged" in first.stdout
    again = run_kompas("index", env=env)
    assert again.returncode == 0 and " 0 embedded" in again.stdout


@pytest.mark.slow
def test_ask_without_index_says_how_to_build_it(tmp_path: Path) -> None:
    result = run_kompas(
        "ask", "Moet ik een register bijhouden?", env={"KOMPAS_CHROMA": str(tmp_path / "none")}
    )
    assert result.returncode == 2
    assert "kompas index" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_chat_answers_in_the_terminal(index_copy: Path, tmp_path: Path) -> None:
    env = {"KOMPAS_CHROMA": str(index_copy), "KOMPAS_CHECKPOINTER": str(tmp_path / "c.sqlite")}
    script = "Dois-je tenir un registre des traitements ?\nnewsletter, sans personnel\n"
    result = run_kompas("chat", env=env, stdin=script)
    assert result.returncode == 0, result.stderr
    assert "Combien de personnes" in result.stdout
    assert "registre des activités de traitement" in result.stdout


def test_tools_package_is_ours_not_a_dependencys() -> None:
    import tools

    assert Path(tools.__file__).resolve().is_relative_to(Path(__file__).resolve().parents[1])


def test_draft_writes_a_docx_and_lists_what_to_fill_in(tmp_path: Path) -> None:
    import docx

    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "request_date": "2026-11-20",
                "today": "2026-11-28",
                "identity_verified": True,
                "data": [
                    {"id": "shop", "type": "webshop_account"},
                    {"id": "f", "type": "invoice", "year": 2024},
                ],
            }
        )
    )
    out = tmp_path / "reply.docx"
    result = run_kompas(
        "draft", "erasure_reply", "--facts", str(facts), "--lang", "nl", "--format", "docx", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "naam van uw zaak" in result.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "uw account in onze webshop" in text
    wrong = run_kompas("draft", "erasure_reply", "--facts", str(facts), "--format", "csv")
    assert wrong.returncode == 2 and "not csv" in wrong.stderr


def test_an_unexpected_error_is_reported_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant import cli

    def broken(_args: object) -> int:
        raise RuntimeError("secret customer text")

    monkeypatch.setattr(cli, "cmd_assess", broken)
    code = cli.main(["assess", "--list"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_INTERNAL
    assert "internal error (RuntimeError)" in err
    assert "Traceback" not in err and "secret customer text" not in err
