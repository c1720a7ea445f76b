"""The knowledge base and every label shown to users are sourced and consistent."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.messages import messages
from knowledge.citations import load_registry, unknown_labels
from knowledge.corpus import load_corpus
from knowledge.taxonomy import LANGS
from tools.base import RULES_DIR
from tools.explain import wording

ROOT = Path(__file__).resolve().parents[1]


def test_every_page_exists_in_all_languages() -> None:
    pages = load_corpus()
    langs_by_id: dict[str, set[str]] = {}
    for page in pages:
        langs_by_id.setdefault(page.meta.id, set()).add(page.meta.lang)
    assert langs_by_id
    assert {doc: langs for doc, langs in langs_by_id.items() if langs != set(LANGS)} == {}


def test_every_source_label_is_registered_with_its_url() -> None:
    registry = load_registry()
    for page in load_corpus():
        for source in page.meta.sources:
            assert source.label in registry, f"{page.path}: {source.label}"
            assert registry[source.label].url.split("#")[0] == source.url.split("#")[0], page.path


def test_every_rule_citation_is_registered() -> None:
    labels: set[str] = set()
    for path in RULES_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        labels |= set(data["sources"])
        labels |= {c for cites in data["citations"].values() for c in cites}
    assert labels
    assert unknown_labels(labels) == []


def test_every_reason_code_has_wording_in_every_language() -> None:
    for path in RULES_DIR.glob("*.yaml"):
        codes = set(yaml.safe_load(path.read_text())["citations"])
        reasons = wording(path.stem)["reasons"]
        for lang in LANGS:
            worded = {code for code, texts in reasons.items() if texts.get(lang)}
            assert codes - worded == set(), (path.stem, lang)


def test_messages_define_the_same_keys_in_every_language() -> None:
    def keys(node: object, prefix: str = "") -> set[str]:
        if isinstance(node, dict):
            return {k for key, v in node.items() for k in keys(v, f"{prefix}{key}.")} | {prefix}
        return {prefix}

    reference = keys(messages("nl"))
    for lang in LANGS:
        assert keys(messages(lang)) == reference, lang


def test_no_label_in_code_or_data_is_unregistered() -> None:
    pattern = re.compile(r"GDPR Art\. [0-9]+(?:\([0-9a-z]+\))*|Belgian [A-Z][A-Za-z ]+ Art\. [0-9]+")
    found: set[str] = set()
    for folder in ("assistant", "tools", "knowledge"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".yaml", ".md"} and path.name != "citations.yaml":
                found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert found
    assert unknown_labels(found) == []
