"""Write the human-readable eval report: Markdown tables, a topic confusion matrix and charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

# No display on CI or a server: render straight to PNG files.
matplotlib.use("Agg")
import matplotlib.pyplot as plt

LATENCY_PNG = "latency.png"


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("|", "\\|").replace("\n", "<br>")


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _pr(block: dict[str, float]) -> str:
    return f"{block['precision']:.2f} / {block['recall']:.2f}"


def _json_block(value: Any) -> str:
    dump = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return f"<details><summary>full output</summary>\n\n```json\n{dump}\n```\n\n</details>"


def headline(report: dict[str, Any]) -> str:
    """Return the few numbers a maintainer looks at first, one line per dataset kind."""
    lines = []
    if q := report.get("questions"):
        lines.append(
            f"questions: n={q['n']} topic={q['topic_accuracy']} clarification P/R={_pr(q['clarification'])} "
            f"out-of-scope P/R={_pr(q['out_of_scope'])} language={q['language_match']} "
            f"retrieval@3={q['retrieval_hit_at_3']} "
            f"p50={q['latency_ms']['p50']}ms p95={q['latency_ms']['p95']}ms"
        )
    if r := report.get("rule_cases"):
        lines.append(f"rule_cases: n={r['n']} accuracy={r['accuracy']}")
    if c := report.get("conversations"):
        lines.append(
            f"conversations: n={c['n']} clarification_turns_ok={c['clarification_turns_ok']} "
            f"final_verdicts_ok={c['final_verdicts_ok']} conversations_ok={c['conversations_ok']}"
        )
    if x := report.get("cross_language"):
        lines.append(
            f"cross_language: n={x['n']} agreement={x['agreement']} "
            f"verdict_agreement={x['verdict_agreement']} all_match={x['all_match_reference']}"
        )
    if rt := report.get("retrieval"):
        lines.append(f"retrieval ({rt['mode']}): n={rt['n']} recall@3={rt['recall_at_3']} mrr={rt['mrr']}")
    if cites := report.get("citations"):
        lines.append(f"citations: {cites['checked']} checked, {cites['unknown']} not in the registry")
    return "\n".join(lines)


def latency_chart(report: dict[str, Any], out_dir: Path) -> str | None:
    """Draw the distribution of turn latencies as a histogram PNG; return its file name."""
    questions = [i["latency_ms"] for i in report["items"] if i["kind"] == "question" and "latency_ms" in i]
    crossed = [
        lang["latency_ms"]
        for i in report["items"]
        if i["kind"] == "cross_language"
        for lang in i["output"]["by_lang"].values()
    ]
    if not questions and not crossed:
        return None
    fig, ax = plt.subplots(figsize=(7, 3.5))
    series = [(v, label) for v, label in ((questions, "questions"), (crossed, "cross-language")) if v]
    ax.hist([v for v, _ in series], bins=30, stacked=True, label=[label for _, label in series])
    if q := report.get("questions"):
        for key, style in (("p50", "--"), ("p95", ":")):
            ax.axvline(q["latency_ms"][key], color="black", linestyle=style, label=f"questions {key}")
    ax.set_xlabel("turn latency (ms)")
    ax.set_ylabel("turns")
    ax.set_title("Latency of one conversation turn")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_dir / LATENCY_PNG, dpi=100)
    plt.close(fig)
    return LATENCY_PNG


def _questions(q: dict[str, Any], chart: str | None) -> list[str]:
    out = ["## Questions"]
    out.append(
        _table(
            [
                "n",
                "topic",
                "clarification P/R",
                "out of scope P/R",
                "language",
                "citations",
                "retrieval@3",
                "p50",
                "p95",
            ],
            [
                [
                    q["n"],
                    q["topic_accuracy"],
                    _pr(q["clarification"]),
                    _pr(q["out_of_scope"]),
                    q["language_match"],
                    q["citation_validity"],
                    q["retrieval_hit_at_3"],
                    f"{q['latency_ms']['p50']} ms",
                    f"{q['latency_ms']['p95']} ms",
                ]
            ],
        )
    )
    out.append("### Per language")
    out.append(
        _table(
            ["lang", "n", "topic", "clarification P/R", "out of scope P/R"],
            [
                [lang, v["n"], v["topic_accuracy"], _pr(v["clarification"]), _pr(v["out_of_scope"])]
                for lang, v in q["by_lang"].items()
            ],
        )
    )
    out.append("### Per dataset")
    out.append(
        _table(
            ["dataset", "n", "topic"], [[p, v["n"], v["topic_accuracy"]] for p, v in q["by_dataset"].items()]
        )
    )
    out.append("### Topic confusion (rows: expected, columns: routed)")
    gold = list(q["confusion"])
    routed = sorted({t for row in q["confusion"].values() for t in row} | set(gold))
    out.append(
        _table(
            ["expected \\ routed", *routed],
            [[g, *[q["confusion"][g].get(t, "") or "" for t in routed]] for g in gold],
        )
    )
    if chart:
        out.append(f"### Latency\n\n![turn latency]({chart})")
    return out


def _rule_cases(r: dict[str, Any]) -> list[str]:
    out = ["## Rule cases", f"{r['n']} cases, accuracy **{r['accuracy']}**."]
    out.append(
        _table(["tool", "n", "accuracy"], [[t, v["n"], v["accuracy"]] for t, v in r["by_tool"].items()])
    )
    if r["failures"]:
        out.append("### Mismatched fields")
        out.append(
            _table(
                ["case", "tool", "field", "expected", "got"],
                [[f["id"], f["tool"], f["field"], f["expected"], f["got"]] for f in r["failures"]],
            )
        )
    return out


def _conversations(c: dict[str, Any], items: list[dict[str, Any]]) -> list[str]:
    out = ["## Conversations"]
    out.append(
        f"{c['n']} conversations; clarification turns ok **{c['clarification_turns_ok']}** "
        f"(of {c['clarification_turns']}), final verdicts ok **{c['final_verdicts_ok']}** "
        f"(of {c['final_verdicts']}), conversations fully ok {c['conversations_ok']}."
    )
    rows = [
        [i["id"], i["lang"], "ok" if i["ok"] else "FAIL", "; ".join(i["problems"])]
        for i in items
        if i["kind"] == "conversation"
    ]
    out.append(_table(["conversation", "lang", "result", "problems"], rows))
    return out


def _cross_language(x: dict[str, Any], items: list[dict[str, Any]]) -> list[str]:
    out = ["## Cross-language invariant"]
    out.append(
        f"{x['n']} situations, each asked in nl, fr and en (fresh thread each). The three languages "
        f"end the same way (one decision, or the same question) in **{x['agreement']}** of them; "
        f"all three reach the same verdict in {x['verdict_agreement']}, and it is the decision of "
        f"the stated facts in {x['all_match_reference']}."
    )
    out.append(
        _table(
            ["lang", "reached a verdict", "matches the facts' decision"],
            [[lang, v["reached_verdict"], v["matches_reference"]] for lang, v in x["by_lang"].items()],
        )
    )
    rows = []
    for item in items:
        if item["kind"] != "cross_language":
            continue
        o = item["output"]
        rows.append(
            [
                item["id"],
                item["tool"],
                "yes" if o["agree"] else "NO",
                *["=" if o["matches_reference"][lang] else v["decision"] for lang, v in o["by_lang"].items()],
            ]
        )
    out.append("Per case (`=`: the decision of the stated facts; otherwise what the language got):")
    out.append(_table(["case", "tool", "agree", "nl", "fr", "en"], rows))
    if x["disagreements"]:
        out.append("### Disagreements")
        for d in x["disagreements"]:
            item = next(i for i in items if i["kind"] == "cross_language" and i["id"] == d["id"])
            extracted = {lang: v["extracted"] for lang, v in item["output"]["by_lang"].items()}
            out.append(f"**{d['id']}** ({d['tool']}), reference `{_cell(d['reference'])}`")
            out.append(
                _table(
                    ["lang", "decision", "facts read from the message"],
                    [[lang, d["by_lang"][lang], extracted[lang]] for lang in d["by_lang"]],
                )
            )
    return out


def _retrieval(rt: dict[str, Any]) -> list[str]:
    out = [
        "## Retrieval",
        f"Mode {rt['mode']}: recall@3 **{rt['recall_at_3']}**, MRR {rt['mrr']} over {rt['n']}.",
    ]
    out.append(
        _table(
            ["lang", "n", "recall@3", "MRR"],
            [[lang, v["n"], v["recall_at_3"], v["mrr"]] for lang, v in rt["by_lang"].items()],
        )
    )
    if rt["misses"]:
        out.append(
            _table(
                ["missed", "question", "gold", "got"],
                [[m["id"], m["question"], m["gold"], m["got"]] for m in rt["misses"]],
            )
        )
    return out


def _citations(cites: dict[str, Any]) -> list[str]:
    out = [
        "## Citation guard",
        f"{cites['checked']} citation labels in turns and verdicts; "
        f"**{cites['unknown']}** not in the registry.",
    ]
    if cites["where"]:
        out.append(
            _table(["item", "kind", "label"], [[w["id"], w["kind"], w["label"]] for w in cites["where"]])
        )
    return out


def _failures(items: list[dict[str, Any]]) -> list[str]:
    failed = [i for i in items if not i["ok"]]
    out = ["## Failures", f"{len(failed)} items failed; each with its full output."]
    for item in failed:
        detail = item.get("problems") or item.get("mismatches") or ""
        if item["kind"] == "question":
            got = item["output"]
            detail = (
                f"expected {item['expected_topic']}, got {got.get('topic')} ({got['kind']}, {got['lang']})"
            )
        out.append(f"### {item['kind']} {item['id']}\n\n{_cell(detail)}")
        if item["kind"] == "question":
            out.append(f"> {item['question']}")
        out.append(_json_block(item.get("transcript") or item["output"]))
    return out


def _mark(phrases: list[str], text: str, present: str, absent: str) -> str:
    # A hint for the reviewer, not a score: the phrase may be said in other words.
    return "<br>".join(f"{present if p.lower() in text.lower() else absent} {p}" for p in phrases)


def _review(items: list[dict[str, Any]]) -> list[str]:
    out = [
        "## Answers for review",
        "Each answer beside what it should mention and must not say (✓ the phrase occurs verbatim, "
        "· it does not; a human or judge decides).",
    ]
    for item in items:
        if item["kind"] != "question":
            continue
        turn = item["output"]
        out.append(
            f"### {item['id']} ({turn['lang']}, {turn['kind']}, {turn.get('topic')})\n\n> {item['question']}"
        )
        out.append(
            _table(
                ["answer", "must mention", "must not say"],
                [
                    [
                        turn["text"],
                        _mark(item["must_mention"], turn["text"], "✓", "·"),
                        _mark(item["must_not_say"], turn["text"], "✗ said:", "·"),
                    ]
                ],
            )
        )
    return out


def write(report: dict[str, Any], out_dir: Path) -> Path:
    """Write ``report.md`` (and its charts) into ``out_dir``; return its path."""
    items: list[dict[str, Any]] = report["items"]
    chart = latency_chart(report, out_dir)
    run = report["run"]
    parts = [
        "# Kompas eval report",
        f"Finished {run['finished']} in {run['seconds']} s; 'today' = {run['today']}.",
        _table(["dataset", "kind", "n"], [[d["path"], d["kind"], d["n"]] for d in report["datasets"]]),
        "```\n" + headline(report) + "\n```",
        *_citations(report["citations"]),
    ]
    if "questions" in report:
        parts += _questions(report["questions"], chart)
    if "rule_cases" in report:
        parts += _rule_cases(report["rule_cases"])
    if "conversations" in report:
        parts += _conversations(report["conversations"], items)
    if "cross_language" in report:
        parts += _cross_language(report["cross_language"], items)
    if "retrieval" in report:
        parts += _retrieval(report["retrieval"])
    parts += _failures(items)
    parts += _review(items)
    path = out_dir / "report.md"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path
