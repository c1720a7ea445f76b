"""BM25 over the passages of one language, with that language's Snowball stemmer."""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import snowballstemmer
import yaml

STEMMERS = {"nl": "dutch", "fr": "french", "en": "english"}
# Okapi BM25 parameters (the usual defaults; the corpus is small and sections are short).
K1, B = 1.5, 0.75
# Dutch glues nouns together ("verwerkingsregister"); a token this long is also matched
# through the known words it ends with ("register").
COMPOUND_MIN_LEN, PART_MIN_LEN = 9, 5
_WORD = re.compile(r"[a-z0-9]+")
# A query word also searches its synonyms, at this weight.
SYNONYM_WEIGHT = 0.5
_SYNONYMS: dict[str, list[list[str]]] = yaml.safe_load(
    Path(__file__).with_name("synonyms.yaml").read_text(encoding="utf-8")
)
_STOPWORDS: dict[str, set[str]] = {
    lang: {str(w) for w in words}
    for lang, words in yaml.safe_load(Path(__file__).with_name("stopwords.yaml").read_text()).items()
}


def fold(text: str) -> str:
    """Lowercase and strip accents, so 'donnees' finds 'données'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[lang])


@cache
def _stem_function(lang: str) -> Callable[[str], str]:
    """Return a memoised, thread-safe stemmer for ``lang``."""
    stemmer = _stemmer(lang)
    lock = threading.Lock()

    # The pure-Python Snowball stemmers cost seconds over the corpus at every start, yet it has
    # only a few thousand distinct words: stem each once per process. A stemmer keeps its work
    # in its own attributes, so concurrent chat sessions take turns on a cache miss.
    @cache
    def stem(word: str) -> str:
        with lock:
            return str(stemmer.stemWord(word))

    return stem


class LexicalIndex:
    """An in-memory BM25 index of one language's passages."""

    def __init__(self, lang: str, ids: list[str], texts: list[str]) -> None:
        self.lang = lang
        self.ids = ids
        raw_docs = [self._words(t) for t in texts]
        self.vocabulary = {w for doc in raw_docs for w in doc if len(w) >= PART_MIN_LEN}
        self.docs = [Counter(self._terms(words)) for words in raw_docs]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg_len = sum(self.lengths) / max(len(self.lengths), 1)
        self.synonyms = self._synonym_map()
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(doc.keys())
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}

    def _words(self, text: str) -> list[str]:
        stop = _STOPWORDS[self.lang]
        return [w for w in _WORD.findall(fold(text)) if w not in stop]

    def _terms(self, words: list[str]) -> list[str]:
        stem = _stem_function(self.lang)
        terms = []
        for word in words:
            terms.append(stem(word))
            if self.lang == "nl" and len(word) >= COMPOUND_MIN_LEN:
                terms += [stem(w) for w in self._parts(word)]
        return terms

    def _parts(self, word: str) -> list[str]:
        return [word[i:] for i in range(3, len(word) - PART_MIN_LEN + 1) if word[i:] in self.vocabulary]

    def _synonym_map(self) -> dict[str, set[str]]:
        stem = _stem_function(self.lang)
        mapping: dict[str, set[str]] = {}
        for group in _SYNONYMS.get(self.lang, []):
            stems = {stem(w) for word in group for w in self._words(str(word))}
            for s in stems:
                mapping.setdefault(s, set()).update(stems - {s})
        return mapping

    def _weighted_terms(self, query: str) -> dict[str, float]:
        weights: dict[str, float] = {}
        for term in self._terms(self._words(query)):
            weights[term] = 1.0
        for term in list(weights):
            for synonym in self.synonyms.get(term, ()):
                weights.setdefault(synonym, SYNONYM_WEIGHT)
        return {t: w for t, w in weights.items() if t in self.idf}

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Return up to ``k`` (passage id, BM25 score) pairs, best first, score > 0."""
        terms = self._weighted_terms(query)
        if not terms:
            return []
        scores = []
        for i, doc in enumerate(self.docs):
            norm = K1 * (1 - B + B * self.lengths[i] / self.avg_len)
            score = sum(
                w * self.idf[t] * doc[t] * (K1 + 1) / (doc[t] + norm) for t, w in terms.items() if t in doc
            )
            if score > 0:
                scores.append((self.ids[i], score))
        scores.sort(key=lambda pair: pair[1], reverse=True)
        return scores[:k]
