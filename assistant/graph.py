"""The conversation graph: understand → collect facts → decide, or draft, explain, answer, decline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt
from pydantic import BaseModel

from assistant import questions, render
from assistant.extract import command, dont_know, extract, facts_only, merge_facts, parse_option
from assistant.language import detect_language
from assistant.lexicons import contains_phrase, lexicon, normalise
from assistant.messages import messages, text
from assistant.routing import TOOL_TOPICS, cue_counts
from assistant.sufficiency import settle
from assistant.turn import Option
from knowledge.search import Passage
from tools.registry import assess, get_tool

if TYPE_CHECKING:
    from assistant.runtime import Runtime

# Clarifying rounds before deciding on the safe side with what is known.
MAX_ROUNDS = 3
# A knowledge answer needs a passage at least this similar to the question (e5 cosine).
ANSWER_MIN_SCORE = 0.80
# "Why?" and "draft it" are commands only in short messages; a long one is a new question.
COMMAND_MAX_WORDS = 6
# From this many missing facts on, a question (not a request to assess) gets the guide's answer
# and an "assess my situation" button rather than a questionnaire.
QUESTIONNAIRE_MIN = 5
# A message of at most this many words that changes a fact of the open case is a correction.
CORRECTION_MAX_WORDS = 20
# Topics whose first questions come with the immediate steps, because the clock is running.
URGENT_TOPICS = {"breach": "urgent_breach"}


class Resume(BaseModel):
    """The user's answer to a pending question, with that turn's date and language override."""

    message: str
    today: str
    lang: str | None = None


class State(TypedDict, total=False):
    """What the conversation remembers between turns (checkpointed per thread)."""

    message: str
    lang: str
    lang_override: str | None
    today: str
    topic: str | None
    tool: str | None
    facts: dict[str, Any]
    verdict: dict[str, Any] | None
    passages: list[dict[str, Any]]
    candidates: list[str]
    action: str
    turn: dict[str, Any]
    assumed: list[str]
    settled: list[str]
    parts: list[dict[str, Any]]
    want_draft: bool
    typical: list[str]


def _passages(state: State) -> list[Passage]:
    return [Passage.model_validate(p) for p in state.get("passages", [])]


def _list_facts(tool: str) -> set[str]:
    model = get_tool(tool).facts_model
    return {name for name, f in model.model_fields.items() if "list[" in str(f.annotation)}


def _extract(tool: str, message: str, lang: str, today: str, known: dict[str, Any]) -> dict[str, Any]:
    found = extract(tool, message, lang, dt.date.fromisoformat(today), known)
    if found:
        return found
    # A button value ("frequency:regular") the extractor did not read: set that fact directly.
    option = parse_option(message, _list_facts(tool))
    fields = get_tool(tool).facts_model.model_fields
    if option is not None and all(name in fields for name in option):
        return option
    return {}


def build_graph(runtime: Runtime) -> StateGraph[State]:
    """Wire the nodes; the runtime supplies retrieval and routing."""

    def understand(state: State) -> State:
        message = state["message"]
        lang = state.get("lang_override") or detect_language(message, state.get("lang"))[0]
        today = state.get("today") or dt.date.today().isoformat()
        short = len(message.split()) <= COMMAND_MAX_WORDS
        order = command(message)
        if order == "start_over":
            return {"lang": lang, "action": "start_over"}
        if short and order in ("why", "draft") and state.get("verdict"):
            return {"lang": lang, "action": order}
        forced = parse_option(message)
        qvec = runtime.searcher.query_vector(message)
        passages = runtime.searcher.search(message, lang, k=5, qvec=qvec)
        if forced and "topic" in forced:
            topic: str | None = str(forced["topic"])
            candidates: list[str] = [str(forced["topic"])]
        else:
            where = runtime.router.route(message, qvec, passages)
            topic, candidates = where.topic, where.candidates
        update: State = {
            "lang": lang,
            "today": today,
            "passages": [p.model_dump() for p in passages[:3]],
            "candidates": candidates,
            "assumed": [],
            "settled": [],
            "parts": [],
        }
        active = state.get("tool")
        tool = TOOL_TOPICS.get(topic or "")
        known = dict(state.get("facts", {})) if active else {}
        if active and topic != "out_of_scope":
            # A correction or addition to the case under discussion ("nee, 5 werknemers"). A
            # short message that changes a fact of the case stays with it even when its words
            # resemble another topic ("zijn mail kwam eigenlijk al op 31 oktober binnen").
            new = _extract(active, message, lang, today, known)
            # A message that names the other topic ("cookiebanner") is a new question, though.
            brief = len(message.split()) <= CORRECTION_MAX_WORDS and not cue_counts(message).get(topic or "")
            if (tool is None or tool == active or brief) and (new or tool == active):
                update["topic"], update["tool"], update["verdict"] = state.get("topic"), active, None
                update["action"] = "collect_facts"
                update["facts"] = merge_facts(known, new)
                return update
        if order == "draft" and short and not state.get("verdict"):
            update["action"] = "draft_without_verdict"
            return update
        update["topic"], update["tool"], update["verdict"] = topic, tool, None
        # "Schrijf een antwoord op een wisverzoek": the owner wants the document once decided.
        update["want_draft"] = order == "draft"
        if tool:
            facts = _extract(tool, message, lang, today, {})
            # A general question ("vanaf hoeveel werknemers…?") is answered from the guide; the
            # interview starts when the owner describes a case or asks about their own.
            form = runtime.router.form(qvec)
            # A general question is answered from the guide even when it names a fact or two.
            opener = any(
                normalise(message).startswith(str(w)) for w in lexicon("situation")["question_openers"]
            )
            own = forced or (not opener and _asks_assessment(message, "assess_request"))
            own = own or (form != "general" and _asks_assessment(message, "assess_maybe"))
            if not own and form != "case" and "?" in message and _questionnaire(tool, facts):
                # A question answered by a long questionnaire helps nobody: answer from the guide
                # and offer the assessment (the owner can still ask for it with one click).
                form = "general"
            if own or (form != "general" and (form == "case" or facts)):
                update["action"] = "collect_facts"
                update["facts"] = facts
                return update
            update["tool"] = None
            update["action"] = "answer"
            update["facts"] = {}
            return update
        update["facts"] = {}
        if topic == "out_of_scope":
            update["action"] = "decline"
        elif topic is None:
            update["action"] = "which_topic"
        elif _subtopics(topic) and not _names_subtopic(topic, message):
            # "ik heb een vraag over mijn gegevens": which of the topic's questions, not a guess.
            update["action"] = "which_subtopic"
        else:
            update["action"] = "answer"
        return update

    def next_node(state: State) -> str:
        return {
            "collect_facts": "collect_facts",
            "decline": "decline",
            "answer": "answer",
            "which_topic": "answer",
            "which_subtopic": "answer",
            "start_over": "start_over",
            "why": "why",
            "draft": "draft",
            "draft_without_verdict": "answer",
        }[state.get("action", "answer")]

    def collect_facts(state: State) -> State:
        tool, lang, today = state["tool"], state["lang"], state.get("today", dt.date.today().isoformat())
        assert tool is not None, "collect_facts runs only with a tool"
        split = _assess_parts(tool, dict(state.get("facts", {})))
        if split is not None:
            main, facts_main, parts_out = split
            return {
                "verdict": main,
                "facts": {**facts_main, "_parts": state.get("facts", {}).get("_parts")},
                "parts": parts_out,
                "assumed": [],
                "settled": [],
                "typical": [],
                "turn": {},
            }
        facts, typical = _typical(tool, dict(state.get("facts", {})))
        assumed: list[str] = []
        verdict = assess(tool, _dated(tool, facts_only(facts), today))
        settled: list[str] = []
        for round_no in range(MAX_ROUNDS):
            if verdict.outcome != "decided":
                # Ask nothing whose answer could not change the decision.
                done = settle(tool, _dated(tool, facts_only(facts), today))
                if done is not None:
                    facts = {**facts, **done[0]}
                    settled += done[1]
                    verdict = assess(tool, _dated(tool, facts_only(facts), today))
            if verdict.outcome == "decided":
                break
            asked = verdict.missing_facts
            intro = (
                text(lang, URGENT_TOPICS[state.get("topic") or ""])
                if round_no == 0 and (state.get("topic") in URGENT_TOPICS)
                else ""
            )
            question, options = render.clarification(tool, lang, asked, intro, facts)
            payload = {
                "lang": lang,
                "topic": state.get("topic"),
                "kind": "clarification",
                "text": question,
                "asks": asked,
                "options": [o.model_dump() for o in options],
                "passages": [r.model_dump() for r in render.passage_refs(_passages(state))],
            }
            answer = Resume.model_validate(interrupt(payload))
            today, lang = answer.today, answer.lang or detect_language(answer.message, lang)[0]
            new = _extract(tool, answer.message, lang, today, {**facts, "_asked": asked})
            facts, more = _typical(tool, merge_facts(facts, new))
            typical += more
            if dont_know(answer.message):
                for name in asked:
                    known, value = questions.safe_default(tool, name)
                    if name not in new and known:
                        facts = questions.apply_default(facts, name, value)
                        assumed.append(name)
            verdict = assess(tool, _dated(tool, facts_only(facts), today))
        if verdict.outcome != "decided":
            for name in verdict.missing_facts:
                known, value = questions.safe_default(tool, name)
                if known:
                    facts = questions.apply_default(facts, name, value)
                    assumed.append(name)
            verdict = assess(tool, _dated(tool, facts_only(facts), today))
        return {
            "facts": facts,
            "verdict": verdict.model_dump(mode="json") if verdict.outcome == "decided" else None,
            "assumed": assumed,
            "settled": settled,
            "typical": typical,
            "lang": lang,
            "today": today,
            "turn": {} if verdict.outcome == "decided" else _gave_up(state, lang, verdict.missing_facts),
        }

    def after_facts(state: State) -> str:
        if not state.get("verdict"):
            return END
        return "draft" if state.get("want_draft") else "decide"

    def decide(state: State) -> State:
        lang, verdict = state["lang"], state["verdict"]
        assert verdict is not None, "decide runs after a verdict"
        topic = state.get("topic")
        supporting = [p for p in _passages(state) if p.topic == topic]
        if not supporting:
            supporting = runtime.searcher.search(state["message"], lang, k=3, topic=topic)
        if state.get("parts"):
            # One provider, services of different natures: one verdict per service (EDPB 07/2020).
            facts = state.get("facts", {})
            body = "\n\n".join(
                f"### {part['service']}\n\n{render.verdict_text(lang, part['verdict'], facts)}"
                for part in state.get("parts", [])
            )
            body = f"{text(lang, 'parts_intro')}\n\n{body}"
        else:
            body = render.verdict_text(lang, verdict, state.get("facts", {}))
        if state.get("assumed"):
            body = f"_{text(lang, 'dont_know_note')}_\n\n{body}"
        if state.get("typical"):
            body = f"{body}\n\n_{text(lang, 'typical_note')}_"
        if state.get("settled"):
            note = render.settled_note(state.get("tool") or "", lang, state["settled"], state.get("facts"))
            body = f"{body}\n\n{note}"
        cited = [
            c for part in state.get("parts") or [{"verdict": verdict}] for c in part["verdict"]["citations"]
        ]
        refs = render.citation_refs(list(dict.fromkeys(cited)), supporting[:1])
        artefact = render.artefact_for(verdict)
        parts = [body, render.passages_block(lang, supporting), render.sources_block(lang, refs)]
        options: list[dict[str, Any]] = []
        if artefact:
            name = messages(lang)["artefact_names"][artefact]
            parts.append(text(lang, "offer_draft", artefact=name))
            options.append(Option(value="draft", label=text(lang, "draft_button")).model_dump())
        parts.append(text(lang, "disclaimer"))
        turn = {
            "lang": lang,
            "topic": topic,
            "kind": "verdict",
            "text": "\n\n".join(p for p in parts if p),
            "verdict": verdict,
            "parts": state.get("parts") or [],
            "options": options,
            "citations": [r.model_dump() for r in refs],
            "passages": [r.model_dump() for r in render.passage_refs(supporting[:3])],
        }
        return {"turn": turn}

    def draft(state: State, config: RunnableConfig) -> State:
        lang, verdict = state["lang"], state["verdict"]
        assert verdict is not None, "draft runs after a verdict"
        artefact = render.artefact_for(verdict)
        if artefact is None:
            artefact = "consultation_record"
        thread = str(config.get("configurable", {}).get("thread_id", "default"))
        made = runtime.drafts.write(
            thread, artefact, verdict["tool"], facts_only(state.get("facts", {})), lang, state.get("today")
        )
        name = messages(lang)["artefact_names"][artefact]
        intro = (
            text(lang, "draft_ready", artefact=name, unresolved="; ".join(made.unresolved))
            if made.unresolved
            else text(lang, "draft_ready_complete", artefact=name)
        )
        turn = {
            "lang": lang,
            "topic": state.get("topic"),
            "kind": "draft",
            "text": f"{intro}\n\n---\n\n{made.markdown}",
            "verdict": verdict,
            "artefact": made.artefact_ref(),
            "citations": [r.model_dump() for r in render.citation_refs(made.citations, [])],
        }
        return {"turn": turn, "want_draft": False}

    def why(state: State) -> State:
        lang, verdict = state["lang"], state["verdict"]
        assert verdict is not None, "why runs after a verdict"
        refs = render.citation_refs(verdict["citations"], [])
        parts = [text(lang, "why_intro"), render.why_text(lang, verdict), render.sources_block(lang, refs)]
        turn = {
            "lang": lang,
            "topic": state.get("topic"),
            "kind": "answer",
            "text": "\n\n".join(p for p in parts if p),
            "verdict": verdict,
            "citations": [r.model_dump() for r in refs],
        }
        return {"turn": turn}

    def start_over(state: State) -> State:
        lang = state["lang"]
        turn = {"lang": lang, "topic": None, "kind": "answer", "text": text(lang, "start_over_done")}
        return {"turn": turn, "tool": None, "topic": None, "facts": {}, "verdict": None, "passages": []}

    def answer(state: State) -> State:
        lang = state["lang"]
        action = state.get("action")
        passages = [p for p in _passages(state) if p.score >= ANSWER_MIN_SCORE]
        if action == "draft_without_verdict":
            return {
                "turn": {
                    "lang": lang,
                    "topic": None,
                    "kind": "clarification",
                    "text": text(lang, "draft_needs_verdict"),
                }
            }
        if action == "which_subtopic":
            return {
                "turn": render.which_subtopic(
                    lang, str(state.get("topic")), _subtopics(str(state.get("topic")))
                )
            }
        if action == "which_topic" or not passages:
            return {"turn": render.which_topic(lang, state.get("candidates", []), passages)}
        refs = render.citation_refs([], passages[:2])
        body: list[str] = [
            text(lang, "answer_intro"),
            render.passages_block(lang, passages, limit=2),
            render.sources_block(lang, refs),
            text(lang, "disclaimer"),
        ]
        topic = state.get("topic") or passages[0].topic
        offer = (
            [Option(value=f"topic:{topic}", label=text(lang, "assess_button")).model_dump()]
            if topic in TOOL_TOPICS
            else []
        )
        turn: dict[str, Any] = {
            "lang": lang,
            "topic": topic,
            "options": offer,
            "kind": "answer",
            "text": "\n\n".join(b for b in body if b),
            "citations": [r.model_dump() for r in refs],
            "passages": [r.model_dump() for r in render.passage_refs(passages)],
        }
        return {"turn": turn}

    def decline(state: State) -> State:
        lang = state["lang"]
        turn = {"lang": lang, "topic": "out_of_scope", "kind": "out_of_scope", "text": text(lang, "decline")}
        return {"turn": turn}

    graph = StateGraph(State)
    graph.add_node("understand", understand)
    graph.add_node("collect_facts", collect_facts)
    graph.add_node("decide", decide)
    graph.add_node("draft", draft)
    graph.add_node("why", why)
    graph.add_node("start_over", start_over)
    graph.add_node("answer", answer)
    graph.add_node("decline", decline)
    graph.add_edge(START, "understand")
    graph.add_conditional_edges(
        "understand", next_node, ["collect_facts", "answer", "decline", "start_over", "why", "draft"]
    )
    graph.add_conditional_edges("collect_facts", after_facts, ["decide", "draft", END])
    for name in ("decide", "draft", "why", "start_over", "answer", "decline"):
        graph.add_edge(name, END)
    return graph


def _typical(tool: str, facts: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Fill in what is normally true for this kind of case, returning the names assumed."""
    table = (lexicon("typical_facts") or {}).get(tool) or {}
    assumed: list[str] = []
    filled = dict(facts)
    for trigger, by_value in table.items():
        typical = by_value.get(str(facts.get(trigger))) if trigger in facts else None
        for name, value in (typical or {}).items():
            if name not in filled:
                filled[name] = value
                assumed.append(name)
    return filled, assumed


