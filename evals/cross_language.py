"""Check the cross-language invariant: one owner situation in nl, fr and en gets one decision."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

from assistant.conversation import ask
from assistant.extract import extract, facts_only
from assistant.questions import questions
from assistant.runtime import Runtime
from tools.registry import assess, known_tool

Lang = Literal["nl", "fr", "en"]
LANGS: tuple[Lang, ...] = ("nl", "fr", "en")


class CrossLanguageCase(BaseModel):
    """One owner situation written in the three languages, with the facts it should reach."""

    model_config = ConfigDict(extra="ignore")

    id: str
    tool: Annotated[str, AfterValidator(known_tool)]
    context_date: dt.date
    facts: dict[str, Any]
    messages: dict[Lang, str]
    # Empty: the tool's own decisive fields (assistant/questions/<tool>.yaml).
    decisive: list[str] = []

    @model_validator(mode="after")
    def _complete(self) -> CrossLanguageCase:
        missing = [lang for lang in LANGS if not self.messages.get(lang, "").strip()]
        if missing:
            raise ValueError(f"messages lack {', '.join(missing)}: the invariant needs all three languages")
        if not self.fields():
            raise ValueError(f"no decisive fields for {self.tool}: give `decisive` in the case")
        # The reference must be a decision, or there is nothing for the languages to agree on.
        verdict = assess(self.tool, self.facts)
        if verdict.outcome != "decided":
            raise ValueError(f"facts do not decide {self.tool}; missing {', '.join(verdict.missing_facts)}")
        return self

    def fields(self) -> list[str]:
        """Return the verdict fields that carry this case's decision."""
        return self.decisive or [str(f) for f in questions(self.tool).get("decisive") or []]


def _canonical(value: Any) -> Any:
    # Lists are sets here (violations, erase, retain), whatever order a language produced them in.
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def decision(verdict: dict[str, Any] | None, fields: list[str], kind: str, asks: list[str]) -> dict[str, Any]:
    """Return a turn's decision on ``fields``, or what it did instead when it decided nothing."""
    if verdict and verdict.get("outcome") == "decided":
        return {field: _canonical(verdict.get(field)) for field in fields}
    return {"no_verdict": kind, "asks": sorted(asks)}


def run_case(runtime: Runtime, case: CrossLanguageCase) -> dict[str, Any]:
    """Ask the case in each language (fresh thread) and compare the decisions."""
    fields = case.fields()
    reference = decision(assess(case.tool, case.facts).model_dump(mode="json"), fields, "verdict", [])
    by_lang: dict[str, dict[str, Any]] = {}
    for lang in LANGS:
        message = case.messages[lang]
        started = time.perf_counter()
        turn = ask(message, thread_id=f"xl-{uuid.uuid4().hex}", today=case.context_date, runtime=runtime)
        latency = (time.perf_counter() - started) * 1000
        # What the extractor reads from the message alone: shows where a language lost a fact.
        extracted = facts_only(extract(case.tool, message, lang, case.context_date, {}))
        by_lang[lang] = {
            "decision": decision(turn.verdict, fields, turn.kind, turn.asks),
            "extracted": extracted,
            "latency_ms": round(latency, 1),
            "turn": turn.model_dump(mode="json"),
        }
    decisions = {json.dumps(v["decision"], sort_keys=True) for v in by_lang.values()}
    matches = {lang: v["decision"] == reference for lang, v in by_lang.items()}
    return {
        "id": case.id,
        "tool": case.tool,
        "fields": fields,
        "agree": len(decisions) == 1,
        "matches_reference": matches,
        "reference": reference,
        "by_lang": by_lang,
    }


def evaluate(runtime: Runtime, cases: list[CrossLanguageCase]) -> dict[str, Any]:
    """Run every case and report the agreement rate, per-language correctness and disagreements."""
    results = [run_case(runtime, case) for case in cases]
    n = len(results)

    def rate(count: int) -> float:
        return round(count / n, 3) if n else 1.0

    return {
        "n": n,
        # The invariant: the three languages end the same way (one decision, or the same question).
        "agreement": rate(sum(r["agree"] for r in results)),
        # Stricter: all three reached a verdict, and it is the same one.
        "verdict_agreement": rate(
            sum(r["agree"] and "no_verdict" not in r["by_lang"]["nl"]["decision"] for r in results)
        ),
        "all_match_reference": rate(sum(all(r["matches_reference"].values()) for r in results)),
        "by_lang": {
            lang: {
                "reached_verdict": rate(
                    sum("no_verdict" not in r["by_lang"][lang]["decision"] for r in results)
                ),
                "matches_reference": rate(sum(r["matches_reference"][lang] for r in results)),
            }
            for lang in LANGS
        },
        "disagreements": [
            {
                "id": r["id"],
                "tool": r["tool"],
                "reference": r["reference"],
                "by_lang": {lang: v["decision"] for lang, v in r["by_lang"].items()},
            }
            for r in results
            if not r["agree"]
        ],
        "results": results,
    }
