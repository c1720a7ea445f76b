"""Read dates, times, numbers, years and yes/no answers out of an owner's free text (nl, fr, en).

Every word list lives in ``assistant/lexicons/parsing.yaml``; this module only holds the glue.
Matching is done on a *folded* text: lowercase, accents removed, typographic quotes folded and
hyphens read as spaces, so "février", "fevrier" and "Février" read alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from assistant.lexicons import lexicon
from tools.base import EARLIEST_DATE, LATEST_DATE

_WORD_EDGE_BEFORE = r"(?<![a-z0-9])"
_WORD_EDGE_AFTER = r"(?![a-z0-9])"
LANGS = ("nl", "fr", "en")


# --- text folding and phrase scanning -------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, strip accents, fold quotes and collapse whitespace (hyphens are kept)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"\s+", " ", bare).strip()


def _spaced(folded: str) -> str:
    """Read hyphens and underscores as spaces (same length, so positions stay valid)."""
    return folded.replace("-", " ").replace("_", " ")


def _key(phrase: str) -> str:
    return re.sub(r"\s+", " ", _spaced(fold(str(phrase)))).strip()


def _langs(lang: str) -> tuple[str, ...]:
    """The language asked for first, then the others (unknown language: all, in order)."""
    return (lang, *(other for other in LANGS if other != lang)) if lang in LANGS else LANGS


class _Mask:
    """Character positions already claimed by a match, so phrases do not overlap."""

    def __init__(self, size: int) -> None:
        self.taken = [False] * size

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def claim(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.taken[i] = True


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word pattern; a word ending in ``*`` is a prefix ("factu*" matches "facturen")."""
    parts = [
        re.escape(part[:-1]) + r"[a-z0-9']*" if part.endswith("*") else re.escape(part)
        for part in phrase.split(" ")
    ]
    body = r"\s+".join(parts)
    return re.compile(_WORD_EDGE_BEFORE + body + ("" if phrase.endswith("*") else _WORD_EDGE_AFTER))


def _scan(text: str, table: dict[str, Any], mask: _Mask | None = None) -> list[tuple[int, int, Any]]:
    """Find the phrases of ``table`` in ``text``, longest first, without overlaps."""
    mask = mask or _Mask(len(text))
    found: list[tuple[int, int, Any]] = []
    for phrase in sorted(table, key=len, reverse=True):
        for match in _phrase_pattern(phrase).finditer(text):
            if mask.free(match.start(), match.end()):
                mask.claim(match.start(), match.end())
                found.append((match.start(), match.end(), table[phrase]))
    return sorted(found, key=lambda hit: hit[0])


def fold_spaced(text: str) -> str:
    """The folded text the ``find_*`` positions refer to (hyphens read as spaces)."""
    return _spaced(fold(text))


def all_phrases(phrases: Any) -> list[str]:
    """Return every phrase of a ``{nl: [...], fr: [...], en: [...]}`` lexicon entry (or a plain list)."""
    if isinstance(phrases, dict):
        return [str(p) for values in phrases.values() for p in values or []]
    return [str(p) for p in phrases or []]


def phrase_table(groups: dict[str, Any]) -> dict[str, Any]:
    """Return a phrase → value table from ``{value: {nl: [...], ...}}``; YAML "true"/"false" become bools."""
    table: dict[str, Any] = {}
    for value, phrases in groups.items():
        real: Any = {"true": True, "false": False}.get(str(value), value)
        for phrase in all_phrases(phrases):
            table.setdefault(phrase, real)
    return table


def find_phrases(text: str, table: dict[str, Any]) -> list[tuple[int, int, Any]]:
    """Return ``(start, end, value)`` for each phrase of ``table`` found in ``text``.

    Phrases and text are folded alike; longer phrases win and matches never overlap; a phrase
    with a word ending in ``*`` matches it as a prefix. Positions refer to ``fold_spaced(text)``.
    """
    keys: dict[str, Any] = {}
    for phrase, value in table.items():
        keys.setdefault(_key(phrase), value)
    return _scan(fold_spaced(text), keys)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted({_key(w) for w in words}, key=len, reverse=True))


# --- lexicon tables -------------------------------------------------------------------------


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon("parsing")
    return data


