"""Hostile input never crashes Kompas nor reaches the user as a traceback or as live markup."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from helpers import run_kompas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import facts_dicts

from assistant.conversation import MAX_MESSAGE_CHARS, ask
from assistant.errors import InputError
from assistant.runtime import Runtime
from tools.base import Verdict
from tools.drafting.artefacts import ARTEFACTS, render
from tools.drafting.base import DraftingError, Owner
from tools.drafting.document import to_docx
from tools.registry import TOOLS, assess

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Things people paste, and things attackers type.
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klik hier](javascript:alert(1))",
    "![pixel](http://e.vil/p.png)",
    "**vet** _schuin_ `code` ~~weg~~",
    "# Kop\n\n- lijst\n\n| a | b |\n|---|---|",
    "{{ owner.name }} {0} %s ⟦placeholder⟧",
    "\x00\x01\x07\x1b[31mrood\x1b[0m\x7f\x9b",
    "\u202e omgekeerd \u202d",  # right-to-left override
    "🍪🙂👩\u200d👩\u200d👧 🇧🇪",  # joined emoji and a flag
    "Robert'); DROP TABLE klanten;--",
    "Ik wil mijn données wissen, please delete my data",
]
# Raw markup that must never survive into an artefact's Markdown.
LIVE_MARKUP = ["<script>", "](javascript:", "](http://e.vil", "**vet**", "`code`", "\x00", "\x1b"]
# An HTML tag that no backslash neutralises.
LIVE_TAG = re.compile(r"(?<!\\)<[A-Za-z/!]")

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.lists(st.sampled_from(HOSTILE) | st.text(max_size=12), min_size=1, max_size=4).map(" ".join),
)

# Dates at the edges of what a date type holds, and values of every JSON type.
EXTREME_DATES = ["0001-01-01", "9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(EXTREME_DATES)
    | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _answer(message: str, runtime: Runtime, thread_id: str | None = None) -> str:
    """Return what the user reads: the turn's text, or the refusal for a message it cannot take."""
    try:
        turn = ask(message, thread_id=thread_id, runtime=runtime)
    except InputError as exc:
        # The documented refusal: only for an empty or oversized message.
        assert not message.strip() or len(message) > MAX_MESSAGE_CHARS, message
        return str(exc)
    assert turn.kind in ("answer", "clarification", "verdict", "draft", "out_of_scope")
    return turn.text


def _assert_readable(text: str) -> None:
    assert text.strip()
    assert "Traceback" not in text and 'File "' not in text
    # Whatever the user typed, no live HTML comes back to be rendered in the chat.
    assert not LIVE_TAG.search(text) and "<script" not in text


@pytest.mark.slow
def test_ask_answers_any_message_without_a_traceback(shared_runtime: Runtime) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(hostile_text)
    def check(message: str) -> None:
        _assert_readable(_answer(message, shared_runtime))

    check()


PASTED = [
    *HOSTILE,
    "   \n\t ",
    "🍪" * 50,
    "Moet ik een registre des traitements bijhouden, please? Ich habe 3 Mitarbeiter.",
    "Ik heb <b>5 werknemers</b> en een [nieuwsbrief](http://e.vil) — moet ik een register bijhouden?",
    "a" * MAX_MESSAGE_CHARS,
    # Dates no deadline can be counted from.
    "Op 31/12/9999 vroeg een klant om zijn webshopaccount te wissen. Hij is het echt.",
    "Un client m'a demandé le 01/01/0001 d'effacer son compte.",
    "We ontdekten op 31 december 9999 om 23u dat een laptop met klantgegevens gestolen is.",
]


@pytest.mark.slow
@pytest.mark.parametrize("message", PASTED, ids=[f"pasted{n}" for n in range(len(PASTED))])
def test_ask_handles_pasted_and_hostile_messages(shared_runtime: Runtime, message: str) -> None:
    _assert_readable(_answer(message, shared_runtime))


