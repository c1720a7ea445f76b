"""Say a verdict's reasoning trail in Dutch, French or English, from ``tools/wording``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tools.base import ToolError, Verdict

WORDING_DIR = Path(__file__).with_name("wording")
LANGS = ("nl", "fr", "en")


@cache
def wording(tool: str) -> dict[str, Any]:
    """Return the wording file of ``tool`` (reason texts and headlines per language)."""
    path = WORDING_DIR / f"{tool}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ToolError(f"{path}: cannot read the wording file: {exc}") from exc
    if not isinstance(data, dict) or "reasons" not in data:
        raise ToolError(f"{path}: a wording file needs a 'reasons' mapping")
    return data


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?$")


def values(verdict: dict[str, Any], lang: str) -> dict[str, str]:
    """Return the verdict's fields as text for the wording: dates and times in ``lang``."""
    from tools.drafting.base import format_date

    out: dict[str, str] = {}
    for key, value in verdict.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = ", ".join(value) or "—"
        elif isinstance(value, str) and _ISO_DATE.match(value):
            out[key] = format_date(value, lang)
        elif isinstance(value, str) and (moment := _ISO_DATETIME.match(value)):
            # "27 november 2026, 09:00" rather than "2026-11-27T09:00:00".
            out[key] = f"{format_date(moment.group(1), lang)}, {moment.group(2)}"
        elif isinstance(value, str | int | float | bool) or value is None:
            out[key] = "—" if value is None else str(value)
    return out


def _headline_key(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def reason_text(tool: str, code: str, lang: str, values: dict[str, str] | None = None) -> str:
    """Return the sentence for reason ``code`` in ``lang``, filled with ``values``."""
    entry = wording(tool)["reasons"].get(code)
    if entry is None or lang not in entry:
        raise ToolError(f"tools/wording/{tool}.yaml has no {lang} text for {code}")
    return str(entry[lang]).format_map(_Missing(values or {}))


def headline(tool: str, verdict: dict[str, Any], lang: str) -> str | None:
    """Return the one-line answer for this verdict, if the wording file defines one."""
    data = wording(tool)
    field = data.get("headline_field")
    if not field or field not in verdict:
        return None
    entry = data.get("headline", {}).get(_headline_key(verdict[field]))
    return str(entry[lang]) if entry else None


def explain(verdict: Verdict | dict[str, Any], lang: str, extra: dict[str, str] | None = None) -> str:
    """Return the verdict as Markdown: headline, then each reason with its sources."""
    data = verdict.model_dump(mode="json") if isinstance(verdict, Verdict) else verdict
    tool = data["tool"]
    filled = {**values(data, lang), **(extra or {})}
    lines: list[str] = []
    if data["outcome"] == "need_more_facts":
        missing = ", ".join(data["missing_facts"])
        lines.append(
            {"nl": "Nog nodig", "fr": "Encore nécessaire", "en": "Still needed"}[lang] + f": {missing}"
        )
        return "\n".join(lines)
    title = headline(tool, data, lang)
    if title:
        lines += [title, ""]
    for reason in data["reasons"]:
        cites = "; ".join(reason["citations"])
        lines.append(f"- {reason_text(tool, reason['code'], lang, filled)} ({cites})")
    return "\n".join(lines)


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"