@lru_cache(maxsize=8)
def _merged(section: str, langs: tuple[str, ...]) -> dict[str, Any]:
    """One phrase → value table for ``section`` over ``langs`` (earlier languages win)."""
    table: dict[str, Any] = {}
    for lang in reversed(langs):
        for phrase, value in (_lex()[section].get(lang) or {}).items():
            table[_key(phrase)] = value
    return table


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    return _merged("months", LANGS)


@lru_cache(maxsize=1)
def _weekdays() -> dict[str, int]:
    return _merged("weekdays", LANGS)


def _phrases(section: str, langs: tuple[str, ...]) -> list[str]:
    return [_key(p) for lang in langs for p in (_lex()[section].get(lang) or [])]


# --- numbers --------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _number_words(lang: str) -> dict[str, int]:
    """Number words of ``lang`` (all languages when unknown), folded."""
    langs = (lang,) if lang in LANGS else LANGS
    articles = _articles(lang)
    return {word: value for word, value in _merged("numbers", langs).items() if word not in articles}


@lru_cache(maxsize=8)
def _articles(lang: str) -> set[str]:
    langs = (lang,) if lang in LANGS else LANGS
    return set(_phrases("articles", langs))


@lru_cache(maxsize=8)
def _connectors(lang: str) -> set[str]:
    return set(_phrases("connectors", LANGS if lang not in LANGS else (lang,)))


@lru_cache(maxsize=8)
def _approximate(lang: str) -> dict[str, int]:
    return _merged("approximate", (lang,) if lang in LANGS else LANGS)


@lru_cache(maxsize=8)
def _accented_ones(lang: str) -> list[str]:
    """Number words that fold onto an article ("één" → "een"): read before folding."""
    articles = _articles(lang)
    table = _lex()["numbers"]
    langs = (lang,) if lang in LANGS else LANGS
    return [str(word) for code in langs for word in table.get(code, {}) if _key(word) in articles]


def _is_tens(value: int) -> bool:
    return 20 <= value < 100 and value % 10 == 0


def _joins(last: int, value: int, connector: bool) -> bool:
    """Tell whether ``value`` continues the number ending in ``last``."""
    if connector:
        # "vingt et un", "hundred and fifty", "vijf en twintig".
        return (
            (_is_tens(last) and value in (1, 11))
            or (last >= 100 and value < last)
            or (last < 10 and _is_tens(value))
        )
    if value >= 100:
        return value > last
    if last >= 100:
        return value < last
    if last in (60, 80):
        # "soixante-dix", "quatre-vingt-dix-neuf".
        return value < 20
    return _is_tens(last) and value < 10


def _evaluate(values: list[int]) -> int:
    total, current = 0, 0
    for value in values:
        if value == 100:
            current = max(current, 1) * 100
        elif value >= 1000:
            total += max(current, 1) * value
            current = 0
        else:
            current += value
    return total + current


def _split_compound(word: str, morphemes: dict[str, int | None]) -> list[int | None] | None:
    """Split a Dutch compound like "vijfentwintig" into morpheme values (None = "en")."""
    if not word:
        return []
    for morpheme in sorted(morphemes, key=len, reverse=True):
        if word.startswith(morpheme):
            rest = _split_compound(word[len(morpheme) :], morphemes)
            if rest is not None:
                return [morphemes[morpheme], *rest]
    return None


def _compound_value(word: str, lang: str) -> int | None:
    """Value of a one-word compound number ("vijfentwintig", "tweehonderd"), if it is one."""
    morphemes: dict[str, int | None] = dict(_number_words(lang))
    for article in _articles(lang):
        morphemes.setdefault(article, 1)
    for joiner in _connectors(lang):
        morphemes[joiner] = None
    parts = _split_compound(word, morphemes)
    if not parts or len(parts) < 2 or parts[0] is None or parts[-1] is None:
        return None
    values: list[int] = []
    connector = False
    for part in parts:
        if part is None:
            if connector:
                return None
            connector = True
            continue
        if values and not _joins(values[-1], part, connector):
            return None
        values.append(part)
        connector = False
    return _evaluate(values)


def _word_value(token: str, lang: str) -> int | None:
    """Value of one (folded) number word or compound, without articles."""
    table = _number_words(lang)
    if token in table:
        return table[token]
    if lang in ("nl", "") or lang not in LANGS:
        return _compound_value(token, "nl" if lang == "nl" else lang)
    return None


