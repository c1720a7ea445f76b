"""Shared glue of the dpa, photos and cookie_banner extractors: find lexicon phrases in a message
and read them as statements (negated or not, hypothetical or not), button values and bare answers.

All words live in the lexicons (``assistant/lexicons/statements.yaml`` and each tool's file);
this module only decides how a phrase found in the text is read:

- a phrase is matched at a word start, longest phrases first, without overlaps; a phrase ending
  in ``$`` must also end a word ("in the us$" does not match "in the usual");
- an affirming phrase with a negation word close before or after it in the same clause reads as a
  denial ("er is geen knop alles weigeren"); a phrase that contains a negation itself is read as is;
  for names (providers, trackers, people, channels) only a negation just before counts, and it
  carries over a list ("geen Google Analytics, Hotjar of Meta-pixel");
- a clause asking something hypothetical ("moet ik toestemming vragen?") states no fact;
- a phrase table is either one list for all languages or ``{nl: [...], fr: [...], en: [...],
  all: [...]}``, of which only the owner's language (plus ``all``) is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from assistant.lexicons import lexicon
from assistant.parsing import fold, parse_yes_no

LANGS = ("nl", "fr", "en")
_EDGE = r"(?<![a-z0-9])"
_END = r"(?![a-z0-9])"
_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)|\n")
_CLAUSE_END = re.compile(r"[,.!?;:](?=\s|$)|\n")
_OPTION = re.compile(r"^\s*([a-z_]+):(\S+)\s*$")
# What may stand between two names of one list: "Google Analytics, Hotjar of de Meta-pixel".
_LIST_GAP = re.compile(r"[\s,]*(?:(?:of|or|ou|ni|nor|noch|nog)\s+)?(?:de|het|la|le|les|the|een|un|une|a)?\s*")


def clean(text: str) -> str:
    """Fold a message for matching: no accents, "n't" as " not", punctuation marks as spaces."""
    folded = re.sub(r"n't(?![a-z])", " not", fold(text))
    folded = re.sub(r"[-_/'\"«»“”()\[\]*+=<>|]", " ", folded)
    return re.sub(r"[ \t]+", " ", folded).strip()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text)


def phrase_list(entry: Any, lang: str) -> list[str]:
    """Return the phrases of a lexicon entry for ``lang`` (a list serves every language)."""
    if entry is None:
        return []
    if isinstance(entry, dict):
        return [str(p) for key in (lang, "all") for p in entry.get(key) or []]
    return [str(p) for p in entry]


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    # A word ending in "*" is a stem anywhere in the phrase ("ceux qui ne voul* pas"); the last
    # word is a stem anyway unless the phrase ends in "$".
    whole = phrase.endswith("$")
    body = clean(phrase.rstrip("$").replace("*", "STEMMARK"))
    parts = r"\s+".join(
        re.escape(part[: -len("stemmark")]) + "[a-z0-9]*" if part.endswith("stemmark") else re.escape(part)
        for part in body.split(" ")
    )
    return re.compile(_EDGE + parts + (_END if whole else ""))


def _shared() -> dict[str, Any]:
    data: dict[str, Any] = lexicon("statements")
    return data


@lru_cache(maxsize=8)
def _negations(lang: str) -> frozenset[str]:
    table = _shared()["negation"]
    langs = {lang, "en"} if lang in LANGS else set(LANGS)
    return frozenset(clean(w) for code in langs for w in table[code])


@lru_cache(maxsize=1)
def _all_negations() -> frozenset[str]:
    return frozenset(clean(w) for code in LANGS for w in _shared()["negation"][code])


@lru_cache(maxsize=1)
def _breaks() -> re.Pattern[str]:
    words = sorted({clean(w) for w in _shared()["clause_breaks"]}, key=len, reverse=True)
    return re.compile(_EDGE + "(?:" + "|".join(re.escape(w) for w in words) + ")" + _END)


def _any(phrases: list[str], text: str) -> bool:
    return any(_pattern(p).search(text) for p in phrases)


@dataclass(frozen=True)
class Hit:
    """One phrase found in the message, with how it is to be read."""

    start: int
    end: int
    value: Any
    negated: bool
    hypothetical: bool
    asks: bool


class Reader:
    """One message, folded once, read against any number of phrase tables."""

    def __init__(self, message: str, lang: str) -> None:
        self.text = clean(message)
        self.lang = lang

    def hits(self, table: dict[str, Any], *, after: bool = True) -> list[Hit]:
        """Find the phrases of ``table`` (phrase → value), longest first, without overlaps.

        ``after=False`` only looks for a negation before the phrase: right for names ("geen
        Google Analytics"), since a negation after a name belongs to the verb ("de poetsfirma
        ziet nooit klantgegevens" does not deny the poetsfirma).
        """
        taken = [False] * len(self.text)
        found: list[Hit] = []
        for phrase in sorted(table, key=lambda p: len(p.rstrip("$")), reverse=True):
            for match in _pattern(phrase).finditer(self.text):
                start, end = match.start(), match.end()
                if any(taken[start:end]):
                    continue
                taken[start:end] = [True] * (end - start)
                self_negative = bool(set(_words(clean(phrase))) & _all_negations())
                negated = not self_negative and self._negated(start, end, after)
                hypothetical, asks = self._hypothetical(start, end)
                found.append(Hit(start, end, table[phrase], negated, hypothetical, asks))
        found.sort(key=lambda h: h.start)
        if after:
            return found
        # "geen Google Analytics of Hotjar": a name listed right after a negated one is negated too.
        for i in range(1, len(found)):
            previous, hit = found[i - 1], found[i]
            if (
                previous.negated
                and not hit.negated
                and _LIST_GAP.fullmatch(self.text[previous.end : hit.start])
            ):
                found[i] = Hit(hit.start, hit.end, hit.value, True, hit.hypothetical, hit.asks)
        return found

    def table(self, spec: dict[Any, Any]) -> dict[str, Any]:
        """Turn ``{value: phrases}`` into ``{phrase: value}`` for the owner's language."""
        out: dict[str, Any] = {}
        for value, entry in spec.items():
            for phrase in phrase_list(entry, self.lang):
                out.setdefault(phrase, value)
        return out

    def kinds(self, spec: dict[Any, Any], *, in_questions: bool = True) -> list[Any]:
        """Return the values of ``spec`` named and not negated, in order of first mention."""
        values = [
            h.value
            for h in self.hits(self.table(spec), after=False)
            if not h.negated and (in_questions or not h.hypothetical)
        ]
        return list(dict.fromkeys(values))

    def choice(self, spec: dict[Any, Any], priority: list[Any] | None = None) -> Any:
        """Return one value of ``spec``: the first in ``priority`` that is named, else the first named."""
        named = self.kinds(spec)
        if not named:
            return None
        if priority:
            for value in priority:
                if value in named:
                    return value
        return named[0]

    def boolean(self, spec: dict[str, Any], *, in_questions: bool = False) -> bool | None:
        """Read a yes/no fact from ``{affirm: phrases, deny: phrases, together: ...}``; the last
        statement wins."""
        table = {p: True for p in phrase_list(spec.get("affirm"), self.lang)}
        table.update({p: False for p in phrase_list(spec.get("deny"), self.lang)})
        stated: list[tuple[int, bool]] = []
        for hit in self.hits(table):
            if hit.hypothetical and not in_questions:
                continue
            stated.append((hit.start, bool(hit.value) and not hit.negated))
        stated += self.together(spec.get("together"), in_questions=in_questions)
        return max(stated, key=lambda s: s[0])[1] if stated else None

    def together(self, groups: Any, *, in_questions: bool = False) -> list[tuple[int, bool]]:
        """Read word pairs that state a fact in any order within one clause.

        ``groups`` is a list of ``[words, words]``: a clause holding a word of each affirms the
        fact, whatever stands between or which comes first ("ze heeft daar schriftelijk
        toestemming voor gegeven", "she has given her explicit consent"); any negation word in the
        clause denies it ("niemand heeft toestemming gegeven"). The position is the later word's.
        """
        found: list[tuple[int, bool]] = []
        negations = _negations(self.lang)
        for first, second in groups or []:
            for low, high in self._clauses():
                clause = self.text[low:high]
                a = [m for p in phrase_list(first, self.lang) for m in _pattern(p).finditer(clause)]
                b = [m for p in phrase_list(second, self.lang) for m in _pattern(p).finditer(clause)]
                if not a or not b:
                    continue
                start = low + min(m.start() for m in a)
                end = low + max(m.end() for m in b)
                hypothetical, _asks = self._hypothetical(start, min(end, high))
                if hypothetical and not in_questions:
                    continue
                found.append((max(start, low + b[0].start()), not (set(_words(clause)) & negations)))
        return found

    def _clauses(self) -> list[tuple[int, int]]:
        """Return the clause spans of the message (cut at , . ! ? ; : and clause-break words)."""
        bounds = sorted(
            [(m.start(), m.end()) for m in _CLAUSE_END.finditer(self.text)]
            + [(m.start(), m.start()) for m in _breaks().finditer(self.text)]
        )
        spans: list[tuple[int, int]] = []
        position = 0
        for start, end in bounds:
            if start > position:
                spans.append((position, start))
            position = max(position, end)
        if position < len(self.text):
            spans.append((position, len(self.text)))
        return spans

    def sentence(self, position: int) -> tuple[int, int]:
        """Return the span of the sentence around ``position``."""
        start = max((m.end() for m in _SENTENCE_END.finditer(self.text, 0, position)), default=0)
        stop = _SENTENCE_END.search(self.text, position)
        return start, stop.start() if stop else len(self.text)

    def _negated(self, start: int, end: int, after: bool = True) -> bool:
        shared = _shared()
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(self.text, 0, start)), default=0)
        # A negation stays in its clause (lists of names after one are handled in hits()).
        before = self.text[sentence_start:start]
        before = before[max((m.end() for m in _CLAUSE_END.finditer(before)), default=0) :]
        cut = [m.end() for m in _breaks().finditer(before)]
        window = int(shared["window_before" if after else "window_before_names"])
        before_words = _words(before[cut[-1] :] if cut else before)[-window:]
        if not after:
            return bool(set(before_words) & _negations(self.lang))
        # After the phrase (and the rest of its last word: "scroll" in "scrollen"), a negation only
        # counts in the same clause ("staat er niet", "n'est pas").
        end += len(re.match(r"[a-z0-9]*", self.text[end:]).group())  # type: ignore[union-attr]
        after_match = _CLAUSE_END.search(self.text, end)
        rest = self.text[end : after_match.start() if after_match else len(self.text)]
        stop = _breaks().search(rest)
        after_words = _words(rest[: stop.start()] if stop else rest)[: int(shared["window_after"])]
        return bool(set(before_words + after_words) & _negations(self.lang))

    def _hypothetical(self, start: int, end: int) -> tuple[bool, bool]:
        """Return (the clause asks something hypothetical, the sentence is a question)."""
        shared = _shared()
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(self.text, 0, start)), default=0)
        clause_stop = _CLAUSE_END.search(self.text, end)
        clause = self.text[clause_start : clause_stop.start() if clause_stop else len(self.text)]
        sentence_stop = _SENTENCE_END.search(self.text, end)
        asks = sentence_stop is not None and sentence_stop.group() == "?"
        if _any([str(p) for p in shared["question_markers"]], clause):
            return True, asks
        return asks and _any([str(p) for p in shared["need_markers"]], clause), asks


