"""Detect whether a message is Dutch, French or English."""

from __future__ import annotations

from collections import Counter

from assistant.lexicons import lexicon, words

DEFAULT_LANG = "nl"


def detect_language(message: str, previous: str | None = None) -> tuple[str, bool]:
    """Return the message's language and whether the evidence was clear.

    Short answers ("5", "ja", "ok") carry little evidence; they keep the conversation's
    language rather than flip it.
    """
    cues = lexicon("language")
    counts: Counter[str] = Counter()
    tokens = words(message)
    for token in tokens:
        for lang, vocab in cues.items():
            if token in _vocab(lang, tuple(vocab)):
                counts[lang] += 1
    # French accents and elisions are strong signals the word lists may miss.
    if any(ch in message for ch in "éèêàçùâîôû") or (
        "'" in message and any(t.startswith(("l'", "d'", "j'", "qu'", "n'", "c'")) for t in tokens)
    ):
        counts["fr"] += 2
    if not counts:
        return previous or DEFAULT_LANG, False
    ranked = counts.most_common()
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    clear = score >= 2 and score > runner_up
    if not clear and previous:
        return previous, False
    return best, clear


_vocab_cache: dict[str, frozenset[str]] = {}


def _vocab(lang: str, vocab: tuple[str, ...]) -> frozenset[str]:
    if lang not in _vocab_cache:
        _vocab_cache[lang] = frozenset(str(v).lower() for v in vocab)
    return _vocab_cache[lang]
