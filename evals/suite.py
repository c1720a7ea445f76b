"""Run any mix of eval datasets (contracts §4), each detected by its fields, into one report."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from assistant.runtime import Runtime
from assistant.settings import Settings
from evals import conversations, cross_language, questions, retrieval
from evals.rule_cases import as_json, mismatches
from knowledge.citations import load_registry
from knowledge.search import Mode
from tools.registry import TOOLS, known_tool

Kind = Literal["questions", "rule_cases", "conversations", "retrieval", "cross_language"]
# The order the report lists the kinds in (the contract's first, then the additions).
KINDS: tuple[Kind, ...] = ("questions", "rule_cases", "conversations", "cross_language", "retrieval")
CASE_TABLES = Path(__file__).resolve().parent.parent / "tests" / "tools" / "cases"
# The assistant's own retrieval mode: the eval measures what owners get.
RETRIEVAL_MODE: Mode = "hybrid"


class SuiteError(ValueError):
    """A dataset or threshold file that cannot be used; the message names the file and line."""


class RuleCase(BaseModel):
    """One row of a tool's case table: facts in, expected verdict fields out."""

    model_config = ConfigDict(extra="ignore")

    id: str
    tool: Annotated[str, AfterValidator(known_tool)]
    facts: dict[str, Any]
    expected: dict[str, Any]
    accept_also: dict[str, list[Any]] | None = None


class ScriptTurn(BaseModel):
    """One turn of a conversation script: what the user says or what the assistant must do."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant"]
    text: str | None = None
    expected: dict[str, Any] | None = None


class Conversation(BaseModel):
    """A scripted conversation (contracts §4, conversations)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    lang: str
    context_date: dt.date | None = None
    turns: list[ScriptTurn] = Field(min_length=1)


MODELS: dict[Kind, type[BaseModel]] = {
    "questions": questions.Question,
    "rule_cases": RuleCase,
    "conversations": Conversation,
    "retrieval": retrieval.RetrievalQuestion,
    "cross_language": cross_language.CrossLanguageCase,
}


class Dataset(BaseModel):
    """The validated records of one dataset file, all of one kind."""

    path: str
    kind: Kind
    records: list[Any]


def detect_kind(record: Mapping[str, Any]) -> Kind | None:
    """Return the dataset kind a record's fields mark it as, or None when they fit none."""
    keys = set(record)
    if "turns" in keys:
        return "conversations"
    if {"tool", "messages"} <= keys:
        return "cross_language"
    if {"tool", "facts", "expected"} <= keys:
        return "rule_cases"
    # Retrieval questions also carry question and topic; their gold pages set them apart.
    if {"question", "gold_docs"} <= keys:
        return "retrieval"
    if {"question", "topic"} <= keys:
        return "questions"
    return None


def _errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(record)'}: {e['msg']}" for e in exc.errors())


def _validate(kind: Kind, raw: dict[str, Any], where: str) -> Any:
    try:
        return MODELS[kind].model_validate(raw)
    except ValidationError as exc:
        raise SuiteError(f"{where}: invalid {kind} record: {_errors(exc)}") from None


def _load_jsonl(path: Path) -> Dataset:
    kind: Kind | None = None
    records: list[Any] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SuiteError(f"{where}: not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(raw, dict):
            raise SuiteError(f"{where}: a record must be a JSON object")
        found = detect_kind(raw)
        if found is None:
            raise SuiteError(
                f"{where}: cannot tell the dataset format from the fields {sorted(raw)}; expected "
                "questions (question, topic), rule cases (tool, facts, expected), conversations "
                "(turns), retrieval (question, gold_docs) or cross-language cases (tool, messages)"
            )
        if kind is not None and found != kind:
            raise SuiteError(f"{where}: a {found} record in a {kind} dataset; keep one format per file")
        kind = found
        records.append(_validate(found, raw, where))
    if kind is None:
        raise SuiteError(f"{path}: no records")
    return Dataset(path=str(path), kind=kind, records=records)


def _case_table_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Return each case of a YAML table with its file:line, as JSON values with its tool named."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuiteError(f"cannot read case table {path}: {exc.strerror}") from None
    try:
        raw = yaml.safe_load(text)
        # The node tree gives each case's line, so an error points into the table.
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, list) or node is None:
        raise SuiteError(f"{path}: a case table is a YAML list of cases")
    rows = []
    for case, item in zip(raw, node.value, strict=True):
        where = f"{path}:{item.start_mark.line + 1}"
        if not isinstance(case, dict):
            raise SuiteError(f"{where}: a case must be a mapping")
        # A table is one tool's, named by its file; YAML dates become the ISO strings of JSON.
        rows.append((where, as_json({"id": case.get("id"), "tool": path.stem, **case})))
    return rows