@pytest.mark.slow
def test_hostile_answers_to_an_open_question_keep_the_case_open(shared_runtime: Runtime) -> None:
    question = "Moet ik een verwerkingsregister bijhouden?"
    # Noise only (the last HOSTILE entry is a real question about another topic).
    for n, noise in enumerate(HOSTILE[:-1]):
        thread = f"fuzz-open-{n}"
        ask(question, thread_id=thread, runtime=shared_runtime)
        reply = ask(noise, thread_id=thread, runtime=shared_runtime)
        _assert_readable(reply.text)
        assert (reply.kind, reply.topic) == ("clarification", "register"), noise
    last = ask("nieuwsbrief, geen personeel", thread_id=thread, runtime=shared_runtime)
    assert (last.kind, last.topic) == ("verdict", "register")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_empty_and_oversized_messages_are_refused_in_the_users_words(lang: str) -> None:
    with pytest.raises(InputError, match="1000000") as err:
        ask("x" * 1_000_000, lang=lang)
    assert str(MAX_MESSAGE_CHARS) in str(err.value)
    with pytest.raises(InputError) as err:
        ask(" \n ", lang=lang)
    assert {"nl": "leeg", "en": "empty"}[lang] in str(err.value)


def test_cli_refuses_empty_and_oversized_messages_without_a_traceback() -> None:
    # 100 kB: a single command-line argument cannot be much longer (Linux caps it at 128 kB).
    long = run_kompas("ask", "x" * 100_000)
    assert long.returncode == 2
    assert "100000" in long.stderr and str(MAX_MESSAGE_CHARS) in long.stderr
    empty = run_kompas("ask", "", "--lang", "en")
    assert empty.returncode == 2 and "empty message" in empty.stderr
    for result in (long, empty):
        assert "Traceback" not in result.stderr and not result.stdout


@st.composite
def damaged_facts(draw: st.DrawFn, name: str) -> dict[str, Any]:
    """Valid facts for tool ``name`` with some values swapped for hostile or extreme ones."""
    model = TOOLS[name].facts_model
    facts = draw(facts_dicts(model))
    fields = sorted(model.model_fields)
    for field in draw(st.lists(st.sampled_from(fields), max_size=3, unique=True)):
        facts[field] = draw(json_values)
    return facts


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_tools_answer_hostile_facts_with_a_verdict_or_a_named_field(name: str) -> None:
    model = TOOLS[name].facts_model

    @FAST
    @given(damaged_facts(name))
    def check(facts: dict[str, Any]) -> None:
        try:
            verdict = assess(name, facts)
        except ValidationError as exc:
            # Refused while reading the facts (not while building the verdict), naming the field.
            assert exc.title == model.__name__, exc
            known = set(facts) | set(model.model_fields)
            for error in exc.errors():
                # A rule across fields (loc is empty) names its fields in the message instead.
                named = {str(error["loc"][0])} if error["loc"] else set(error["msg"].split())
                assert named & known, error
            return
        assert isinstance(verdict, Verdict) and verdict.tool == name
        json.loads(verdict.model_dump_json())

    check()


DECIDED: dict[str, dict[str, Any]] = {
    "erasure": {
        "request_date": "2026-01-10",
        "today": "2026-01-12",
        "identity_verified": True,
        "data": [{"id": "f", "type": "invoice", "year": 2025}, {"id": "cv", "type": "recruitment_cv"}],
        "subject": "former_employee",
        "also_objects_to_marketing": False,
    },
    "breach": {
        "discovered_at": "2026-01-10T09:00",
        "now": "2026-01-10T10:00",
        "personal_data": True,
        "data_kinds": ["contact"],
        "subjects_count": 40,
        "encrypted": False,
        "contained": True,
    },
}


def _date_fields() -> list[tuple[str, str]]:
    pairs = []
    for name, spec in sorted(TOOLS.items()):
        for field, info in spec.facts_model.model_fields.items():
            if "date" in repr(info.annotation):
                pairs.append((name, field))
    return pairs


