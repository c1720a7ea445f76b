"""The web chat's language: read from the browser, switchable, with our strings per language."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

from assistant.messages import messages, text

Lang = Literal["nl", "fr", "en"]
UI_LANGS: tuple[Lang, ...] = ("nl", "fr", "en")
# Kompas is Belgian and Dutch first: a browser in any other language gets Dutch.
DEFAULT_LANG: Lang = "nl"
# The Chainlit locale whose welcome page and translations we ship for each language.
CHAINLIT_LOCALES: dict[Lang, str] = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-US"}
# Chainlit picks chainlit_<locale>.md by exact name; these routes get the locale we ship.
LOCALISED_ROUTES = ("/project/settings", "/project/translations")


def ui_lang(tag: str | None) -> Lang:
    """Return our language for a browser language tag such as ``fr-BE`` or ``nl,en;q=0.8``."""
    primary = (tag or "").strip().split(",")[0].split(";")[0].split("-")[0].split("_")[0].lower()
    return next((lang for lang in UI_LANGS if lang == primary), DEFAULT_LANG)


def web_text(lang: str, *path: str, **fmt: object) -> str:
    """Return the web chat's string at ``path`` in ``lang``."""
    return text(lang, "web", *path, **fmt)


def web_tree(lang: str, *path: str) -> Any:
    """Return a subtree (list or mapping) of the web chat's strings."""
    node: Any = messages(lang)["web"]
    for key in path:
        node = node[key]
    return node


def language_names() -> dict[str, str]:
    """Return each language's own name mapped to its code, for the language switch."""
    return {str(messages(lang)["lang_name"]): lang for lang in UI_LANGS}


def chainlit_query(query: bytes) -> bytes:
    """Rewrite a request's ``language=`` to the Chainlit locale we ship for that language."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    fixed = [(k, CHAINLIT_LOCALES[ui_lang(v)] if k == "language" else v) for k, v in pairs]
    return urlencode(fixed).encode("latin-1")


class LanguageFallback:
    """ASGI middleware: any nl-*, fr-* or en-* browser gets our nl-BE, fr-BE or en-US page."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Pass the request on, with its language mapped for the localised routes."""
        if scope.get("type") == "http" and str(scope.get("path", "")).endswith(LOCALISED_ROUTES):
            scope = {**scope, "query_string": chainlit_query(scope.get("query_string", b""))}
        await self.app(scope, receive, send)
