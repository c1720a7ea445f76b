"""The ``kompas`` command line: index, ask, assess, chat, serve."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

EXIT_USAGE = 2
# An error of ours, not of the input: reported without a traceback.
EXIT_INTERNAL = 3


class CliError(Exception):
    """A user error: printed without a traceback, exit code 2."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.split("T", 1)[0])
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _settings() -> Any:
    from assistant.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        raise CliError(_fields("invalid KOMPAS_ setting", exc)) from exc


def _fields(what: str, exc: ValidationError) -> str:
    details = "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(facts)'}: {err['msg']}" for err in exc.errors()
    )
    return f"{what}: {details}"


def cmd_index(args: argparse.Namespace) -> int:
    """Build or update the vector index of the corpus."""
    from tqdm import tqdm

    from knowledge.embedding import ensure_model, get_embedder
    from knowledge.index import build_index

    settings = _settings()
    embedder = get_embedder(ensure_model(settings.model_path))
    report = build_index(
        settings.chroma_location,
        settings.collection,
        embedder,
        corpus_root=settings.corpus_dir,
        rebuild=args.rebuild,
        progress=lambda total: tqdm(total=total, desc="embedding", unit="chunk", file=sys.stderr),
    )
    print(
        f"index: {report.chunks} chunks, {report.embedded} embedded, {report.unchanged} unchanged, "
        f"{report.deleted} deleted in {report.seconds:.2f}s (model {report.model})"
    )
    return 0


def _runtime(today: dt.date | None = None) -> Any:
    from assistant.runtime import Runtime, set_runtime

    settings = _settings()
    if today is not None:
        settings = settings.model_copy(update={"today": today})
    runtime = Runtime(settings)
    set_runtime(runtime)
    return runtime


def cmd_ask(args: argparse.Namespace) -> int:
    """Run one conversation turn and print it."""
    from assistant.conversation import ask

    runtime = _runtime(args.today)
    turn = ask(args.text, thread_id=args.thread, lang=args.lang, today=args.today, runtime=runtime)
    if args.json:
        print(turn.model_dump_json(indent=2))
    else:
        print(turn.text)
        for option in turn.options:
            print(f"  [{option.value}] {option.label}")
        print(f"\n(thread {turn.thread_id})", file=sys.stderr)
    return 0


def _read_facts(source: str) -> Any:
    try:
        raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read facts file {source}: {exc.strerror}") from exc
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CliError(f"facts in {source} are not valid JSON: {exc}") from exc


