"""Read the facts of an erasure request (Art. 17) out of an owner's message.

Word lists live in ``assistant/lexicons/erasure.yaml``; dates, years and yes/no answers come from
``assistant.parsing``. Items and recipients are returned as full updated lists.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from assistant.lexicons import lexicon
from assistant.parsing import (
    all_phrases,
    find_dates,
    find_month_years,
    find_phrases,
    find_years,
    fold_spaced,
    parse_yes_no,
    phrase_table,
)

TOOL = "erasure"

_ITEM_FACT = re.compile(r"^data\[([^\]]+)\]\.(\w+)$")
_ITEM_OPTION = re.compile(r"^\s*data\[([^\]]+)\]\.(\w+):([A-Za-z0-9_\-]+)\s*$")
_TOP_OPTION = re.compile(r"^\s*([a-z_]+):([A-Za-z0-9_\-]+)\s*$")
_DATE_FACTS = ("request_date", "employment_end")
_BOOL_FACTS = (
    "identity_verified",
    "complex",
    "multiple_requests",
    "consent_withdrawn",
    "also_objects_to_marketing",
)
# A cue after the date counts this many characters farther than one before it.
_AFTER_PENALTY = 12
# A bare answer ("gisteren", "4/12") is short; a longer message needs a cue for its dates.
_SHORT_ANSWER_WORDS = 6


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon("erasure")
    return data


def _found(message: str, groups: dict[str, Any]) -> list[Any]:
    return [value for _s, _e, value in find_phrases(message, phrase_table(groups))]


def _any(message: str, phrases: Any) -> bool:
    return bool(find_phrases(message, dict.fromkeys(all_phrases(phrases), True)))


def _one_bool(message: str, groups: dict[str, Any]) -> bool | None:
    """The value of the stated phrases when they agree (``None`` when absent or mixed)."""
    values = set(_found(message, groups))
    return values.pop() if len(values) == 1 else None


# --- the owner's message, pre-read once ------------------------------------------------------


class _Reading:
    """What the message says, with positions in the folded text."""

    def __init__(self, message: str, lang: str, today: dt.date) -> None:
        self.message = message
        self.lang = lang
        self.today = today
        self.text = fold_spaced(message)
        self.words = len(self.text.split())
        entries = _lex()["items"]
        table: dict[str, int] = {}
        for index, entry in enumerate(entries):
            for phrase in all_phrases(entry["phrases"]):
                table.setdefault(phrase, index)
        self.mentions = [(s, e, entries[i]) for s, e, i in find_phrases(message, table)]
        self.vendors = sorted(
            {
                str(key)
                for _s, _e, key in find_phrases(
                    message, {name: key for key, spec in _lex()["vendors"].items() for name in spec["names"]}
                )
            }
        )
        self.years = find_years(message, today)
        self.cues = find_phrases(message, phrase_table(_lex()["date_cues"]))

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around ``start``-``end``: stops at . ! ? ; and line ends (not "4.12")."""
        stops = [m.start() for m in re.finditer(r"[!?;\n]|\.(?!\d)", self.text)]
        before = max([s for s in stops if s < start], default=-1)
        after = min([s for s in stops if s >= end], default=len(self.text))
        return before + 1, after

    def cue_for(self, start: int, end: int) -> str | None:
        """The date category of the nearest cue in the same sentence as ``start``-``end``."""
        low, high = self.sentence(start, end)
        best: tuple[int, str] | None = None
        for c_start, c_end, category in self.cues:
            if c_start < low or c_end > high or (c_start < end and c_end > start):
                continue
            distance = start - c_end if c_end <= start else c_start - end + _AFTER_PENALTY
            if best is None or distance < best[0]:
                best = (distance, str(category))
        return best[1] if best else None


# --- items -------------------------------------------------------------------------------------


def _item_id(item_type: str, year: int | None = None) -> str:
    base = str(_lex()["ids"].get(item_type, item_type))
    return f"{base}_{year}" if year is not None else base


def _subject(reading: _Reading) -> str | None:
    found = set(_found(reading.message, _lex()["subject"]))
    for subject in ("former_employee", "applicant", "customer", "other"):
        if subject in found:
            return subject
    return None


def _segment_years(reading: _Reading, start: int, end: int, previous_end: int, next_start: int) -> list[int]:
    """Years between an item mention and the next item (or the end of the sentence).

    With none after it, the years earlier in its sentence, after the previous item, count: owners
    also put the year first ("ze bestelde in 2024, daar zijn facturen van").
    """
    low, high = reading.sentence(end - 1, end)
    limit = min(next_start, high)
    after = [year for at, _stop, year in reading.years if end <= at < limit]
    before = [year for at, _stop, year in reading.years if max(low, previous_end) <= at < start]
    return list(dict.fromkeys(after or before))


