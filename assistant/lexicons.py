"""Load the multilingual lexicons kept as data in ``assistant/lexicons``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).with_name("lexicons")


@lru_cache(maxsize=16)
def lexicon(name: str) -> Any:
    """Return the parsed lexicon file ``name``.yaml."""
    return yaml.safe_load((LEXICON_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def normalise(message: str) -> str:
    """Lowercase, fold typographic quotes and collapse whitespace, keeping accents."""
    folded = unicodedata.normalize("NFC", message).replace("’", "'").replace("‘", "'").lower()
    return re.sub(r"\s+", " ", folded).strip()


def words(message: str) -> list[str]:
    """Return the word tokens of a normalised message."""
    return re.findall(r"[a-zà-ÿœæ0-9]+(?:[.'-][a-zà-ÿœæ0-9]+)*", normalise(message))


def contains_phrase(message: str, phrase: str) -> bool:
    """Tell whether ``phrase`` starts a word in ``message`` (prefix match, so stems work)."""
    pattern = r"(?<![a-zà-ÿ0-9])" + re.escape(phrase.lower())
    return re.search(pattern, normalise(message)) is not None