def cmd_assess(args: argparse.Namespace) -> int:
    """Print a rule tool's verdict for the given facts as JSON."""
    from tools.base import ToolError
    from tools.registry import TOOLS, get_tool

    if args.list:
        listing = {
            name: {"summary": spec.summary.strip(), "facts": spec.facts_model.model_json_schema()}
            for name, spec in TOOLS.items()
        }
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return 0
    if not args.tool or not args.facts:
        raise CliError("usage: kompas assess TOOL --facts FILE|-   (or kompas assess --list)")
    try:
        spec = get_tool(args.tool)
    except ToolError as exc:
        raise CliError(str(exc)) from exc
    facts = _read_facts(args.facts)
    if not isinstance(facts, dict):
        raise CliError("facts must be a JSON object")
    try:
        verdict = spec.assess(spec.facts_model.model_validate(facts))
    except ValidationError as exc:
        raise CliError(_fields(f"invalid facts for {args.tool}", exc)) from exc
    if args.explain:
        from tools.explain import explain

        print(explain(verdict, args.lang))
    else:
        print(verdict.model_dump_json(indent=2))
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft an artefact (letter, checklist, report, register entries) from a tool's facts."""
    from tools.drafting.artefacts import get_artefact, render
    from tools.drafting.document import to_csv, to_docx

    spec = get_artefact(args.artefact)
    if args.format not in spec.formats:
        raise CliError(f"{args.artefact} comes as {', '.join(spec.formats)}, not {args.format}")
    if args.format == "docx" and not args.out:
        raise CliError("a DOCX draft needs --out PATH")
    facts = _read_facts(args.facts)
    owner = _read_facts(args.owner) if args.owner else None
    if not isinstance(facts, dict) or (owner is not None and not isinstance(owner, dict)):
        raise CliError("facts and owner details must be JSON objects")
    today = args.today or _settings().today
    try:
        draft = render(args.artefact, facts, owner, args.lang, today, tool=args.tool)
    except ValidationError as exc:
        raise CliError(_fields(f"invalid facts for {spec.tool or args.tool}", exc)) from exc
    if args.format == "docx":
        to_docx(draft.document, Path(args.out))
    else:
        content = draft.markdown if args.format == "md" else to_csv(draft.document)
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(content, encoding="utf-8")
        else:
            sys.stdout.write(content)
    if args.out:
        print(f"written: {args.out}", file=sys.stderr)
    if draft.unresolved:
        print("to fill in: " + "; ".join(draft.unresolved), file=sys.stderr)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Talk with Kompas in the terminal."""
    import uuid

    from assistant.conversation import ask
    from assistant.errors import InputError

    runtime = _runtime(args.today)
    thread = args.thread or uuid.uuid4().hex
    print("Kompas — typ je vraag / posez votre question / ask your question (Ctrl-D to stop).")
    while True:
        try:
            line = input("> ")
        except EOFError:
            print()
            return 0
        try:
            turn = ask(line, thread_id=thread, lang=args.lang, today=args.today, runtime=runtime)
        except InputError as exc:
            print(str(exc))
            continue
        print(turn.text)
        for option in turn.options:
            print(f"  [{option.value}] {option.label}")


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the web chat (Chainlit) on the given port."""
    app = Path(__file__).with_name("app.py")
    env = dict(os.environ)
    # The project root holds the Chainlit config we ship; fall back to the working directory.
    root = Path(__file__).resolve().parent.parent
    default_root = root if (root / ".chainlit" / "config.toml").is_file() else Path.cwd()
    env.setdefault("CHAINLIT_APP_ROOT", str(default_root))
    env.pop("LITERAL_API_KEY", None)  # never send chats to a hosted service
    cmd = [sys.executable, "-m", "chainlit", "run", str(app), "--headless", "--host", args.host]
    cmd += ["--port", str(args.port)]
    sys.stdout.flush()
    # Replace this process, so signals (Ctrl-C, a supervisor's SIGTERM) reach the server itself.
    os.execve(sys.executable, cmd, env)


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    """Measure retrieval quality on a labelled dev set (dense, BM25 and fused)."""
    from evals.retrieval import evaluate, load_questions
    from knowledge.search import Mode

    runtime = _runtime()
    try:
        questions = load_questions(Path(args.dataset))
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read dataset: {exc}") from exc
    modes: list[Mode] = ["dense", "bm25", "hybrid"] if args.mode == "all" else [args.mode]
    results = [evaluate(runtime.searcher, questions, mode) for mode in modes]
    for result in results:
        if not args.misses:
            result.pop("misses")
    print(json.dumps(results if len(results) > 1 else results[0], indent=2, ensure_ascii=False))
    return 0