class _Items:
    """The data items, edited in place; renames are recorded for the recipients' ``holds``."""

    def __init__(self, known: list[dict[str, Any]] | None) -> None:
        self.items: list[dict[str, Any]] | None = copy.deepcopy(known) if known is not None else None
        self.renamed: dict[str, list[str]] = {}
        self.mentioned: list[str] = []

    def held(self) -> list[dict[str, Any]]:
        if self.items is None:
            self.items = []
        return self.items

    def find(self, item_id: str) -> dict[str, Any] | None:
        return next((i for i in self.items or [] if i.get("id") == item_id), None)

    def of_type(self, item_type: str) -> list[dict[str, Any]]:
        return [i for i in self.items or [] if i.get("type") == item_type]

    def add(self, item_type: str, year: int | None = None) -> str:
        """Add an item of ``item_type`` (one per year for yearly types), unless already held."""
        if item_type in _lex()["yearly_types"]:
            return self._add_yearly(item_type, year)
        existing = self.of_type(item_type)
        if existing:
            item_id = str(existing[0]["id"])
        else:
            item_id = _item_id(item_type)
            self.held().append({"id": item_id, "type": item_type})
        self._mention(item_id)
        return item_id

    def _add_yearly(self, item_type: str, year: int | None) -> str:
        existing = self.of_type(item_type)
        if year is None:
            if existing:
                for item in existing:
                    self._mention(str(item["id"]))
                return str(existing[0]["id"])
            item_id = _item_id(item_type)
            self.held().append({"id": item_id, "type": item_type})
            self._mention(item_id)
            return item_id
        same = next((i for i in existing if i.get("year") == year), None)
        if same is not None:
            self._mention(str(same["id"]))
            return str(same["id"])
        undated = next((i for i in existing if i.get("year") is None), None)
        if undated is not None:
            # "The invoices" named earlier turn out to be of that year: the id stays.
            undated["year"] = year
            self._mention(str(undated["id"]))
            return str(undated["id"])
        item_id = self._free_id(_item_id(item_type, year))
        self.held().append({"id": item_id, "type": item_type, "year": year})
        self._mention(item_id)
        return item_id

    def set_years(self, item_id: str, years: list[int]) -> None:
        """Give an item its year; several years split it into one item per year."""
        item = self.find(item_id)
        if item is None or not years:
            return
        if len(years) == 1:
            item["year"] = years[0]
            self._mention(item_id)
            return
        self.held().remove(item)
        new_ids = []
        for year in years:
            new_id = self._free_id(_item_id(str(item["type"]), year))
            self.held().append({**item, "id": new_id, "year": year})
            new_ids.append(new_id)
            self._mention(new_id)
        self.renamed[item_id] = new_ids

    def _free_id(self, wanted: str) -> str:
        taken = {str(i.get("id")) for i in self.items or []}
        candidate, n = wanted, 2
        while candidate in taken:
            candidate, n = f"{wanted}_{n}", n + 1
        return candidate

    def _mention(self, item_id: str) -> None:
        if item_id not in self.mentioned:
            self.mentioned.append(item_id)


def _not_held(reading: _Reading, start: int, end: int) -> bool:
    """Tell whether the mention at ``start``-``end`` says the item is not held ("geen facturen")."""
    spec = _lex()["not_held"]
    low, high = reading.sentence(start, end)
    before = reading.text[low:start].rstrip()
    after = reading.text[end:high].lstrip(" ,")
    if any(re.search(r"(?:^|\s)" + re.escape(str(p)) + r"$", before) for p in spec["before"]):
        return True
    return any(re.match(re.escape(str(p)) + r"(?![a-z])", after) for p in spec["after"])


def _read_items(reading: _Reading, items: _Items, subject: str | None) -> None:
    mentions = [
        (s, e, entry)
        for s, e, entry in reading.mentions
        if entry.get("type") and not _not_held(reading, s, e)
    ]
    employee = subject == "former_employee"
    for index, (start, end, entry) in enumerate(mentions):
        item_type = str(
            entry.get("employee_type") if employee and entry.get("employee_type") else entry["type"]
        )
        if item_type in _lex()["yearly_types"]:
            next_start = mentions[index + 1][0] if index + 1 < len(mentions) else len(reading.text)
            previous_end = mentions[index - 1][1] if index else 0
            years: list[int | None] = [*_segment_years(reading, start, end, previous_end, next_start)]
            for year in years or [None]:
                items.add(item_type, year)
        else:
            items.add(item_type)
    for key in reading.vendors:
        spec = _lex()["vendors"][key]
        implied = spec.get("implies")
        # "Mailchimp" shows a mailing list exists, unless an item it holds is already named.
        if implied and not any(items.of_type(str(kind)) for kind in spec.get("holds", [])):
            items.add(str(implied))


