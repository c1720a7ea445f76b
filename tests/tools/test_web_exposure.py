"""The web_exposure tool decides as its case table says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from tools.explain import explain, wording
from tools.web_exposure import WebExposureFacts, assess, parse_robots

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "web_exposure.yaml").read_text())
ROOT = Path(__file__).resolve().parents[2]
RULES = yaml.safe_load((ROOT / "tools" / "rules" / "web_exposure.yaml").read_text())


def test_breach_steps_come_before_fixing_and_robots_last() -> None:
    facts = {
        "robots_txt": "User-agent: *\nDisallow: /klanten/\n",
        "paths": [
            {
                "path": "/klanten/export.csv",
                "requires_login": False,
                "contains_personal_data": True,
                "publicly_indexed": True,
            }
        ],
    }
    verdict = assess(WebExposureFacts.model_validate(facts))
    assert verdict.actions == [
        "TAKE_OFFLINE",
        "REQUEST_SEARCH_REMOVAL",
        "NOTIFY_GBA_72H",
        "INFORM_PEOPLE_IF_HIGH_RISK",
        "RECORD_BREACH_INTERNALLY",
        "PUT_BEHIND_LOGIN",
        "CHECK_ACCESS_LOGS",
        "REMOVE_ROBOTS_ENTRY",
    ]
    assert [f.priority for f in verdict.findings] == ["high", "high", "medium"]
    assert verdict.findings[-1].robots_rule == "Disallow: /klanten/"
    assert "GDPR Art. 33(1)" in verdict.findings[0].citations


def test_missing_flags_are_grouped_per_path() -> None:
    facts = {"robots_txt": "", "paths": [{"path": "/a.pdf", "contains_personal_data": False}, {"path": "/b"}]}
    verdict = assess(WebExposureFacts.model_validate(facts))
    assert verdict.outcome == "need_more_facts"
    assert verdict.missing_path_facts == {
        "/b": ["contains_personal_data", "requires_login", "publicly_indexed"]
    }
    assert all(name.startswith("paths[1].") for name in verdict.missing_facts)


def test_robots_parser_follows_rfc_9309_groups() -> None:
    rules = parse_robots(
        "# comment\nUser-agent: A\nUser-agent: B\nDisallow: /x # trailing\nDisallow:\n"
        "User-agent: C\nAllow: /y\nSitemap: https://example.be/sitemap.xml\n"
    )
    assert [(r.agents, r.allow, r.pattern) for r in rules] == [
        (("a", "b"), False, "/x"),
        (("c",), True, "/y"),
    ]


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        WebExposureFacts.model_validate({"paths": [{"path": "/x", "indexed": True}], "sitemap": ""})
    locs = {e["loc"] for e in err.value.errors()}
    assert locs == {("paths", 0, "indexed"), ("sitemap",)}


def test_explain_gives_a_headline_per_risk() -> None:
    case = next(c for c in CASES if c["id"] == "customer-export-found-in-google")
    text = explain(assess(WebExposureFacts.model_validate(case["facts"])), "en")
    assert text.startswith("**Personal data is exposed") and "72 hours" in text


def test_every_code_and_action_is_worded_in_three_languages() -> None:
    words = wording("web_exposure")
    for code in RULES["citations"]:
        assert set(words["reasons"][code]) == {"nl", "fr", "en"}, code
    for action in RULES["action_order"]:
        assert set(words["actions"][action]) == {"nl", "fr", "en"}, action
    used = {a for spec in RULES["findings"].values() for a in spec["actions"]}
    assert used == set(RULES["action_order"])