def cmd_eval_questions(args: argparse.Namespace) -> int:
    """Score single-turn questions: topic, clarification, out of scope, language, latency."""
    from evals.questions import evaluate, load

    runtime = _runtime()
    try:
        questions = load(Path(args.dataset))
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read dataset: {exc}") from exc
    runtime.warm_up()
    report = evaluate(runtime, questions)
    if not args.items:
        failed = [i for i in report.pop("items") if not i["ok"]]
        report["failed"] = [
            {
                "id": i["id"],
                "expected": i["expected_topic"],
                "got": i["output"]["topic"],
                "kind": i["output"]["kind"],
            }
            for i in failed
        ]
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Run the eval suite on datasets, write the report and gate on thresholds (exit 1 below)."""
    from evals.gate import GateError
    from evals.suite import CASE_TABLES, SuiteError, export_rule_cases, run_eval

    try:
        if args.export_rule_cases:
            sources = [Path(p) for p in args.dataset or [CASE_TABLES]]
            count = export_rule_cases(sources, Path(args.export_rule_cases))
            print(f"exported {count} rule cases to {args.export_rule_cases}")
            return 0
        if not args.dataset or not args.report:
            raise CliError("usage: kompas eval --dataset PATH [--dataset PATH ...] --report DIR [--gate F]")
        settings = _settings()
        if args.today is not None:
            settings = settings.model_copy(update={"today": args.today})
        gate = Path(args.gate) if args.gate else None
        return run_eval(settings, [Path(p) for p in args.dataset], Path(args.report), gate)
    except (SuiteError, GateError) as exc:
        raise CliError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``kompas``."""
    parser = argparse.ArgumentParser(prog="kompas", description="Offline GDPR assistant for Belgian SMEs.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build or update the knowledge-base index")
    p.add_argument("--rebuild", action="store_true", help="drop the index and build it from scratch")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="run one conversation turn")
    p.add_argument("text")
    p.add_argument("--thread", help="continue this conversation")
    p.add_argument("--lang", choices=["nl", "fr", "en"], help="reply in this language")
    p.add_argument("--today", type=_date, help="fix 'today' (YYYY-MM-DD[THH:MM])")
    p.add_argument("--json", action="store_true", help="print the turn as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("assess", help="run a rule tool on facts (JSON)")
    p.add_argument("tool", nargs="?")
    p.add_argument("--facts", help="JSON file with the facts, or - for standard input")
    p.add_argument("--list", action="store_true", help="list the tools and their facts schemas")
    p.add_argument("--explain", action="store_true", help="print the reasoning trail instead of JSON")
    p.add_argument("--lang", choices=["nl", "fr", "en"], default="nl", help="language of --explain")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("draft", help="draft a letter, checklist, report or register entries")
    p.add_argument("artefact")
    p.add_argument("--facts", required=True, help="the tool's facts as JSON (file or -)")
    p.add_argument("--owner", help="JSON file with your details (name, address, contact, signatory)")
    p.add_argument("--tool", help="the tool whose verdict a consultation_record records")
    p.add_argument("--lang", choices=["nl", "fr", "en"], default="nl")
    p.add_argument("--format", choices=["md", "docx", "csv"], default="md")
    p.add_argument("--out", help="file to write (standard output for md/csv when left out)")
    p.add_argument("--today", type=_date, help="date of the letter (YYYY-MM-DD)")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("eval-retrieval", help="measure retrieval on a labelled dev set")
    p.add_argument("--dataset", default="evals/datasets/retrieval.jsonl")
    p.add_argument("--mode", choices=["dense", "bm25", "hybrid", "all"], default="all")
    p.add_argument("--misses", action="store_true", help="list the questions that missed")
    p.set_defaults(func=cmd_eval_retrieval)

    p = sub.add_parser("eval-questions", help="score single-turn questions (topic, clarification, scope)")
    p.add_argument("--dataset", default="evals/datasets/questions.jsonl")
    p.add_argument("--items", action="store_true", help="include every turn in the output")
    p.set_defaults(func=cmd_eval_questions)

    p = sub.add_parser("eval", help="run the eval suite on datasets and write a report (contracts §4)")
    p.add_argument("--dataset", action="append", help="JSONL dataset, case table or folder (repeatable)")
    p.add_argument("--report", help="folder for report.json, report.md and charts")
    p.add_argument("--gate", help="thresholds YAML: exit 1 when a metric falls below its floor")
    p.add_argument("--today", type=_date, help="fix 'today' for single questions (YYYY-MM-DD)")
    p.add_argument("--export-rule-cases", metavar="OUT", help="write the case tables as rule-cases JSONL")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("chat", help="chat in the terminal")
    p.add_argument("--thread")
    p.add_argument("--lang", choices=["nl", "fr", "en"])
    p.add_argument("--today", type=_date)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("serve", help="start the web chat")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    return parser


def _check_shadowing() -> None:
    """Refuse to run when a dependency's top-level ``tools`` package hides ours."""
    import tools

    here = Path(__file__).resolve().parent.parent
    origin = Path(tools.__file__ or "").resolve()
    if not origin.is_relative_to(here):
        raise CliError(
            f"the package 'tools' is loaded from {origin}, not from Kompas ({here}); "
            "a dependency installs a conflicting top-level 'tools'. Reinstall with `make install`."
        )


def main(argv: list[str] | None = None) -> int:
    """Run the ``kompas`` command line."""
    from knowledge import offline  # noqa: F401

    args = build_parser().parse_args(argv)
    from assistant.logs import setup_logging

    setup_logging(os.environ.get("KOMPAS_LOG_LEVEL"))
    from assistant.errors import InputError
    from knowledge.errors import KnowledgeError
    from tools.base import ToolError

    try:
        _check_shadowing()
        result: int = args.func(args)
        return result
    except (CliError, KnowledgeError, ToolError, InputError) as exc:
        print(f"kompas: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing left to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: a short message, never a traceback with user text
        logging.getLogger("kompas.cli").debug("unexpected error", exc_info=True)
        print(
            f"kompas: internal error ({type(exc).__name__}); nothing was changed. Please report it; "
            "run with KOMPAS_LOG_LEVEL=debug to see the details.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