def _assess_parts(
    tool: str, facts: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]] | None:
    """Decide each service of a multi-service case; None unless every part can be decided.

    Returns the verdict the conversation continues with (the first that has an artefact to draft,
    e.g. the processor part's checklist), that part's facts, and one ``{service, verdict}`` per part.
    """
    raw_parts = facts.get("_parts") or []
    if len(raw_parts) < 2:
        return None
    base = facts_only(facts)
    parts: list[dict[str, Any]] = []
    part_facts: list[dict[str, Any]] = []
    for raw in raw_parts:
        part = {k: v for k, v in raw.items() if k != "service"}
        merged, _ = _typical(tool, {**base, **part, "service": raw.get("service")})
        verdict = assess(tool, merged)
        if verdict.outcome != "decided":
            done = settle(tool, merged)
            if done is None:
                return None
            merged = done[0]
            verdict = assess(tool, merged)
        part_facts.append(merged)
        parts.append({"service": str(raw.get("service") or ""), "verdict": verdict.model_dump(mode="json")})
    index = next((i for i, p in enumerate(parts) if render.artefact_for(p["verdict"])), 0)
    return parts[index]["verdict"], part_facts[index], parts


def _dated(tool: str, facts: dict[str, Any], today: str) -> dict[str, Any]:
    """Give a tool that computes deadlines the conversation's 'today' (KOMPAS_TODAY, --today)."""
    if "today" in get_tool(tool).facts_model.model_fields:
        return {**facts, "today": today}
    return facts


