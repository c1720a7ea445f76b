"""Read the vendor_exit facts (exports, backups, escrow, location, clauses) out of free text.

Every phrase lives in ``assistant/lexicons/vendor_exit.yaml``. This module also holds the small
phrase machinery that the web_exposure extractor shares: whole-word matching on folded text
with "*" stems, clause splitting, negation and question handling.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.lexicons import lexicon
from assistant.parsing import fold, parse_yes_no

TOOL = "vendor_exit"

_BEFORE = r"(?<![a-z0-9])"
_AFTER = r"(?![a-z0-9])"
_OPTION = re.compile(r"^\s*([a-z_]+(?:\[[^\]]*\]\.[a-z_]+)?):([A-Za-z0-9_\-]+)\s*$")
# Sentence ends: . ! ? ; or a line break (a "." inside "export.xlsx" or "mijnzaak.be" is no end).
_SENTENCE_END = re.compile(r"(?<=[!?;])|(?<=\.)(?=\s|$)|\n")
# Words after a phrase a negation may stand in and still deny it ("escrow hebben we niet").
_AFTER_WINDOW = 4
# Where a negation stops reaching: backwards, a sentence end (not the "." inside "x.csv"); forwards,
# also a comma ("geen CRM, nieuwsbrief of webshop" denies the list after it, not the clause after).
_SENTENCE_STOP = re.compile(r"[!?;:\n]|\.(?=\s|$)")
_NEGATION_STOP = re.compile(r"[!?;:\n]|[.,](?=\s|$)")


# --- shared phrase machinery -----------------------------------------------------------------


def folded(text: str) -> str:
    """Fold ``text`` for matching: lowercase, no accents, hyphens and underscores read as spaces."""
    return fold(text).replace("-", " ").replace("_", " ")


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    """Compile one lexicon phrase: whole words, a trailing '*' for a stem, capitals = exact case."""
    stem = phrase.endswith("*")
    body = phrase[:-1] if stem else phrase
    if body != body.lower():
        parts = unicodedata.normalize("NFC", body).split()
        return re.compile(
            r"(?<![A-Za-z0-9])"
            + r"\s+".join(re.escape(p) for p in parts)
            + ("" if stem else r"(?![A-Za-z0-9])")
        )
    parts = folded(body).split()
    return re.compile(_BEFORE + r"\s+".join(re.escape(p) for p in parts) + ("" if stem else _AFTER))


def is_exact_case(phrase: str) -> bool:
    """Tell whether ``phrase`` is matched case-sensitively on the message as typed."""
    return phrase != phrase.lower()


@dataclass(frozen=True)
class Hit:
    """One phrase found in a folded text, with the value it stands for."""

    start: int
    end: int
    value: Any
    negated: bool = False


def scan(text: str, table: Iterable[tuple[str, Any]]) -> list[Hit]:
    """Find the phrases of ``table`` in folded ``text``, longest first, without overlaps."""
    taken = [False] * len(text)
    hits: list[Hit] = []
    for phrase, value in sorted(table, key=lambda pv: len(pv[0].rstrip("*")), reverse=True):
        for match in _pattern(phrase).finditer(text):
            if not any(taken[match.start() : match.end()]):
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                hits.append(Hit(match.start(), match.end(), value))
    return sorted(hits, key=lambda h: h.start)


def has_any(text: str, phrases: Iterable[str]) -> bool:
    """Tell whether folded ``text`` holds one of ``phrases``."""
    return any(_pattern(str(p)).search(text) for p in phrases)


@lru_cache(maxsize=1)
def _clause_words() -> tuple[frozenset[str], frozenset[str]]:
    """Return (words that start a new clause, words that start a relative clause), folded."""
    shared = lexicon("statements")
    breaks = frozenset(folded(str(w)) for w in [*shared["clause_breaks"], *shared["restrictive_words"]])
    relatives = frozenset(folded(str(w)) for w in shared["relative_words"])
    return breaks, relatives


def negated(
    text: str, start: int, negations: Iterable[str], window: int, *, end: int | None = None, after: int = 0
) -> bool:
    """Tell whether a negation denies the phrase at ``start``..``end`` in its own clause.

    Before the phrase: up to ``window`` words, but never past the end of the previous sentence or
    a clause break ("Zonder personeel. Eén keer per jaar ..." does not deny the frequency). With
    ``end`` and ``after``: also up to ``after`` words after the phrase, up to the next comma or
    clause break and not into a relative clause, for the verb-final or fronted forms owners write
    ("camera's hangen er niet", "escrow hebben we niet", "a backup we never made").
    """
    words = {folded(str(n)) for n in negations}
    breaks, relatives = _clause_words()
    head = text[:start]
    stop = max((m.end() for m in _SENTENCE_STOP.finditer(head)), default=0)
    before = re.findall(r"[a-z0-9']+", head[stop:])
    cut = max((i + 1 for i, w in enumerate(before) if w in breaks), default=0)
    if any(w in words for w in before[cut:][-window:]):
        return True
    if end is None or after <= 0:
        return False
    rest = text[end:]
    rest = rest[len(re.match(r"[a-z0-9']*", rest).group()) :]  # type: ignore[union-attr]
    clause = _NEGATION_STOP.split(rest, maxsplit=1)[0]
    for word in re.findall(r"[a-z0-9']+", clause)[:after]:
        if word in breaks or word in relatives:
            return False
        if word in words:
            return True
    return False


@dataclass(frozen=True)
class Segment:
    """A comma-separated piece of a sentence: its folded text and whether it asks a question."""

    text: str
    question: bool


@dataclass(frozen=True)
class Sentence:
    """A sentence (or contrast clause) as typed, folded, and cut at its commas."""

    raw: str
    text: str
    segments: tuple[Segment, ...]


def sentences(message: str, breaks: Iterable[str]) -> list[Sentence]:
    """Cut ``message`` into sentences (also at contrast words such as 'maar') and comma segments."""
    contrast = "|".join(re.escape(str(b)) for b in sorted(breaks, key=len, reverse=True))
    out: list[Sentence] = []
    for piece in _SENTENCE_END.split(message):
        parts = re.split(rf"\s+(?:{contrast})\s+", piece, flags=re.IGNORECASE) if contrast else [piece]
        for part in parts:
            raw = part.strip()
            if not raw:
                continue
            segments = tuple(
                Segment(folded(seg), seg.strip().endswith("?"))
                for seg in re.split(r",(?!\d)", raw)
                if seg.strip()
            )
            out.append(Sentence(raw, folded(raw), segments))
    return out


def polarity(
    text: str, yes: Iterable[str], no: Iterable[str], negations: Iterable[str], window: int
) -> bool | None:
    """Return True/False when ``text`` states/denies the fact, None when silent or torn.

    A negated 'yes' phrase denies ("niet achter een wachtwoord", "escrow hebben we niet"), a
    negated 'no' phrase states.
    """
    table = [(str(p), True) for p in yes] + [(str(p), False) for p in no]
    values = {
        hit.value != negated(text, hit.start, negations, window, end=hit.end, after=_AFTER_WINDOW)
        for hit in scan(text, table)
    }
    return values.pop() if len(values) == 1 else None


@lru_cache(maxsize=1)
def unknown_phrases() -> tuple[str, ...]:
    """Return the "I don't know" phrases of the parsing lexicon (all languages)."""
    table = lexicon("parsing")["yes_no"]["unknown"]
    return tuple(str(p) for phrases in table.values() for p in phrases)


def option(message: str) -> tuple[str, str] | None:
    """Return (fact, value) when ``message`` is a button value such as ``own_backups:true``."""
    match = _OPTION.match(message)
    return (match.group(1), match.group(2)) if match else None


def coerce(value: str) -> Any:
    """Read a button value: 'true'/'false' as booleans, digits as an int, else the text."""
    if value in ("true", "false"):
        return value == "true"
    return int(value) if value.isdigit() else value


def answer_parts(message: str) -> list[str]:
    """Split a list-like answer ("ja, nee, csv" or one per line, "1. ja") into its parts."""
    parts = [re.sub(r"^\s*(?:\d+[.)]|[-*•])\s*", "", p) for p in re.split(r"[,;\n/]", message)]
    return [p.strip() for p in parts if p.strip()]


# --- vendor_exit ------------------------------------------------------------------------------

BOOLEANS = (
    "own_backups",
    "backup_open_format",
    "critical",
    "escrow",
    "transfer_safeguards",
    "return_or_delete_clause",
    "data_act_switching_terms",
    "vendor_in_difficulty",
    "personal_data",
)
FORMATS = ("csv", "xlsx", "json", "xml", "sql", "pdf_only", "proprietary", "none")
LOCATIONS = ("eea", "outside_eea", "unknown")
_SHORT_ANSWER_WORDS = 3


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon(TOOL)
    return data


def _neg(lex: Mapping[str, Any]) -> tuple[list[str], int]:
    return [str(n) for n in lex["negations"]], int(lex["negation_window"])


def _formats(text: str, lex: Mapping[str, Any]) -> list[str]:
    """Return the export formats named (and not denied) in folded ``text``."""
    negations, window = _neg(lex)
    table = [(str(p), kind) for kind, phrases in lex["export_formats"].items() for p in phrases]
    table += [(str(p), "pdf") for p in lex["pdf"]]
    found: list[str] = []
    for hit in scan(text, table):
        # "geen csv": a denied format is not offered (but "kan niet exporteren" is the kind none).
        if hit.value != "none" and negated(text, hit.start, negations, window):
            continue
        if hit.value not in found:
            found.append(hit.value)
    return found


def _export_formats(sents: list[Sentence], lex: Mapping[str, Any]) -> tuple[list[str], bool | None]:
    """Return (export formats, backup_open_format read from backup sentences)."""
    formats: list[str] = []
    backup_open: bool | None = None
    for sentence in sents:
        for seg in sentence.segments:
            if seg.question:
                continue
            found = _formats(seg.text, lex)
            about_backup = has_any(seg.text, lex["backup_words"]) and not has_any(
                seg.text, lex["export_words"]
            )
            if about_backup:
                # "een backup in csv": the format describes the backup, not an export; the
                # vendor's own backups ("de leverancier maakt backups in SQL") are no copy of ours.
                if has_any(seg.text, lex["vendor_subject"]):
                    continue
                if set(found) & set(lex["open_formats"]):
                    backup_open = True
                elif "proprietary" in found:
                    backup_open = False
                continue
            formats += [f for f in found if f not in formats]
    if "pdf" in formats:
        formats.remove("pdf")
        # A PDF is for people: only an export that offers nothing else is "pdf_only".
        if not formats:
            formats.append("pdf_only")
    if "none" in formats and len(formats) > 1:
        formats.remove("none")
    return formats, backup_open


def _own_backups(seg: Segment, lex: Mapping[str, Any], asked: bool) -> bool | None:
    """Read whether the owner keeps his own copy, from backup words said by 'we' (not the vendor)."""
    negations, window = _neg(lex)
    spec = lex["booleans"]["own_backups"]
    stated = polarity(seg.text, spec["states"], spec["denies"], negations, window)
    if stated is not None:
        return stated
    hits = scan(seg.text, [(str(p), True) for p in lex["backup_words"]])
    if not hits or has_any(seg.text, lex["vendor_subject"]):
        return None
    if not (asked or has_any(seg.text, lex["own_words"])):
        return None
    return not negated(seg.text, hits[0].start, negations, window)


def _booleans(sents: list[Sentence], lex: Mapping[str, Any], asked: list[str]) -> dict[str, bool]:
    """Return the yes/no facts stated sentence by sentence (a later statement corrects)."""
    negations, window = _neg(lex)
    facts: dict[str, bool] = {}
    for sentence in sents:
        for seg in sentence.segments:
            if has_any(seg.text, unknown_phrases()):
                continue
            hypothetical = has_any(seg.text, lex["hypothetical"])
            for name, spec in lex["booleans"].items():
                if name == "own_backups":
                    value = None if seg.question else _own_backups(seg, lex, name in asked)
                elif seg.question and name != "vendor_in_difficulty":
                    # "Heb ik escrow nodig?" asks; it does not state.
                    continue
                elif name == "vendor_in_difficulty" and hypothetical:
                    # "Wat als mijn leverancier failliet gaat?" is a worry, not a fact.
                    continue
                else:
                    value = polarity(seg.text, spec["states"], spec.get("denies") or [], negations, window)
                    # "Data Act" alone may be a question about the law; it states a contract term
                    # only next to a contract word. A denial ("niks over overstappen") is specific.
                    if value is True and spec.get("context") and not has_any(sentence.text, spec["context"]):
                        continue
                if value is not None:
                    facts[name] = value
    return facts


def _location(sents: list[Sentence], lex: Mapping[str, Any], asked: bool = False) -> str | None:
    """Return where the data are: any place outside the EEA wins (the data leave the EEA)."""
    negations, window = _neg(lex)
    table = [(str(p), where) for where, phrases in lex["data_location"].items() for p in phrases]
    if asked:
        table += [(str(p), where) for where, phrases in lex["data_location_answers"].items() for p in phrases]
    found: set[str] = set()
    for sentence in sents:
        for seg in sentence.segments:
            if seg.question:
                continue
            for hit in scan(seg.text, table):
                if hit.value == "unknown" or not negated(seg.text, hit.start, negations, window):
                    found.add(hit.value)
    for where in ("outside_eea", "eea", "unknown"):
        if where in found:
            return where
    return None


def vendor_name(message: str, lex: Mapping[str, Any]) -> str | None:
    """Return the first vendor named in ``message`` (for the wording; it is no fact)."""
    text = folded(message)
    typed = unicodedata.normalize("NFC", message)
    best: tuple[int, str] | None = None
    for name, phrases in lex["vendors"].items():
        for phrase in phrases:
            phrase = str(phrase)
            match = _pattern(phrase).search(typed if is_exact_case(phrase) else text)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), str(name))
    return best[1] if best else None


def _from_option(message: str) -> dict[str, Any] | None:
    picked = option(message)
    if picked is None:
        return None
    name, raw = picked
    value = coerce(raw)
    if name == "export_formats" and value in FORMATS:
        return {name: [value]}
    if name == "data_location" and value in LOCATIONS:
        return {name: value}
    if name in BOOLEANS and isinstance(value, bool):
        return {name: value}
    return {}


def _single_answer(part: str, name: str, lang: str, lex: Mapping[str, Any]) -> Any:
    """Read one part of a list-like answer as the fact ``name`` (None when it says nothing)."""
    sents = sentences(part, lex["clause_breaks"])
    if name == "export_formats":
        formats, _ = _export_formats(sents, lex)
        if formats:
            return formats
        return ["none"] if parse_yes_no(part, lang) is False else None
    if name == "data_location":
        return _location(sents, lex, asked=True)
    if name in BOOLEANS:
        stated = _booleans(sents, lex, [name]).get(name)
        return stated if stated is not None else parse_yes_no(part, lang)
    return None


def _asked_answers(message: str, lang: str, asked: list[str], facts: dict[str, Any]) -> dict[str, Any]:
    """Attribute bare answers ("ja", "nee", "csv, ja, nee") to the facts the last question asked."""
    lex = _lex()
    names = [a for a in asked if a in (*BOOLEANS, "export_formats", "data_location")]
    open_names = [n for n in names if n not in facts]
    if not open_names:
        return {}
    parts = answer_parts(message)
    if len(names) > 1 and len(parts) == len(names):
        # One answer per question, in the order asked.
        out: dict[str, Any] = {}
        for name, part in zip(names, parts, strict=True):
            value = _single_answer(part, name, lang, lex)
            if value is not None and name not in facts:
                out[name] = value
        return out
    if len(open_names) == 1:
        name = open_names[0]
        if name == "export_formats":
            # "Nee" to "can you export?" means no export at all.
            return {name: ["none"]} if parse_yes_no(message, lang) is False else {}
        if name in BOOLEANS:
            value = parse_yes_no(message, lang)
            return {name: value} if value is not None else {}
    return {}


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the vendor_exit facts stated in ``message`` (a partial facts dict, only valid values)."""
    chosen = _from_option(message)
    if chosen is not None:
        return chosen
    lex = _lex()
    asked = [str(a) for a in known.get("_asked", [])]
    sents = sentences(message, lex["clause_breaks"])
    facts: dict[str, Any] = {}
    formats, backup_open = _export_formats(sents, lex)
    if formats:
        facts["export_formats"] = formats
    facts.update(_booleans(sents, lex, asked))
    if backup_open is not None and "backup_open_format" not in facts:
        facts["backup_open_format"] = backup_open
    # Short forms ("EU", "VS") only as a short answer to the question that asked for them.
    short = "data_location" in asked and len(message.split()) <= _SHORT_ANSWER_WORDS
    location = _location(sents, lex, asked=short)
    if location is not None:
        facts["data_location"] = location
    facts.update(_asked_answers(message, lang, asked, facts))
    vendor = vendor_name(message, lex)
    if vendor:
        facts["_vendor"] = vendor
    return facts
