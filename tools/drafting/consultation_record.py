"""The owner's accountability record of one consultation of a rule tool: facts, verdict, reasons, sources."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tools import explain
from tools.base import Facts, Verdict
from tools.drafting.base import Owner, format_date, owner_value, say, sources_section, wording
from tools.drafting.document import Document, md_escape
from tools.drafting.register_entries import activities_in_sentence

TOOL: str | None = None
W = "consultation_record"

COMMON_FIELDS = ("tool", "outcome", "missing_facts", "reasons", "citations", "rules_version")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})")


def _text(value: str, lang: str) -> str:
    """Return a string value escaped, with ISO dates and times written the way ``lang`` reads them."""
    if ISO_DATE.match(value):
        return format_date(value, lang)
    stamp = ISO_DATETIME.match(value)
    if stamp:
        return f"{format_date(stamp.group(1), lang)} {stamp.group(2)}"
    return md_escape(value)


def value_text(value: Any, lang: str, none: str = "—") -> str:
    """Return any fact or verdict value as escaped inline Markdown (lists, records and dates included)."""
    if value is None:
        return none
    if isinstance(value, bool):
        return say(W, lang, "values", str(value).lower())
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _text(value, lang) if value.strip() else "—"
    if isinstance(value, dict):
        if not value:
            return "—"
        return (
            "{"
            + ", ".join(f"{md_escape(str(k))}: {value_text(v, lang, none)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        if not value:
            return "—"
        sep = "; " if any(isinstance(v, dict | list) for v in value) else ", "
        return sep.join(value_text(v, lang, none) for v in value)
    return md_escape(str(value))


def _cell(text: str) -> str:
    # The table renderer escapes pipes itself; an already-escaped pipe would be escaped twice.
    return text.replace("\\|", "|")


def _reason_values(tool: str, verdict: dict[str, Any], lang: str) -> dict[str, str]:
    """Return the values a reason sentence may quote, in ``lang``."""
    values = {
        key: value_text(value, lang)
        for key, value in verdict.items()
        if key not in ("reasons", "citations") and not isinstance(value, dict)
    }
    if tool == "register":
        values["triggering_activities"] = activities_in_sentence(
            verdict.get("triggering_activities") or [], lang
        )
    return values


def build(verdict: Verdict, facts: Facts, owner: Owner, lang: str, today: dt.date) -> Document:
    """Draft the record of this consultation: date, tool, rules version, facts, outcome, reasons, sources."""
    data = verdict.model_dump(mode="json")
    tool = data["tool"]
    tool_name = say(W, lang, "tools", tool)
    doc = Document(title=say(W, lang, "title", tool=tool_name))

    def line(label: str, value: str) -> str:
        return say(W, lang, "line", label=label, value=value)

    doc.paragraph(
        "  \n".join(
            [
                line(say("common", lang, "date_label"), format_date(today, lang)),
                line(say(W, lang, "labels", "organisation"), owner_value(owner, "name", lang)),
                line(say(W, lang, "labels", "tool"), f"{tool_name} ({md_escape(tool)})"),
                line(say(W, lang, "labels", "rules_version"), md_escape(data["rules_version"])),
            ]
        )
    )
    doc.paragraph(say(W, lang, "intro"))

    doc.heading(say(W, lang, "facts_heading"))
    given = facts.model_dump(mode="json", exclude_unset=True)
    if given:
        unknown = say(W, lang, "values", "unknown")
        doc.table(
            [str(h) for h in wording(W)["facts_table"][lang]],
            [[_cell(md_escape(k)), _cell(value_text(v, lang, unknown))] for k, v in given.items()],
        )
    else:
        doc.paragraph(say(W, lang, "no_facts"))

    doc.heading(say(W, lang, "verdict_heading"))
    title = explain.headline(tool, data, lang)
    if title:
        doc.paragraph(title)
    fields = ["outcome", *(k for k in data if k not in COMMON_FIELDS)]
    doc.table(
        [str(h) for h in wording(W)["verdict_table"][lang]],
        [[_cell(md_escape(k)), _cell(value_text(data[k], lang))] for k in fields],
    )

    doc.heading(say(W, lang, "reasons_heading"))
    values = _reason_values(tool, data, lang)
    doc.bullets(
        [
            f"{explain.reason_text(tool, r['code'], lang, values)} ({'; '.join(r['citations'])})"
            for r in data["reasons"]
        ]
    )
    doc.heading(say(W, lang, "follow_up_heading"))
    doc.bullets([str(item[lang]) for item in wording(W)["follow_up"]])
    sources_section(doc, verdict.citations, lang)
    doc.paragraph(f"_{say('common', lang, 'disclaimer')}_")
    return doc