def _load_case_table(path: Path) -> Dataset:
    records = [_validate("rule_cases", row, where) for where, row in _case_table_rows(path)]
    return Dataset(path=str(path), kind="rule_cases", records=records)


def load_dataset(path: Path) -> list[Dataset]:
    """Read a JSONL dataset, a YAML case table or a folder of case tables."""
    if path.is_dir():
        tables = sorted(path.glob("*.yaml"))
        if not tables:
            raise SuiteError(f"{path}: a dataset folder must hold case tables (*.yaml)")
        return [_load_case_table(table) for table in tables]
    try:
        if path.suffix in (".yaml", ".yml"):
            return [_load_case_table(path)]
        return [_load_jsonl(path)]
    except OSError as exc:
        raise SuiteError(f"cannot read dataset {path}: {exc.strerror}") from None


def export_rule_cases(sources: list[Path], out: Path) -> int:
    """Write case tables (files or folders) as one rule-cases JSONL file; return the case count."""
    tables = [t for src in sources for t in (sorted(src.glob("*.yaml")) if src.is_dir() else [src])]
    rows = []
    for table in tables:
        for where, row in _case_table_rows(table):
            _validate("rule_cases", row, where)
            # Sources and notes travel along: the export documents its cases like the tables do.
            rows.append(row)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return len(rows)


def citation_labels(value: Any) -> Iterator[str]:
    """Yield every citation label in a turn, verdict or transcript, however deeply nested."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if key == "citations" and isinstance(sub, list):
                for cite in sub:
                    if isinstance(cite, str):
                        yield cite
                    elif isinstance(cite, dict) and isinstance(cite.get("label"), str):
                        yield cite["label"]
            else:
                yield from citation_labels(sub)
    elif isinstance(value, list):
        for sub in value:
            yield from citation_labels(sub)


def count_citations(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Count the citations of every item's turns and verdicts that the registry does not hold."""
    registry = load_registry()
    seen = 0
    unknown: Counter[str] = Counter()
    where: list[dict[str, str]] = []
    for item in items:
        labels = list(citation_labels({k: v for k, v in item.items() if k in ("output", "transcript")}))
        seen += len(labels)
        for label in labels:
            if label not in registry:
                unknown[label] += 1
                where.append({"id": str(item["id"]), "kind": str(item["kind"]), "label": label})
    return {
        "checked": seen,
        "unknown": sum(unknown.values()),
        "unknown_labels": dict(unknown),
        "where": where,
    }


def _rate(ok: int, total: int) -> float:
    return round(ok / total, 3) if total else 1.0


