"""Read the web_exposure facts (robots.txt, sensitive paths and their flags) out of free text.

Every phrase lives in ``assistant/lexicons/web_exposure.yaml``; paths and URLs are found by
pattern and kept as typed. Flags are read sentence by sentence and go to the paths named in
that sentence, else to the paths of the sentence before, else to the paths the last question
asked about (or the only known path).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from assistant.extractors.vendor_exit import (
    answer_parts,
    coerce,
    folded,
    has_any,
    option,
    polarity,
    sentences,
    unknown_phrases,
)
from assistant.lexicons import lexicon
from assistant.parsing import parse_yes_no

TOOL = "web_exposure"

FLAGS = ("requires_login", "noindex", "contains_personal_data", "publicly_indexed")
_ITEM = re.compile(r"^paths\[(\d+)\]\.(\w+)$")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]]+")
_PATH = re.compile(r"(?<![\w./:@-])/[\w\-.~%/?=&+#À-ÿ]*[\w\-~%/À-ÿ]")
_TRAILING = ".,;:!?)'\""
# A path in the flag text is replaced by this mark, so "/facturen" does not read as "facturen".
_MARK = " § "


def _lex() -> dict[str, Any]:
    data: dict[str, Any] = lexicon(TOOL)
    return data


# --- robots.txt --------------------------------------------------------------------------------


def _robots_key(lex: Mapping[str, Any]) -> re.Pattern[str]:
    keys = "|".join(re.escape(str(k)) for k in lex["robots_keys"])
    return re.compile(rf"(?i)(?<![\w-])(?:{keys})\s*:")


def _robots_lines(message: str, lex: Mapping[str, Any]) -> list[str]:
    """Put every robots.txt directive on its own line (a paste may have lost its line breaks)."""
    key = _robots_key(lex)
    lines: list[str] = []
    for line in message.splitlines():
        starts = [m.start() for m in key.finditer(line)]
        if len(starts) <= 1 and (not starts or not line[: starts[0]].strip()):
            lines.append(line)
            continue
        cuts = [0, *starts] if starts[0] > 0 else starts
        lines += [line[a:b] for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True)]
    return lines


def robots_block(message: str, lex: Mapping[str, Any]) -> tuple[str | None, str]:
    """Return (the pasted robots.txt as typed, the rest of the message)."""
    key = _robots_key(lex)
    lines = _robots_lines(message, lex)
    marks = [i for i, line in enumerate(lines) if key.match(line.strip())]
    if not marks:
        return None, message
    first, last = marks[0], marks[-1]
    block: list[str] = []
    rest = [*lines[:first]]
    for line in lines[first : last + 1]:
        stripped = line.strip()
        match = key.match(stripped)
        if match:
            # "Disallow: /klanten/ want daar staan lijsten": a directive holds one value.
            value, _, tail = stripped[match.end() :].strip().partition(" ")
            if tail and not tail.lstrip().startswith("#"):
                block.append(f"{stripped[: match.end()]} {value}")
                rest.append(tail)
                continue
        block.append(line.rstrip())
    rest += lines[last + 1 :]
    return "\n".join(block).strip("\n") + "\n", "\n".join(rest)


# --- paths ---------------------------------------------------------------------------------------


def path_key(path: str) -> str:
    """Return the comparable form of a path or URL: '/klanten/export.xlsx', lowercase."""
    if "://" in path or path.lower().startswith("www."):
        parts = urlsplit(path if "://" in path else f"http://{path}")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    path = path if path.startswith("/") else f"/{path}"
    return path.rstrip("/").lower() or "/"


def find_paths(text: str, lex: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    """Return (start, end, path as typed) for every URL, path and file name in ``text``."""
    exts = "|".join(re.escape(str(e)) for e in lex["file_extensions"])
    files = re.compile(rf"(?i)(?<![\w/.@-])[\w\-]+(?:\.[\w\-]+)*\.(?:{exts})(?![\w/])")
    not_paths = {path_key(str(p)) for p in lex["not_paths"]}
    taken = [False] * len(text)
    found: list[tuple[int, int, str]] = []
    for pattern in (_URL, _PATH, files):
        for match in pattern.finditer(text):
            start, value = match.start(), match.group(0).rstrip(_TRAILING)
            end = start + len(value)
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            if pattern is _URL and path_key(value) == "/":
                continue  # the site itself, not a path on it
            if path_key(value) in not_paths or path_key(value) == "/":
                continue
            found.append((start, end, value))
    return sorted(found)


# --- flags ---------------------------------------------------------------------------------------


@dataclass
class _Reading:
    """What one message says: new or updated paths and their flags, by path key."""

    order: list[str] = field(default_factory=list)
    typed: dict[str, str] = field(default_factory=dict)
    flags: dict[str, dict[str, bool]] = field(default_factory=dict)
    loose: dict[str, bool] = field(default_factory=dict)

    def add_path(self, typed: str) -> str:
        key = path_key(typed)
        if key not in self.typed:
            self.order.append(key)
            self.typed[key] = typed
            self.flags[key] = {}
        return key


def _flags(text: str, question: bool, lex: Mapping[str, Any]) -> dict[str, bool]:
    """Return the flags stated in one folded segment (a question states nothing)."""
    if question or has_any(text, unknown_phrases()):
        return {}
    negations, window = [str(n) for n in lex["negations"]], int(lex["negation_window"])
    out: dict[str, bool] = {}
    for name, spec in lex["flags"].items():
        value = polarity(text, spec["states"], spec.get("denies") or [], negations, window)
        if value is not None:
            out[name] = value
    return out


def _ellipsis(text: str, previous: dict[str, bool], lex: Mapping[str, Any]) -> dict[str, bool]:
    """Read "maar /b.pdf niet" / "/c.pdf ook": the flags of the clause before, denied or repeated."""
    words = re.findall(r"[a-z0-9']+", text)
    if not words or len(words) > int(lex["ellipsis_max_words"]):
        return {}
    if has_any(text, [str(n) for n in lex["negations"]]):
        return {name: not value for name, value in previous.items()}
    if has_any(text, [str(w) for w in lex["ellipsis_same"]]):
        return dict(previous)
    return {}


def _read(message: str, lex: Mapping[str, Any]) -> _Reading:
    """Find the paths of ``message`` and the flags said about them, sentence by sentence."""
    reading = _Reading()
    last: list[str] = []
    previous: dict[str, bool] = {}
    for sentence in sentences(message, lex["clause_breaks"]):
        raw = sentence.raw
        spans = find_paths(raw, lex)
        here = [reading.add_path(typed) for _s, _e, typed in spans]
        masked = raw
        for start, end, _typed in reversed(spans):
            masked = masked[:start] + _MARK + masked[end:]
        flags: dict[str, bool] = {}
        torn: set[str] = set()
        for seg in re.split(r",(?!\d)", masked):
            for name, value in _flags(folded(seg), seg.strip().endswith("?"), lex).items():
                if flags.get(name, value) != value:
                    torn.add(name)
                flags[name] = value
        flags = {k: v for k, v in flags.items() if k not in torn}
        if here and not flags and previous:
            flags = _ellipsis(folded(masked.replace(_MARK, " ")), previous, lex)
        if flags:
            previous = flags
        targets = here or last
        if targets:
            for key in targets:
                reading.flags[key].update(flags)
        else:
            reading.loose.update(flags)
        if here:
            last = here
    if len(reading.order) == 1 and reading.loose:
        # "A spreadsheet with customer names is indexed by Google. It's at /files/x.xlsx": what
        # was said before the only path of the message is said about that path.
        only = reading.flags[reading.order[0]]
        for name, value in reading.loose.items():
            only.setdefault(name, value)
        reading.loose = {}
    return reading


# --- known facts and the last question -----------------------------------------------------------


def _known_paths(known: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in known.get("paths") or []:
        data = dict(item) if isinstance(item, Mapping) else item.model_dump()
        out.append({k: v for k, v in data.items() if v is not None})
    return out


def _asked_items(asked: list[str]) -> list[tuple[int, str]]:
    items = []
    for name in asked:
        match = _ITEM.match(name)
        if match and match.group(2) in FLAGS:
            items.append((int(match.group(1)), match.group(2)))
    return items


def _single_flag(part: str, flag: str, lang: str, lex: Mapping[str, Any]) -> bool | None:
    """Read one answer part as the flag ``flag``: its phrases first, else a plain yes or no."""
    stated = _flags(folded(part), False, lex).get(flag)
    return stated if stated is not None else parse_yes_no(part, lang)


def _bare_answers(
    message: str, lang: str, items: list[tuple[int, str]], lex: Mapping[str, Any]
) -> dict[tuple[int, str], bool]:
    """Attribute "ja"/"nee" (or "ja, nee, ja") to the path flags the last question asked."""
    if not items:
        return {}
    parts = answer_parts(message)
    if len(items) > 1 and len(parts) == len(items):
        out: dict[tuple[int, str], bool] = {}
        for item, part in zip(items, parts, strict=True):
            value = _single_flag(part, item[1], lang, lex)
            if value is not None:
                out[item] = value
        return out
    if len({flag for _i, flag in items}) == 1:
        value = parse_yes_no(message, lang)
        if value is not None:
            return {item: value for item in items}
    return {}


def _from_option(message: str, known: Mapping[str, Any]) -> dict[str, Any] | None:
    """Read a button value: 'paths[0].requires_login:true' or 'robots_txt:none'."""
    picked = option(message)
    if picked is None:
        return None
    name, raw = picked
    match = _ITEM.match(name)
    value = coerce(raw)
    paths = _known_paths(known)
    if match and match.group(2) in FLAGS and isinstance(value, bool) and int(match.group(1)) < len(paths):
        paths[int(match.group(1))][match.group(2)] = value
        return {"paths": paths}
    if name == "robots_txt" and raw == "none":
        return {"robots_txt": ""}
    if name == "paths" and raw == "none":
        return {"paths": []}
    return {}


def extract(message: str, lang: str, today: dt.date, known: dict[str, Any]) -> dict[str, Any]:
    """Return the web_exposure facts stated in ``message`` (paths: the full updated list)."""
    chosen = _from_option(message, known)
    if chosen is not None:
        return chosen
    lex = _lex()
    asked = [str(a) for a in known.get("_asked", [])]
    facts: dict[str, Any] = {}
    robots, rest = robots_block(message, lex)
    if robots is not None:
        facts["robots_txt"] = robots
    elif has_any(folded(message), lex["no_robots"]):
        facts["robots_txt"] = ""
    elif "robots_txt" in asked and len(asked) == 1 and parse_yes_no(message, lang) is False:
        # "Nee" to "paste your robots.txt": the site has none.
        facts["robots_txt"] = ""
    reading = _read(rest, lex)
    paths = _known_paths(known)
    index = {path_key(p["path"]): i for i, p in enumerate(paths)}
    changed = False
    for key in reading.order:
        if key not in index:
            index[key] = len(paths)
            paths.append({"path": reading.typed[key]})
        item = paths[index[key]]
        if reading.flags[key] or len(item) == 1:
            item.update(reading.flags[key])
            changed = True
    items = [(i, flag) for i, flag in _asked_items(asked) if i < len(paths)]
    targets = sorted({i for i, _f in items}) or ([0] if len(paths) == 1 else [])
    if reading.loose and not reading.order and targets:
        for i in targets:
            paths[i].update(reading.loose)
        changed = True
    answered = _bare_answers(message, lang, [it for it in items if it[1] not in reading.loose], lex)
    if answered and not reading.order:
        for (i, flag), value in answered.items():
            paths[i][flag] = value
        changed = True
    if changed:
        facts["paths"] = paths
    elif (
        "paths" in asked
        and not reading.order
        and has_any(folded(rest), lex["no_paths"])
        and not has_any(folded(rest), unknown_phrases())
    ):
        facts["paths"] = []
    return facts
