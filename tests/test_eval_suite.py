"""`kompas eval`: datasets detected by their fields, the contract's report, the gate, the guards."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import ROOT, run_kompas

from evals import gate, report_md
from evals.suite import (
    CASE_TABLES,
    SuiteError,
    count_citations,
    detect_kind,
    export_rule_cases,
    load_dataset,
    run_suite,
)

DATASETS = ROOT / "evals" / "datasets"


def _first_lines(path: Path, n: int) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[:n]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_each_dataset_format_is_told_by_its_fields() -> None:
    assert detect_kind({"id": "q", "lang": "nl", "question": "?", "topic": "cookies"}) == "questions"
    assert (
        detect_kind({"id": "r", "lang": "nl", "question": "?", "topic": "x", "gold_docs": ["d"]})
        == "retrieval"
    )
    assert detect_kind({"id": "c", "tool": "dpa", "facts": {}, "expected": {}}) == "rule_cases"
    assert (
        detect_kind({"id": "v", "lang": "nl", "context_date": "2026-11-12", "turns": []}) == "conversations"
    )
    assert detect_kind({"id": "x", "tool": "dpa", "facts": {}, "messages": {}}) == "cross_language"
    assert detect_kind({"id": "?", "text": "no format"}) is None
    # The real files are read as what they are.
    kinds = {path.name: load_dataset(path)[0].kind for path in sorted(DATASETS.glob("*.jsonl"))}
    assert kinds["questions.jsonl"] == kinds["questions_holdout.jsonl"] == "questions"
    assert kinds["retrieval.jsonl"] == kinds["retrieval_holdout.jsonl"] == "retrieval"
    assert kinds["conversations.jsonl"] == "conversations"
    assert kinds["rule_cases.jsonl"] == "rule_cases"
    assert kinds["cross_language.jsonl"] == "cross_language"


def test_case_tables_are_read_directly_with_the_tool_named_by_the_file() -> None:
    datasets = load_dataset(CASE_TABLES)
    assert {d.kind for d in datasets} == {"rule_cases"}
    tools = {case.tool for d in datasets for case in d.records}
    assert tools == {p.stem for p in CASE_TABLES.glob("*.yaml")}
    one = load_dataset(CASE_TABLES / "erasure.yaml")[0]
    assert {case.tool for case in one.records} == {"erasure"}


def test_exported_rule_cases_match_the_case_tables(tmp_path: Path) -> None:
    fresh = tmp_path / "rule_cases.jsonl"
    count = export_rule_cases([CASE_TABLES], fresh)
    committed = DATASETS / "rule_cases.jsonl"
    assert count == len(committed.read_text(encoding="utf-8").splitlines())
    assert fresh.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        "evals/datasets/rule_cases.jsonl is stale: run "
        "`kompas eval --export-rule-cases evals/datasets/rule_cases.jsonl`"
    )


def test_a_malformed_line_is_named_by_file_and_line(tmp_path: Path) -> None:
    good = _first_lines(DATASETS / "questions.jsonl", 1)
    bad_json = _write(tmp_path / "bad.jsonl", [*good, "", '{"id": "q2", "question": '])
    with pytest.raises(SuiteError, match=rf"{re.escape(str(bad_json))}:3: not valid JSON"):
        load_dataset(bad_json)
    no_id = _write(
        tmp_path / "no_id.jsonl", [*good, json.dumps({"lang": "nl", "question": "?", "topic": "x"})]
    )
    with pytest.raises(
        SuiteError, match=rf"{re.escape(str(no_id))}:2: invalid questions record: id: Field required"
    ):
        load_dataset(no_id)
    unknown = _write(tmp_path / "unknown.jsonl", [json.dumps({"id": "u", "text": "?"})])
    with pytest.raises(SuiteError, match=rf"{re.escape(str(unknown))}:1: cannot tell the dataset format"):
        load_dataset(unknown)
    mixed = _write(tmp_path / "mixed.jsonl", [*good, *_first_lines(DATASETS / "rule_cases.jsonl", 1)])
    with pytest.raises(
        SuiteError, match=rf"{re.escape(str(mixed))}:2: a rule_cases record in a questions dataset"
    ):
        load_dataset(mixed)


def test_a_bad_case_table_entry_is_named_by_file_and_line(tmp_path: Path) -> None:
    table = tmp_path / "register.yaml"
    table.write_text(
        "- id: fine\n  facts: {employees: 1}\n  expected: {outcome: decided}\n"
        "- id: no-expectation\n  facts: {employees: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(SuiteError, match=rf"{re.escape(str(table))}:4: invalid rule_cases record: expected"):
        load_dataset(table)


def test_a_citation_not_in_the_registry_is_counted() -> None:
    items: list[dict[str, Any]] = [
        {
            "id": "q-1",
            "kind": "question",
            "output": {
                "citations": [
                    {"label": "GDPR Art. 30(5)", "url": "u"},
                    {"label": "GDPR Art. 999", "url": "u"},
                ],
                "verdict": {
                    "citations": ["GDPR Art. 30(5)"],
                    "reasons": [{"code": "X", "citations": ["GDPR Art. 999"]}],
                },
            },
        },
        {
            "id": "conv-1",
            "kind": "conversation",
            "output": None,
            "transcript": [{"assistant": {"citations": []}}],
        },
        {"id": "case-1", "kind": "rule_case", "output": {"citations": ["Belgian Invented Law Art. 1"]}},
    ]
    counted = count_citations(items)
    assert counted["checked"] == 5
    assert counted["unknown"] == 3
    assert counted["unknown_labels"] == {"GDPR Art. 999": 2, "Belgian Invented Law Art. 1": 1}
    assert {w["id"] for w in counted["where"]} == {"q-1", "case-1"}


def _report(**blocks: Any) -> dict[str, Any]:
    return {"citations": {"unknown": 0}, **blocks}


def test_gate_fails_naming_the_metric_and_floor_and_passes_otherwise() -> None:
    thresholds = gate.Thresholds(
        floors={
            "questions.topic_accuracy": 0.9,
            "rule_cases.accuracy": 1.0,
            "conversations.final_verdicts_ok": 0.5,
        },
        ceilings={"citations.unknown": 0},
    )
    low = _report(questions={"topic_accuracy": 0.85}, rule_cases={"accuracy": 1.0})
    result = gate.check(low, thresholds)
    assert not result.passed
    assert [str(m) for m in result.misses] == ["questions.topic_accuracy = 0.85 is below the floor 0.9"]
    assert result.skipped == ["conversations.final_verdicts_ok"]
    assert "FAIL questions.topic_accuracy = 0.85 is below the floor 0.9" in gate.describe(result)

    leaked = gate.check(_report(questions={"topic_accuracy": 0.95}, citations={"unknown": 2}), thresholds)
    assert [str(m) for m in leaked.misses] == ["citations.unknown = 2 is above the ceiling 0"]

    # A metric missing from a kind that ran fails: renaming it must not switch its gate off.
    renamed = gate.check(_report(questions={"topic_acc": 0.95}), thresholds)
    assert [m.metric for m in renamed.misses] == ["questions.topic_accuracy"]

    assert gate.check(
        _report(questions={"topic_accuracy": 0.95}, rule_cases={"accuracy": 1.0}), thresholds
    ).passed


def test_the_repository_thresholds_file_loads() -> None:
    thresholds = gate.load_thresholds(ROOT / "evals" / "thresholds.yaml")
    assert thresholds.floors["questions.language_match"] == 1.0
    assert thresholds.ceilings["citations.unknown"] == 0


def test_eval_cli_writes_the_report_and_exits_1_below_a_floor(tmp_path: Path) -> None:
    cases = [json.loads(line) for line in _first_lines(DATASETS / "rule_cases.jsonl", 2)]
    cases[1]["expected"] = {"outcome": "a value no tool gives"}
    dataset = _write(tmp_path / "cases.jsonl", [json.dumps(c) for c in cases])
    floors = tmp_path / "thresholds.yaml"
    floors.write_text(yaml.safe_dump({"floors": {"rule_cases.accuracy": 0.9}}), encoding="utf-8")

    failed = run_kompas(
        "eval", "--dataset", str(dataset), "--report", str(tmp_path / "r"), "--gate", str(floors)
    )
    assert failed.returncode == 1, failed.stderr
    assert "rule_cases.accuracy = 0.5 is below the floor 0.9" in failed.stdout
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert report["rule_cases"]["failures"][0]["field"] == "outcome"

    floors.write_text(yaml.safe_dump({"floors": {"rule_cases.accuracy": 0.5}}), encoding="utf-8")
    passed = run_kompas(
        "eval", "--dataset", str(dataset), "--report", str(tmp_path / "r"), "--gate", str(floors)
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr

    broken = _write(tmp_path / "broken.jsonl", ["{not json"])
    refused = run_kompas("eval", "--dataset", str(broken), "--report", str(tmp_path / "r"))
    assert refused.returncode == 2 and f"{broken}:1: not valid JSON" in refused.stderr


@pytest.mark.slow
def test_report_has_the_contract_shape_for_every_kind(shared_runtime: Any, tmp_path: Path) -> None:
    # One question per language: the gate holds each language's topic accuracy.
    holdout = _first_lines(DATASETS / "questions_holdout.jsonl", 100)
    questions = [next(line for line in holdout if f'"lang": "{lang}"' in line) for lang in ("nl", "fr", "en")]
    paths = [
        _write(tmp_path / "questions.jsonl", questions),
        _write(tmp_path / "rules.jsonl", _first_lines(DATASETS / "rule_cases.jsonl", 2)),
        _write(tmp_path / "conversations.jsonl", _first_lines(DATASETS / "conversations.jsonl", 1)),
        _write(tmp_path / "cross.jsonl", _first_lines(DATASETS / "cross_language.jsonl", 1)),
        _write(tmp_path / "retrieval.jsonl", _first_lines(DATASETS / "retrieval.jsonl", 2)),
    ]
    report = run_suite(shared_runtime, [d for p in paths for d in load_dataset(p)])

    q = report["questions"]
    assert q["n"] == 3 and set(q["by_lang"]) == {"nl", "fr", "en"}
    assert {"n", "topic_accuracy"} <= set(q["by_lang"]["nl"])
    for key in ("topic_accuracy", "retrieval_hit_at_3", "language_match", "citation_validity"):
        assert 0.0 <= q[key] <= 1.0
    assert set(q["clarification"]) == set(q["out_of_scope"]) == {"precision", "recall"}
    assert set(q["latency_ms"]) == {"p50", "p95"}
    r = report["rule_cases"]
    assert r["n"] == 2 and r["accuracy"] == 1.0 and r["by_tool"] == {"breach": {"n": 2, "accuracy": 1.0}}
    assert r["failures"] == []
    c = report["conversations"]
    assert c["n"] == 1 and {"clarification_turns_ok", "final_verdicts_ok"} <= set(c)
    x = report["cross_language"]
    assert x["n"] == 1 and 0.0 <= x["agreement"] <= 1.0 and set(x["by_lang"]) == {"nl", "fr", "en"}
    assert report["retrieval"]["n"] == 2
    assert report["citations"]["unknown"] == 0 and report["citations"]["checked"] > 0
    kinds = [i["kind"] for i in report["items"]]
    assert sorted(set(kinds)) == ["conversation", "cross_language", "question", "rule_case"]
    assert all({"id", "kind", "ok", "output"} <= set(i) for i in report["items"])
    question = next(i for i in report["items"] if i["kind"] == "question")
    assert {"thread_id", "lang", "kind", "text", "citations", "passages"} <= set(question["output"])

    # Every metric the CI gate holds exists in a report with all kinds (no typo switches a gate off).
    result = gate.check(report, gate.load_thresholds(ROOT / "evals" / "thresholds.yaml"))
    assert [m for m in result.misses if m.value is None] == [] and result.skipped == []

    markdown = report_md.write(report, tmp_path).read_text(encoding="utf-8")
    assert (tmp_path / report_md.LATENCY_PNG).read_bytes().startswith(b"\x89PNG")
    for heading in (
        "## Questions",
        "### Per language",
        "### Topic confusion",
        "## Rule cases",
        "## Answers for review",
    ):
        assert heading in markdown
    assert "must mention" in markdown and question["output"]["text"].splitlines()[0][:40] in markdown
