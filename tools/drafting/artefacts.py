"""The artefacts Kompas drafts, and ``render``: facts in, a Draft out."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tools.base import Facts, Verdict
from tools.drafting.base import Draft, DraftingError, Owner
from tools.drafting.document import Document, to_markdown
from tools.registry import get_tool


@dataclass(frozen=True)
class ArtefactSpec:
    """An artefact: the tool whose verdict it renders (None: any tool), its module and formats."""

    name: str
    tool: str | None
    module: str
    formats: tuple[str, ...]


ARTEFACTS: dict[str, ArtefactSpec] = {
    spec.name: spec
    for spec in (
        ArtefactSpec("erasure_reply", "erasure", "tools.drafting.erasure_reply", ("md", "docx")),
        ArtefactSpec("dpa_checklist", "dpa", "tools.drafting.dpa_checklist", ("md", "docx")),
        ArtefactSpec("cookie_report", "cookie_banner", "tools.drafting.cookie_report", ("md", "docx")),
        ArtefactSpec(
            "register_entries", "register", "tools.drafting.register_entries", ("md", "csv", "docx")
        ),
        ArtefactSpec("photo_notice", "photos", "tools.drafting.photo_notice", ("md", "docx")),
        ArtefactSpec("photo_consent_form", "photos", "tools.drafting.photo_consent_form", ("md", "docx")),
        ArtefactSpec("consultation_record", None, "tools.drafting.consultation_record", ("md", "docx")),
    )
}


def get_artefact(name: str) -> ArtefactSpec:
    """Return the artefact called ``name``, or raise listing the known ones."""
    try:
        return ARTEFACTS[name]
    except KeyError:
        raise DraftingError(
            f"unknown artefact {name!r}; known artefacts: {', '.join(sorted(ARTEFACTS))}"
        ) from None


def render(
    artefact: str,
    facts: dict[str, Any],
    owner: dict[str, Any] | None = None,
    lang: str = "nl",
    today: dt.date | None = None,
    tool: str | None = None,
) -> Draft:
    """Assess ``facts`` with the artefact's tool and draft the artefact in ``lang``."""
    spec = get_artefact(artefact)
    tool_name = spec.tool or tool
    if tool_name is None:
        raise DraftingError(f"{artefact} needs the tool whose verdict it records (--tool)")
    if spec.tool and tool and tool != spec.tool:
        raise DraftingError(f"{artefact} is drafted from the {spec.tool} tool, not {tool}")
    if lang not in ("nl", "fr", "en"):
        raise DraftingError(f"unsupported language {lang!r}; use nl, fr or en")
    tool_spec = get_tool(tool_name)
    parsed: Facts = tool_spec.facts_model.model_validate(facts)
    try:
        details = Owner.model_validate(owner or {})
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise DraftingError(f"invalid owner details: {fields}") from exc
    verdict: Verdict = tool_spec.assess(parsed)
    if verdict.outcome != "decided":
        missing = ", ".join(verdict.missing_facts)
        raise DraftingError(f"the {tool_name} tool still needs these facts before drafting: {missing}")
    module = importlib.import_module(spec.module)
    document: Document = module.build(verdict, parsed, details, lang, today or dt.date.today())
    return Draft(
        artefact=artefact,
        lang=lang,
        title=document.title,
        markdown=to_markdown(document),
        unresolved=document.placeholders(),
        citations=list(dict.fromkeys(verdict.citations)),
        verdict=verdict.model_dump(mode="json"),
        formats=list(spec.formats),
        document=document,
    )