def _approx_value(token: str, lang: str) -> int | None:
    table = _approximate(lang)
    if token in table:
        return table[token]
    langs = (lang,) if lang in LANGS else LANGS
    for code in langs:
        suffix = _lex().get("approximate_suffix", {}).get(code)
        if suffix and token.endswith(suffix) and len(token) > len(suffix):
            stem = token[: -len(suffix)]
            value = _word_value(stem, code)
            if value is not None:
                return value
    return None


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _digits_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        return int(token.replace(".", ""))
    return None


def _date_time_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of numeric dates and clock times, which are not counts."""
    spans: list[tuple[int, int]] = []
    for pattern in (*_numeric_date_patterns(), *_time_patterns()):
        spans.extend((m.start(), m.end()) for m in pattern.finditer(folded))
    return spans


def parse_numbers(text: str, lang: str, *, include_articles: bool = False) -> list[int]:
    """Return the counts stated in ``text``: digits and number words, in order of appearance.

    Reads "4", "1.200", "vier", "vijfentwintig", "tweehonderd", "vingt-cinq", "quatre-vingt-dix",
    "septante", "twenty-five", "two hundred and fifty", approximate counts ("een tiental",
    "een 200-tal", "une vingtaine", "a dozen"). Dates and clock times are skipped. Articles
    ("een", "un", "a") count as 1 only when they are the whole message or ``include_articles``.
    """
    raw = unicodedata.normalize("NFC", text).lower()
    for word in _accented_ones(lang):
        raw = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", " 1 ", raw)
    folded = fold(raw)
    for start, end in _date_time_spans(folded):
        folded = folded[:start] + " " * (end - start) + folded[end:]
    tokens = re.findall(r"\d+(?:[.,]\d+)*|[a-z']+", _spaced(folded))
    articles = _articles(lang)
    if len(tokens) == 1 and tokens[0] in articles:
        return [1]
    connectors = _connectors(lang)
    multiword = {k: v for k, v in _number_words(lang).items() if " " in k}
    results: list[int] = []
    group: list[int] = []
    pending_connector = False

    def flush() -> None:
        nonlocal group, pending_connector
        if group:
            results.append(_evaluate(group))
        group, pending_connector = [], False

    i = 0
    while i < len(tokens):
        token = tokens[i]
        value: int | None = None
        pair = f"{token} {tokens[i + 1]}" if i + 1 < len(tokens) else ""
        if pair in multiword:
            value, i = multiword[pair], i + 1
        elif _DIGITS.fullmatch(token):
            value = _digits_value(token)
            if value is None:
                flush()
        elif token in connectors and group:
            pending_connector = True
            i += 1
            continue
        elif include_articles and token in articles:
            value = 1
        else:
            value = _word_value(token, lang)
            if value is None:
                approx = _approx_value(token, lang)
                if approx is not None:
                    flush()
                    results.append(approx)
                    i += 1
                    continue
        if value is None:
            flush()
        elif group and _joins(group[-1], value, pending_connector):
            group.append(value)
            pending_connector = False
        else:
            flush()
            group = [value]
        i += 1
    flush()
    return results


def _single_number(token: str, lang: str) -> int | None:
    """A one-token number, articles included ("een week geleden", "3 dagen")."""
    values = parse_numbers(token, lang, include_articles=True)
    return values[0] if len(values) == 1 else None


# --- years ----------------------------------------------------------------------------------


def find_years(text: str, today: dt.date | None = None) -> list[tuple[int, int, int]]:
    """Return ``(start, end, year)`` for years 1990–2100 (positions in ``fold_spaced``).

    With ``today``, relative years count too ("vorig jaar", "l'année dernière", "this year").
    """
    spaced = fold_spaced(text)
    found = [
        (match.start(), match.end(), int(match.group(1)))
        for match in re.finditer(r"(?<![\d.,])(\d{4})(?!\d|[.,]\d)", spaced)
        if 1990 <= int(match.group(1)) <= 2100
    ]
    if today is not None:
        table = _merged("relative_years", LANGS)
        found += [(start, end, today.year + int(offset)) for start, end, offset in _scan(spaced, table)]
    return sorted(found, key=lambda hit: hit[0])


def parse_years(text: str, today: dt.date | None = None) -> list[int]:
    """Return the years 1990–2100 mentioned in ``text`` ("facturen uit 2021 en 2024"), no repeats.

    With ``today``, relative years count too ("vorig jaar", "l'année dernière", "this year").
    """
    years: list[int] = []
    for _start, _end, year in find_years(text, today):
        if year not in years:
            years.append(year)
    return years


# --- dates ----------------------------------------------------------------------------------


def _year_less(day: int, month: int, today: dt.date) -> dt.date | None:
    """The most recent ``day``/``month`` not after ``today``."""
    for year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def _make_date(day: int, month: int, year: int | None, today: dt.date) -> dt.date | None:
    if year is None:
        return _year_less(day, month, today)
    if year < 100:
        year += 2000
    try:
        day_read = dt.date(year, month, day)
    except ValueError:
        return None
    # "31/12/9999" is a typo or a test, not a date a rule can count from: leave it unread.
    return day_read if EARLIEST_DATE <= day_read <= LATEST_DATE else None


@lru_cache(maxsize=1)
def _numeric_date_patterns() -> tuple[re.Pattern[str], ...]:
    iso = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])")
    dmy = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|[.,]\d)")
    dm = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?![\d/]|[.,]\d)")
    return iso, dmy, dm


def _suffix_group() -> str:
    return r"(?:" + _alternation(_lex()["day_suffixes"]) + r")?"


@lru_cache(maxsize=1)
def _named_date_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    months = _alternation(_months())
    fillers = _alternation(_lex()["date_fillers"])
    suffix = _suffix_group()
    day_first = re.compile(
        rf"(?<![\d/.])(\d{{1,2}}){suffix}\.?\s+(?:(?:{fillers})\s+)*({months})\.?"
        rf"(?![a-z])(?:,?\s+(\d{{4}}))?(?!\d)"
    )
    month_first = re.compile(
        rf"(?<![a-z])({months})\.?\s+(?:the\s+)?(\d{{1,2}}){suffix}(?![\d/:a-z])"
        rf"(?:,?\s+(\d{{4}}))?(?!\d)"
    )
    return day_first, month_first


def _numeric_dates(folded: str, today: dt.date, mask: _Mask) -> list[tuple[int, int, dt.date]]:
    found: list[tuple[int, int, dt.date]] = []
    not_dates = {_key(s) for s in _lex()["not_dates"]}
    iso, dmy, dm = _numeric_date_patterns()
    for pattern in (iso, dmy, dm):
        for match in pattern.finditer(folded):
            if not mask.free(match.start(), match.end()):
                continue
            mask.claim(match.start(), match.end())
            if match.group(0) in not_dates:
                continue
            groups = match.groups()
            if pattern is iso:
                date = _make_date(int(groups[2]), int(groups[1]), int(groups[0]), today)
            elif pattern is dmy:
                date = _make_date(int(groups[0]), int(groups[2]), int(groups[3]), today)
            else:
                date = _make_date(int(groups[0]), int(groups[1]), None, today)
            if date is not None:
                found.append((match.start(), match.end(), date))
    return found


def _named_dates(text: str, today: dt.date, mask: _Mask) -> list[tuple[int, int, dt.date]]:
    found: list[tuple[int, int, dt.date]] = []
    months = _months()
    day_first, month_first = _named_date_patterns()
    for pattern in (day_first, month_first):
        for match in pattern.finditer(text):
            if not mask.free(match.start(), match.end()):
                continue
            if pattern is day_first:
                day, month_word, year = match.group(1), match.group(2), match.group(3)
            else:
                month_word, day, year = match.group(1), match.group(2), match.group(3)
            date = _make_date(int(day), months[month_word], int(year) if year else None, today)
            if date is not None:
                mask.claim(match.start(), match.end())
                found.append((match.start(), match.end(), date))
    return found


def _ago_dates(text: str, lang: str, today: dt.date, mask: _Mask) -> list[tuple[int, int, dt.date]]:
    found: list[tuple[int, int, dt.date]] = []
    for code in _langs(lang):
        units = {_key(k): int(v) for k, v in _lex()["ago_units"].get(code, {}).items()}
        for template in _lex()["ago_patterns"].get(code, []):
            body = re.escape(_key(template)).replace(r"\{n\}", r"(\d+|[a-z]+)")
            body = body.replace(r"\{unit\}", "(" + _alternation(units) + ")").replace(r"\ ", r"\s+")
            for match in re.finditer(_WORD_EDGE_BEFORE + body + _WORD_EDGE_AFTER, text):
                count = _single_number(match.group(1), code)
                if count is None or not mask.free(match.start(), match.end()):
                    continue
                mask.claim(match.start(), match.end())
                found.append(
                    (match.start(), match.end(), today - dt.timedelta(days=count * units[match.group(2)]))
                )
    return found


def _weekday_dates(text: str, lang: str, today: dt.date, mask: _Mask) -> list[tuple[int, int, dt.date]]:
    found: list[tuple[int, int, dt.date]] = []
    days = _alternation(_weekdays())
    weekdays = _weekdays()
    previous = _alternation(_phrases("previous_week", LANGS))
    before = _alternation(_phrases("last_weekday_before", LANGS)) or "(?!)"
    after = _alternation(_phrases("last_weekday_after", LANGS)) or "(?!)"
    this_monday = today - dt.timedelta(days=today.weekday())

    def previous_week(day: int) -> dt.date:
        return this_monday - dt.timedelta(days=7) + dt.timedelta(days=day)

    def last_before(day: int) -> dt.date:
        return today - dt.timedelta(days=(today.weekday() - day - 1) % 7 + 1)

    def latest(day: int) -> dt.date:
        return today - dt.timedelta(days=(today.weekday() - day) % 7)

    forms = [
        (rf"(?:{previous})\s+(?:op\s+)?({days})", previous_week),
        (rf"({days})\s+(?:(?:van|de)\s+)?(?:{previous})", previous_week),
        (rf"(?:{before})\s+({days})", last_before),
        (rf"({days})\s+(?:{after})", last_before),
        (rf"({days})", latest),
    ]
    for body, resolve in forms:
        for match in re.finditer(_WORD_EDGE_BEFORE + body + _WORD_EDGE_AFTER, text):
            if mask.free(match.start(), match.end()):
                mask.claim(match.start(), match.end())
                found.append((match.start(), match.end(), resolve(weekdays[match.group(1)])))
    return found


@lru_cache(maxsize=8)
def _relative_table(lang: str) -> dict[str, int]:
    ambiguous = {_key(w) for w in _lex()["ambiguous_relative"]}
    table: dict[str, int] = {}
    for code in reversed(_langs(lang)):
        for phrase, offset in (_lex()["relative_days"].get(code) or {}).items():
            key = _key(phrase)
            if code == lang or key not in ambiguous:
                table[key] = int(offset)
    return table


def _relative_dates(text: str, lang: str, today: dt.date, mask: _Mask) -> list[tuple[int, int, dt.date]]:
    return [
        (start, end, today + dt.timedelta(days=offset))
        for start, end, offset in _scan(text, _relative_table(lang), mask)
    ]


def _dated(text: str, lang: str, today: dt.date) -> list[tuple[int, int, dt.date]]:
    folded = fold(text)
    spaced = _spaced(folded)
    mask = _Mask(len(folded))
    found = _numeric_dates(folded, today, mask)
    found += _named_dates(spaced, today, mask)
    found += _ago_dates(spaced, lang, today, mask)
    found += _weekday_dates(spaced, lang, today, mask)
    found += _relative_dates(spaced, lang, today, mask)
    return sorted(found, key=lambda hit: hit[0])


def find_dates(text: str, lang: str, today: dt.date) -> list[tuple[int, int, dt.date]]:
    """Return ``(start, end, date)`` for each date in ``text`` (positions in ``fold_spaced``)."""
    return _dated(text, lang, today)


def find_month_years(text: str, lang: str, today: dt.date) -> list[tuple[int, int, int, int]]:
    """Return ``(start, end, year, month)`` for months named without a day ("eind maart 2025").

    A month without a year is the most recent such month not after ``today``.
    """
    spaced = fold_spaced(text)
    mask = _Mask(len(spaced))
    for start, end, _date in _dated(text, lang, today):
        mask.claim(start, end)
    months = _months()
    pattern = re.compile(rf"(?<![a-z0-9])({_alternation(months)})(?![a-z])(?:\.?\s+(\d{{4}})(?!\d))?")
    found: list[tuple[int, int, int, int]] = []
    for match in pattern.finditer(spaced):
        # Short month words ("jan", "mei", "may") are names or verbs too: only with a year.
        if not mask.free(match.start(), match.end()) or (len(match.group(1)) < 4 and not match.group(2)):
            continue
        month = months[match.group(1)]
        if match.group(2):
            year = int(match.group(2))
        else:
            year = today.year if month <= today.month else today.year - 1
        found.append((match.start(), match.end(), year, month))
    return found


def parse_dates(text: str, lang: str, today: dt.date) -> list[dt.date]:
    """Return the dates mentioned in ``text``, in order of appearance, without repeats.

    Reads relative days ("vandaag", "gisteren", "eergisteren", "aujourd'hui", "hier",
    "avant-hier", "today", "yesterday", "3 dagen geleden", "il y a 2 jours", "a week ago"),
    weekdays ("maandag", "vorige week maandag", "lundi dernier", "last Monday"), numeric dates
    ("4/12", "4/12/2026", "4-12-2026", "4.12.26", "2026-12-04") and named months ("3 maart",
    "le 3 mars 2026", "March 3, 2026", "3rd of March"). A date without a year is the most recent
    such date not after ``today``.
    """
    dates: list[dt.date] = []
    for _start, _end, date in _dated(text, lang, today):
        if date not in dates:
            dates.append(date)
    return dates


# --- times ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _time_patterns() -> tuple[re.Pattern[str], ...]:
    hour_words = _alternation(_lex()["hour_words"])
    meridiem = _alternation([*_lex()["pm_words"], *_lex()["am_words"]])
    markers = _alternation(w for code in LANGS for w in _lex()["time_markers"].get(code, []))
    colon = re.compile(
        rf"(?<![\d:/.,])([01]?\d|2[0-3]):([0-5]\d)(?:\s*({meridiem})(?![a-z]))?(?:\s*(?:{hour_words})(?![a-z]))?"
    )
    dotted = re.compile(rf"(?<![\d:/.,])([01]?\d|2[0-3])\.([0-5]\d)\s*(?:{hour_words})(?![a-z])")
    marker_dotted = re.compile(rf"(?<![a-z])(?:{markers})\s+([01]?\d|2[0-3])\.([0-5]\d)(?![\d/.])")
    worded = re.compile(rf"(?<![\d:/.,])([01]?\d|2[0-3])\s*(?:{hour_words})(?:\s*([0-5]\d))?(?![a-z0-9])")
    meridiem_only = re.compile(rf"(?<![\d:/.,])(1[0-2]|0?\d)\s*({meridiem})(?![a-z])")
    marker_bare = re.compile(rf"(?<![a-z])(?:{markers})\s+([01]?\d|2[0-3])(?=\s*(?:[,.;!?)]|$))")
    return colon, dotted, marker_dotted, worded, meridiem_only, marker_bare


def _meridiem(hour: int, word: str | None) -> int:
    if not word:
        return hour
    pm = {_key(w) for w in _lex()["pm_words"]}
    if _key(word) in pm:
        return hour + 12 if hour < 12 else hour
    return 0 if hour == 12 else hour


def _spoken_times(folded: str, mask: _Mask) -> list[tuple[int, int, dt.time]]:
    """Find "half negen", "kwart voor tien", "half past eight", "huit heures et demie"."""
    hours = {w: v for code in LANGS for w, v in _number_words(code).items() if 1 <= v <= 12}
    hour = rf"(\d{{1,2}}|{_alternation(hours)})"
    spec = _lex()["clock_phrases"]
    found: list[tuple[int, int, dt.time]] = []
    patterns = [
        (re.compile(rf"(?<![a-z])({_alternation(spec['before_hour'])})\s+{hour}(?![a-z0-9])"), 0, 1),
        (
            re.compile(
                rf"(?<![a-z0-9]){hour}\s*(?:heures?|h)?\s+({_alternation(spec['after_hour'])})(?![a-z])"
            ),
            1,
            0,
        ),
    ]
    for pattern, phrase_group, hour_group in patterns:
        for match in pattern.finditer(folded):
            if not mask.free(match.start(), match.end()):
                continue
            word = match.group(hour_group + 1)
            value = int(word) if word.isdigit() else hours.get(word, 0)
            if not 1 <= value <= 23:
                continue
            table = spec["before_hour"] if phrase_group == 0 else spec["after_hour"]
            minutes = value * 60 + int(table[_key(match.group(phrase_group + 1))])
            mask.claim(match.start(), match.end())
            found.append((match.start(), match.end(), dt.time((minutes // 60) % 24, minutes % 60)))
    return found


def find_times(text: str) -> list[tuple[int, int, dt.time]]:
    """Return ``(start, end, time)`` for each clock time in ``text`` ("14:30", "14u", "2 pm")."""
    folded = fold(text)
    mask = _Mask(len(folded))
    found_spoken = _spoken_times(folded, mask)
    colon, dotted, marker_dotted, worded, meridiem_only, marker_bare = _time_patterns()
    found: list[tuple[int, int, dt.time]] = []
    for pattern in (colon, dotted, marker_dotted, worded, meridiem_only, marker_bare):
        for match in pattern.finditer(folded):
            if not mask.free(match.start(), match.end()):
                continue
            mask.claim(match.start(), match.end())
            groups = match.groups()
            hour = int(groups[0])
            minute = 0
            word: str | None = None
            if pattern in (colon, dotted, marker_dotted):
                minute = int(groups[1])
                word = groups[2] if pattern is colon else None
            elif pattern is worded:
                minute = int(groups[1]) if groups[1] else 0
            elif pattern is meridiem_only:
                word = groups[1]
            found.append((match.start(), match.end(), dt.time(_meridiem(hour, word) % 24, minute)))
    return sorted(found + found_spoken, key=lambda hit: hit[0])


def parse_time(text: str, lang: str) -> dt.time | None:
    """Return the first clock time in ``text`` ("14:30", "om 14u", "14u30", "à 9h", "at 2 pm").

    Without a clock time, a part of the day ("vanochtend", "ce soir", "this afternoon") gives an
    approximate hour from the lexicon.
    """
    times = find_times(text)
    if times:
        return times[0][2]
    parts = _scan(fold_spaced(text), _merged("day_parts", _langs(lang)))
    if parts:
        return dt.time(int(parts[0][2]), 0)
    return None


def parse_datetime(
    text: str,
    lang: str,
    today: dt.date,
    *,
    default_time: dt.time | None = dt.time(0, 0),
    assume_today: bool = True,
) -> dt.datetime | None:
    """Return the first date of ``text`` with its time of day ("gisteren om 16u", "le 3 mars à 9h").

    A date without a time gets ``default_time`` (midnight: the earliest moment, so a deadline
    counted from it is never late; ``None`` → no result). A time without a date is taken as
    ``today`` when ``assume_today``. Nothing found → ``None``.
    """
    dates = parse_dates(text, lang, today)
    moment = parse_time(text, lang)
    if not dates:
        if moment is None or not assume_today:
            return None
        return dt.datetime.combine(today, moment)
    if moment is None:
        if default_time is None:
            return None
        moment = default_time
    return dt.datetime.combine(dates[0], moment)


# --- yes / no -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _yes_no_table(lang: str, kinds: tuple[str, ...], own_only: bool) -> dict[str, Any]:
    section = _lex()["yes_no"]
    langs = ((lang,) if lang in LANGS else LANGS) if own_only else _langs(lang)
    table: dict[str, Any] = {}
    for kind in kinds:
        for code in langs:
            for phrase in section[kind].get(code) or []:
                table.setdefault(_key(phrase), kind)
    return table


def parse_yes_no(text: str, lang: str) -> bool | None:
    """Return ``True`` for yes, ``False`` for no, ``None`` when unclear or "I don't know".

    An "I don't know" phrase wins; then a yes or no phrase at the start of the answer; then a
    clear yes or no anywhere (only one of them); then a plain negation ("niet", "pas", "not").
    """
    text = _spaced(fold(text))
    if _scan(text, _yes_no_table(lang, ("unknown",), False)):
        return None
    strong = _scan(text, _yes_no_table(lang, ("yes", "no"), False))
    if strong and re.fullmatch(r"[\s\W]*", text[: strong[0][0]]):
        return bool(strong[0][2] == "yes")
    kinds = {kind for _s, _e, kind in strong}
    if len(kinds) == 1:
        return kinds == {"yes"}
    if kinds:
        return None
    if _scan(text, _yes_no_table(lang, ("weak_no",), True)):
        return False
    return None