def option(message: str, model: type[BaseModel]) -> dict[str, Any] | None:
    """Read a button value such as ``setting:ambient_crowd``, ``consent_obtained:true`` or
    ``cookies_before_consent:[]`` (an empty list), if it is one for ``model``'s facts."""
    match = _OPTION.match(message)
    if not match:
        return None
    name, raw = match.groups()
    field = model.model_fields.get(name)
    if field is None:
        return None
    value: Any = raw
    if raw in ("true", "false"):
        value = raw == "true"
    elif "list[" in str(field.annotation):
        value = [] if raw in ("[]", "none") else [raw]
    try:
        model.model_validate({name: value})
    except ValidationError:
        return None
    return {name: value}


def short_answer(text: str, lang: str) -> bool | None:
    """Read "ja", "nee hoor", "oui", "no" at the start of a reply (at most four words)."""
    first = re.split(r"[,.;!?\n]", text.strip(), maxsplit=1)[0]
    if not first.strip() or len(_words(clean(first))) > 4:
        return None
    return parse_yes_no(first, lang)


def answers(message: str, lang: str, asked: list[str], yes_no_facts: set[str]) -> dict[str, bool]:
    """Attribute a bare yes/no reply to the yes/no facts the last question asked.

    One fact asked: "ja" / "nee, ..." answers it. Several: "ja, nee, ja" answers them in order, and
    "nee op alles" / "both" answers them all; a lone "ja" to several questions is left unread.
    """
    targets = [name for name in asked if name in yes_no_facts]
    if not targets:
        return {}
    reader = Reader(message, lang)
    settled = reader.kinds({value == "yes": entry for value, entry in _shared()["all_answers"].items()})
    if len(settled) == 1:
        return dict.fromkeys(targets, bool(settled[0]))
    if len(targets) == 1:
        value = short_answer(message, lang)
        return {} if value is None else {targets[0]: value}
    chunks = [c for c in re.split(r"[,;/\n]|\b\d+[.)]", message) if c.strip()]
    if len(chunks) != len(targets):
        return {}
    values = [short_answer(chunk, lang) for chunk in chunks]
    if any(v is None for v in values):
        return {}
    return {name: bool(v) for name, v in zip(targets, values, strict=True)}


def imply(facts: dict[str, Any], rules: list[dict[str, Any]], known: dict[str, Any]) -> None:
    """Add what the stated facts imply (``{if: {...}, then: {...}, override?: true}``), in place.

    A consequence never replaces a fact the owner stated (now or before) unless the rule says
    ``override`` (for consequences that settle a contradiction, e.g. "the reject 'button' is only
    a small link").
    """
    for rule in rules or []:
        if all(facts.get(name) == value for name, value in rule["if"].items()):
            for name, value in rule["then"].items():
                if rule.get("override") or (name not in facts and name not in known):
                    facts[name] = value