def _questionnaire(tool: str, facts: dict[str, Any]) -> bool:
    """Tell whether assessing ``facts`` would start with a long list of questions."""
    filled, _ = _typical(tool, facts)
    verdict = assess(tool, facts_only(filled))
    return verdict.outcome != "decided" and len(verdict.missing_facts) >= QUESTIONNAIRE_MIN


def _subtopics(topic: str) -> dict[str, Any]:
    return dict((lexicon("subtopics")["subtopics"] or {}).get(topic) or {})


def _names_subtopic(topic: str, message: str) -> bool:
    """Tell whether the message is specific enough to answer: long, or naming a subtopic."""
    if len(message.split()) > int(lexicon("subtopics")["max_words"]):
        return True
    return any(
        contains_phrase(message, str(cue)) for spec in _subtopics(topic).values() for cue in spec["cues"]
    )


def _asks_assessment(message: str, strength: str) -> bool:
    phrases = lexicon("situation")[strength]
    return any(contains_phrase(message, str(p)) for p in phrases)


def _gave_up(state: State, lang: str, missing: list[str]) -> dict[str, Any]:
    """Say which facts are still needed when the rounds ran out without a safe default."""
    question, options = render.clarification(state.get("tool") or "", lang, missing, "", state.get("facts"))
    return {
        "lang": lang,
        "topic": state.get("topic"),
        "kind": "clarification",
        "text": question,
        "asks": missing,
        "options": [o.model_dump() for o in options],
    }