@pytest.mark.parametrize(("name", "field"), _date_fields())
@pytest.mark.parametrize("value", EXTREME_DATES)
def test_dates_at_the_ends_of_the_calendar_are_refused_or_decided(name: str, field: str, value: str) -> None:
    model = TOOLS[name].facts_model
    # Facts that reach the date arithmetic: the other facts filled in with plain values.
    base = DECIDED.get(name, {})
    try:
        verdict = assess(name, {**base, field: value})
    except ValidationError as exc:
        assert exc.title == model.__name__ and field in str(exc), exc
        return
    assert verdict.tool == name


# One decided case per artefact's tool; a hostile owner and hostile free text in the facts.
DRAFT_FACTS: dict[str, dict[str, Any]] = {
    "erasure": DECIDED["erasure"],
    "dpa": {
        "provider_type": "web_hosting",
        "personal_data_access": "core",
        "decides_purposes": False,
        "own_legal_obligations": False,
        "uses_data_for_own_purposes": False,
        "jointly_determines": False,
    },
    "cookie_banner": {
        "uses_non_essential_cookies": True,
        "reject_button_first_layer": False,
        "reject_as_link_only": True,
        "pre_ticked_boxes": False,
        "cookies_before_consent": ["analytics"],
        "deceptive_design": True,
        "withdrawal_mechanism": False,
        "legitimate_interest_claims": False,
        "purposes_listed": True,
        "vendors_listed": False,
        "cookie_wall": False,
        "consent_by_scrolling": False,
        "close_button_counts_as_consent": False,
        "non_essential_labelled_essential": False,
        "trackers_fire_after_reject": False,
    },
    "register": {"employees": 4, "processing": ["newsletter", "invoicing", "cctv"]},
    "photos": {
        "identifiable": True,
        "setting": "ambient_crowd",
        "subjects": ["employees", "clients"],
        "channel": "public_social_media",
        "prior_notice": False,
        "opt_out_offered": False,
    },
}
# Markup that, were it left as typed, would become live in Markdown or a chat bubble.
LIVE = [*LIVE_MARKUP, "\n# Kop", "\n- lijst", "| a | b |"]


def _with_free_text(tool: str, text: str) -> dict[str, Any]:
    facts = dict(DRAFT_FACTS[tool])
    if tool == "erasure":
        # Item and recipient names are the user's words and appear in the letter.
        facts["data"] = [{"id": text or "x", "type": "newsletter_subscription"}, *facts["data"]]
        facts["recipients"] = [{"id": f"{text} bv", "holds": [text or "x"]}]
    if tool == "dpa":
        facts["service"] = text
    return facts


@pytest.mark.parametrize("artefact", sorted(ARTEFACTS))
def test_artefacts_escape_hostile_text_and_still_open_in_word(artefact: str, tmp_path: Path) -> None:
    spec = ARTEFACTS[artefact]
    tool = spec.tool or "register"
    owner_fields = sorted(Owner.model_fields)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.dictionaries(st.sampled_from(owner_fields), hostile_text, min_size=1),
        hostile_text,
        st.sampled_from(["nl", "fr", "en"]),
    )
    def check(owner: dict[str, str], free: str, lang: str) -> None:
        try:
            draft = render(
                artefact, _with_free_text(tool, free), owner, lang, dt.date(2026, 1, 12), tool=tool
            )
        except DraftingError as exc:
            # Only a detail that does not fit (too long) may be refused, and it is named.
            assert "invalid owner details" in str(exc) and any(f in str(exc) for f in owner_fields)
            return
        except ValidationError as exc:
            assert exc.title == TOOLS[tool].facts_model.__name__
            return
        for markup in LIVE:
            assert markup not in draft.markdown, (markup, draft.markdown)
        assert not LIVE_TAG.search(draft.markdown), draft.markdown
        path = to_docx(draft.document, tmp_path / f"{artefact}.docx")
        word = docx.Document(str(path))
        text = "\n".join(p.text for p in word.paragraphs)
        text += "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
        # Word shows the words as typed: no Markdown escapes leak into the document.
        assert "\\<" not in text and "\\[" not in text and "\\*\\*" not in text

    check()