def _run_questions(runtime: Runtime, sets: list[Dataset]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    records = [q for d in sets for q in d.records]
    block = questions.evaluate(runtime, records)
    items: list[dict[str, Any]] = block.pop("items")
    sources = [d.path for d in sets for _ in d.records]
    per_file: dict[str, list[bool]] = defaultdict(list)
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for item, record, source in zip(items, records, sources, strict=True):
        got = str(item["output"].get("topic") or "(none)")
        per_file[source].append(got == item["expected_topic"])
        confusion[item["expected_topic"]][got] += 1
        item.update(dataset=source, question=record.question)
    block["by_dataset"] = {
        path: {"n": len(oks), "topic_accuracy": _rate(sum(oks), len(oks))} for path, oks in per_file.items()
    }
    block["confusion"] = {gold: dict(sorted(row.items())) for gold, row in sorted(confusion.items())}
    return block, items


def _run_rule_cases(sets: list[Dataset]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    items: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    per_tool: dict[str, list[bool]] = defaultdict(list)
    for dataset in sets:
        for case in dataset.records:
            spec = TOOLS[case.tool]
            verdict: dict[str, Any] | None = None
            try:
                verdict = spec.assess(spec.facts_model.model_validate(case.facts)).model_dump(mode="json")
                wrong = mismatches(case.expected, verdict, case.accept_also)
            except ValidationError as exc:
                # Facts the tool no longer accepts are a failing case, not a crashed suite.
                wrong = [{"field": "facts", "expected": "valid facts", "got": _errors(exc)}]
            per_tool[case.tool].append(not wrong)
            failures += [{"id": case.id, "tool": case.tool, **w} for w in wrong]
            items.append(
                {
                    "id": case.id,
                    "kind": "rule_case",
                    "tool": case.tool,
                    "ok": not wrong,
                    "dataset": dataset.path,
                    "expected": case.expected,
                    "mismatches": wrong,
                    "output": verdict,
                }
            )
    every = [ok for oks in per_tool.values() for ok in oks]
    block = {
        "n": len(every),
        "accuracy": _rate(sum(every), len(every)),
        "by_tool": {
            t: {"n": len(oks), "accuracy": _rate(sum(oks), len(oks))} for t, oks in sorted(per_tool.items())
        },
        "failures": failures,
    }
    return block, items


def _run_conversations(runtime: Runtime, sets: list[Dataset]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    items: list[dict[str, Any]] = []
    clar = [0, 0]
    final = [0, 0]
    for dataset in sets:
        for script in dataset.records:
            result = conversations.run(runtime, script.model_dump(mode="json", exclude_none=True))
            clar = [clar[0] + result["clarification"][0], clar[1] + result["clarification"][1]]
            final = [final[0] + result["final"][0], final[1] + result["final"][1]]
            transcript = result["transcript"]
            items.append(
                {
                    "id": script.id,
                    "kind": "conversation",
                    "lang": script.lang,
                    "ok": result["ok"],
                    "dataset": dataset.path,
                    "problems": result["problems"],
                    "output": transcript[-1]["assistant"] if transcript else None,
                    "transcript": transcript,
                }
            )
    block = {
        "n": len(items),
        "clarification_turns_ok": _rate(*clar),
        "final_verdicts_ok": _rate(*final),
        "conversations_ok": _rate(sum(i["ok"] for i in items), len(items)),
        "clarification_turns": clar[1],
        "final_verdicts": final[1],
        "failures": [{"id": i["id"], "problems": i["problems"]} for i in items if not i["ok"]],
    }
    return block, items


def _run_cross_language(runtime: Runtime, sets: list[Dataset]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    block = cross_language.evaluate(runtime, [c for d in sets for c in d.records])
    items = [
        {
            "id": r["id"],
            "kind": "cross_language",
            "tool": r["tool"],
            "ok": r["agree"] and all(r["matches_reference"].values()),
            "output": {k: r[k] for k in ("fields", "agree", "matches_reference", "reference", "by_lang")},
        }
        for r in block.pop("results")
    ]
    return block, items


def _run_retrieval(runtime: Runtime, sets: list[Dataset]) -> dict[str, Any]:
    return retrieval.evaluate(runtime.searcher, [q for d in sets for q in d.records], RETRIEVAL_MODE)


def run_suite(runtime: Runtime, datasets: list[Dataset]) -> dict[str, Any]:
    """Run every dataset through the real graph and tools and return the report (contracts §4)."""
    started = time.perf_counter()
    by_kind: dict[Kind, list[Dataset]] = defaultdict(list)
    for dataset in datasets:
        by_kind[dataset.kind].append(dataset)
    report: dict[str, Any] = {}
    items: list[dict[str, Any]] = []
    for kind in KINDS:
        sets = by_kind.get(kind)
        if not sets:
            continue
        if kind == "questions":
            report[kind], found = _run_questions(runtime, sets)
        elif kind == "rule_cases":
            report[kind], found = _run_rule_cases(sets)
        elif kind == "conversations":
            report[kind], found = _run_conversations(runtime, sets)
        elif kind == "cross_language":
            report[kind], found = _run_cross_language(runtime, sets)
        else:
            report[kind], found = _run_retrieval(runtime, sets), []
        items += found
    report["citations"] = count_citations(items)
    report["datasets"] = [{"path": d.path, "kind": d.kind, "n": len(d.records)} for d in datasets]
    report["run"] = {
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "today": runtime.settings.resolved_today().isoformat(),
    }
    report["items"] = items
    return report


def eval_runtime(settings: Settings, scratch: Path) -> Runtime:
    """Return a runtime on the real model and index whose threads and drafts stay in ``scratch``."""
    # Eval threads and drafted letters are throwaway: keep them out of the owner's chat history.
    return Runtime(
        settings.model_copy(
            update={
                "data_dir": scratch,
                "embedding_model": settings.model_path,
                "chroma": settings.chroma_location,
                "checkpointer": str(scratch / "checkpoints.sqlite"),
            }
        )
    )


def run_eval(settings: Settings, paths: list[Path], report_dir: Path, gate_path: Path | None = None) -> int:
    """Run the suite, write report.json and report.md, print the headline; 1 when the gate fails."""
    from evals import gate, report_md

    datasets = [d for path in paths for d in load_dataset(path)]
    thresholds = gate.load_thresholds(gate_path) if gate_path else None
    with tempfile.TemporaryDirectory(prefix="kompas-eval-") as scratch:
        runtime = eval_runtime(settings, Path(scratch))
        # Rule cases need only the tools; anything else loads the model and index up front.
        if any(d.kind != "rule_cases" for d in datasets):
            runtime.warm_up()
        report = run_suite(runtime, datasets)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    markdown = report_md.write(report, report_dir)
    print(report_md.headline(report))
    print(f"report: {report_dir / 'report.json'}, {markdown}")
    if thresholds is None:
        return 0
    result = gate.check(report, thresholds)
    print(gate.describe(result))
    return 0 if result.passed else 1