# --- recipients --------------------------------------------------------------------------------


def _recipients(known: list[dict[str, Any]], items: _Items, vendors: list[str]) -> list[dict[str, Any]]:
    specs = _lex()["vendors"]
    recipients = copy.deepcopy(known)
    ids = {str(r.get("id")) for r in recipients}
    for key in vendors:
        if key not in ids:
            recipients.append({"id": key, "holds": []})
            ids.add(key)
    held = {str(i.get("id")) for i in items.items or []}
    result = []
    for recipient in recipients:
        holds: list[str] = []
        for item_id in recipient.get("holds", []):
            holds.extend(items.renamed.get(str(item_id), [str(item_id)]))
        spec = specs.get(str(recipient.get("id")))
        if spec is not None:
            kinds = set(spec.get("holds", []))
            holds.extend(str(i["id"]) for i in items.items or [] if i.get("type") in kinds)
        holds = [h for h in dict.fromkeys(holds) if h in held]
        if spec is not None and not holds and str(recipient.get("id")) in vendors:
            # A vendor that holds nothing (yet) tells nothing: leave it out.
            continue
        result.append({**recipient, "holds": holds})
    return result


# --- dates -------------------------------------------------------------------------------------


def _one_yes_no_asked(asked: list[str]) -> bool:
    """A bare "ja" / "non" answers a question only when it asked for a single yes/no fact."""
    flags = [name for name in asked if name in ("identity_verified", "also_objects_to_marketing")]
    flags += [
        name for name in asked if (m := _ITEM_FACT.match(name)) and m.group(2) in ("incident", "dispute_open")
    ]
    return len(flags) == 1


def _asked_date_facts(asked: list[str]) -> list[str]:
    out = [name for name in asked if name in _DATE_FACTS]
    out += [name for name in asked if (m := _ITEM_FACT.match(name)) and m.group(2) == "recorded"]
    return out


def _read_dates(reading: _Reading, asked: list[str], known: dict[str, Any]) -> dict[str, dt.date]:
    """Attribute each date to request_date, employment_end or a recording (``recorded``)."""
    found: dict[str, dt.date] = {}
    loose: list[dt.date] = []
    for start, end, date in find_dates(reading.message, reading.lang, reading.today):
        category = reading.cue_for(start, end)
        if category == "ignore":
            continue
        if category in ("request_date", "employment_end", "recorded"):
            found.setdefault(category, date)
        else:
            loose.append(date)
    for start, end, year, month in find_month_years(reading.message, reading.lang, reading.today):
        category = reading.cue_for(start, end)
        wants_end = category == "employment_end" or (category is None and "employment_end" in asked)
        if wants_end and "employment_end" not in found:
            # A month without a day: its last day (the later end keeps claims in time).
            following = dt.date(year + (month == 12), month % 12 + 1, 1)
            found["employment_end"] = following - dt.timedelta(days=1)
    open_asked = [name for name in _asked_date_facts(asked) if _fact_key(name) not in found]
    for name, date in zip(open_asked, loose, strict=False):
        found[_fact_key(name)] = date
    loose = loose[len(open_asked) :]
    has_request_cue = any(category == "request_date" for _s, _e, category in reading.cues)
    if (
        loose
        and "request_date" not in found
        and known.get("request_date") is None
        and not open_asked
        and (has_request_cue or reading.words <= _SHORT_ANSWER_WORDS)
    ):
        found["request_date"] = loose[0]
    return found


def _fact_key(name: str) -> str:
    return "recorded" if _ITEM_FACT.match(name) else name


# --- item facts --------------------------------------------------------------------------------


def _targets(items: _Items, asked: list[str], field: str, types: set[str]) -> list[dict[str, Any]]:
    """Items a stated item fact belongs to: the asked ones, else those mentioned, else the only one."""
    asked_ids = [m.group(1) for name in asked if (m := _ITEM_FACT.match(name)) and m.group(2) == field]
    chosen = [i for i in (items.find(a) for a in asked_ids) if i is not None]
    if chosen:
        return chosen
    mentioned = [
        i for i in (items.find(m) for m in items.mentioned) if i is not None and i.get("type") in types
    ]
    if mentioned:
        return mentioned
    candidates = [i for i in items.items or [] if i.get("type") in types and i.get(field) is None]
    return candidates if len(candidates) == 1 else []


