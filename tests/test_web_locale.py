"""The web chat's language: browser tags, the localised Chainlit routes and our strings."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from assistant.messages import messages
from assistant.web.locale import (
    CHAINLIT_LOCALES,
    UI_LANGS,
    LanguageFallback,
    chainlit_query,
    language_names,
    ui_lang,
    web_text,
    web_tree,
)


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("nl-BE", "nl"),
        ("nl", "nl"),
        ("fr-BE", "fr"),
        ("fr-CA,fr;q=0.9", "fr"),
        ("en-US", "en"),
        ("EN_gb", "en"),
        ("de-DE", "nl"),
        ("", "nl"),
        (None, "nl"),
    ],
)
def test_browser_tags_map_to_our_languages_with_dutch_as_default(tag: str | None, lang: str) -> None:
    assert ui_lang(tag) == lang


def test_localised_routes_get_the_locale_we_ship() -> None:
    assert chainlit_query(b"language=fr-CA&chat_profile=x") == b"language=fr-BE&chat_profile=x"
    assert chainlit_query(b"language=en") == b"language=en-US"
    assert chainlit_query(b"language=pt-PT") == b"language=nl-BE"
    assert chainlit_query(b"") == b""


def test_middleware_rewrites_only_the_localised_routes() -> None:
    seen: list[bytes] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["query_string"])

    middleware = LanguageFallback(app)
    for path in ("/project/settings", "/project/translations", "/project/file/x"):
        scope = {"type": "http", "path": path, "query_string": b"language=fr-FR"}
        asyncio.run(middleware(scope, None, None))
    assert seen == [b"language=fr-BE", b"language=fr-BE", b"language=fr-FR"]


def test_every_language_has_every_web_string() -> None:
    def keys(node: Any, prefix: str = "") -> set[str]:
        if isinstance(node, dict):
            return {k for key, value in node.items() for k in keys(value, f"{prefix}{key}.")} | {prefix}
        return {prefix}

    reference = keys(messages("nl")["web"])
    for lang in UI_LANGS:
        assert keys(messages(lang)["web"]) == reference, lang
        assert web_tree(lang, "delete_phrases"), lang
        assert "{step}" in str(web_tree(lang, "checklist", "progress")), lang
    assert web_text("fr", "checklist", "progress", step=3, total=14) == "Question 3/14"


def test_the_language_switch_names_each_language_in_itself() -> None:
    assert language_names() == {"Nederlands": "nl", "Français": "fr", "English": "en"}
    assert set(CHAINLIT_LOCALES) == set(UI_LANGS)


def test_we_ship_a_welcome_page_and_chainlit_translation_per_language() -> None:
    import importlib.util
    import json
    from pathlib import Path

    from helpers import ROOT

    # Found without importing chainlit, which would write its default files into the repo.
    spec = importlib.util.find_spec("chainlit")
    assert spec is not None and spec.origin is not None
    shipped = Path(spec.origin).parent / "translations" / "en-US.json"

    def keys(node: Any, prefix: str = "") -> set[str]:
        if isinstance(node, dict):
            return {k for key, value in node.items() for k in keys(value, f"{prefix}{key}.")}
        return {prefix}

    reference = keys(json.loads(shipped.read_text(encoding="utf-8")))
    for lang, locale in CHAINLIT_LOCALES.items():
        translation = json.loads((ROOT / ".chainlit" / "translations" / f"{locale}.json").read_text("utf-8"))
        assert keys(translation) == reference, locale
        assert "Kompas" in translation["chat"]["watermark"], locale
        welcome = ROOT / ("chainlit.md" if lang == "nl" else f"chainlit_{locale}.md")
        assert "Kompas" in welcome.read_text(encoding="utf-8"), welcome