def _read_item_facts(reading: _Reading, items: _Items, asked: list[str], dates: dict[str, dt.date]) -> None:
    facts = _lex()["item_facts"]
    dispute_types = {"correspondence_unpaid_invoice", "contract"}
    asked_fields = {m.group(2) for name in asked if (m := _ITEM_FACT.match(name))}
    for field, types in (("dispute_open", dispute_types), ("incident", {"cctv_footage"})):
        value = _one_bool(reading.message, facts[field])
        if value is None and field in asked_fields and _one_yes_no_asked(asked):
            value = parse_yes_no(reading.message, reading.lang)
        if value is None:
            continue
        for item in _targets(items, asked, field, types):
            item[field] = value
    if "recorded" in dates:
        for item in _targets(items, asked, "recorded", {"cctv_footage"}):
            item["recorded"] = dates["recorded"].isoformat()
    for name in asked:
        match = _ITEM_FACT.match(name)
        if match and match.group(2) == "year":
            years = [year for _s, _e, year in reading.years]
            items.set_years(match.group(1), list(dict.fromkeys(years)))


def _apply_item_option(message: str, items: _Items) -> bool:
    """Apply a button value such as ``data[cctv].incident:true`` to its item."""
    match = _ITEM_OPTION.match(message)
    if not match:
        return False
    item = items.find(match.group(1))
    if item is None:
        return True
    field, raw = match.group(2), match.group(3)
    value: Any = {"true": True, "false": False}.get(raw, raw)
    if field == "year" and raw.isdigit():
        value = int(raw)
    elif field in ("recorded", "last_delivery"):
        value = dt.date.fromisoformat(raw).isoformat()
    item[field] = value
    return True


# --- top-level facts ---------------------------------------------------------------------------


def _identity(reading: _Reading) -> bool | None:
    """Read identity_verified; an assurance after a doubt in its sentence is what is doubted.

    "We weten niet of hij het echt is", "we can't tell whether it's really him": the doubt
    phrase comes first and the assurance ("it's really him") is its object, not a statement.
    """
    hits = find_phrases(reading.message, phrase_table(_lex()["identity_verified"]))
    doubts = [(start, end) for start, end, value in hits if value is False]
    values: set[bool] = set()
    for start, end, value in hits:
        low, high = reading.sentence(start, end)
        if value is True and any(low <= d_start < start and d_end <= high for d_start, d_end in doubts):
            continue
        values.add(bool(value))
    return values.pop() if len(values) == 1 else None


def _read_flags(reading: _Reading, asked: list[str]) -> dict[str, Any]:
    lex = _lex()
    facts: dict[str, Any] = {}
    identity = _identity(reading)
    if identity is None and "identity_verified" in asked and _one_yes_no_asked(asked):
        identity = parse_yes_no(reading.message, reading.lang)
    if identity is not None:
        facts["identity_verified"] = identity
    objects = _one_bool(reading.message, lex["marketing_objection"])
    if objects is None and "also_objects_to_marketing" in asked and _one_yes_no_asked(asked):
        objects = parse_yes_no(reading.message, reading.lang)
    if objects is not None:
        facts["also_objects_to_marketing"] = objects
    for name in ("consent_withdrawn", "complex", "multiple_requests"):
        if _any(reading.message, lex[name]):
            facts[name] = True
    return facts


def _nothing_held(reading: _Reading, asked: list[str]) -> bool:
    if _any(reading.message, _lex()["nothing_held"]):
        return True
    bare = re.sub(r"[^a-z' ]", "", reading.text).strip()
    answers = {fold_spaced(p) for p in all_phrases(_lex()["nothing_held_answer"])}
    return "data" in asked and bare in answers


def _top_option(message: str) -> dict[str, Any] | None:
    match = _TOP_OPTION.match(message)
    if not match or match.group(1) not in _BOOL_FACTS:
        return None
    raw = match.group(2)
    return {match.group(1): raw == "true"} if raw in ("true", "false") else None


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the erasure facts stated in ``message`` (a partial facts dict, only valid values)."""
    option = _top_option(message)
    if option is not None:
        return option
    asked = [str(a) for a in known.get("_asked", []) or []]
    known_data = known.get("data")
    items = _Items([dict(i) for i in known_data] if isinstance(known_data, list) else None)
    known_recipients = [dict(r) for r in known.get("recipients", []) or []]
    facts: dict[str, Any] = {}
    if _apply_item_option(message, items):
        if items.items != known_data:
            facts["data"] = items.items
        return facts
    reading = _Reading(message, lang, today)
    subject = _subject(reading)
    if subject is not None and known.get("subject") is None:
        facts["subject"] = subject
    _read_items(reading, items, subject or known.get("subject"))
    dates = _read_dates(reading, asked, known)
    for name in _DATE_FACTS:
        if name in dates:
            facts[name] = dates[name].isoformat()
    _read_item_facts(reading, items, asked, dates)
    facts.update(_read_flags(reading, asked))
    if items.items is None and _nothing_held(reading, asked):
        items.items = []
    if items.items is not None and items.items != known_data:
        facts["data"] = items.items
    recipients = _recipients(known_recipients, items, reading.vendors)
    if recipients != known_recipients:
        facts["recipients"] = recipients
    return facts
