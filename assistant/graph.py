"""The conversation graph: understand → collect facts → decide, or answer, or decline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt
from pydantic import BaseModel

from assistant import render
from assistant.extract import extract, merge_facts
from assistant.language import detect_language
from assistant.lexicons import contains_phrase, lexicon
from assistant.messages import messages, text
from assistant.routing import TOOL_TOPICS, route
from knowledge.search import Passage
from tools.registry import assess

if TYPE_CHECKING:
    from assistant.runtime import Runtime

# Clarifying rounds before deciding on the safe side with what is known.
MAX_ROUNDS = 3
# A knowledge answer needs a passage at least this similar to the question (e5 cosine).
ANSWER_MIN_SCORE = 0.80
# When the user cannot say, the rule decides on the side that protects the people concerned.
SAFE_DEFAULTS: dict[str, dict[str, Any]] = {
    "register": {"frequency": "unknown", "employees": 1, "processing": ["other"]},
}


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
    turn: dict[str, Any]
    assumed: list[str]


def _passages(state: State) -> list[Passage]:
    return [Passage.model_validate(p) for p in state.get("passages", [])]


def build_graph(runtime: Runtime) -> StateGraph[State]:
    """Wire the nodes; the runtime supplies retrieval."""

    def understand(state: State) -> State:
        message = state["message"]
        override = state.get("lang_override")
        lang = override or detect_language(message, state.get("lang"))[0]
        passages = runtime.searcher.search(message, lang, k=3)
        where = route(message, passages)
        update: State = {
            "lang": lang,
            "topic": where.topic,
            "passages": [p.model_dump() for p in passages],
            "verdict": None,
            "assumed": [],
        }
        tool = TOOL_TOPICS.get(where.topic or "")
        if tool:
            previous = state.get("facts", {}) if state.get("tool") == tool else {}
            update["tool"] = tool
            update["facts"] = merge_facts(previous, extract(tool, message))
        else:
            update["tool"] = None
        return update

    def after_understand(state: State) -> str:
        if state.get("tool"):
            return "collect_facts"
        if state.get("topic") == "out_of_scope":
            return "decline"
        return "answer"

    def collect_facts(state: State) -> State:
        tool, lang, today = state["tool"], state["lang"], state.get("today", "")
        assert tool is not None, "collect_facts runs only with a tool"
        facts = dict(state.get("facts", {}))
        assumed: list[str] = []
        for _ in range(MAX_ROUNDS):
            verdict = assess(tool, facts)
            if verdict.outcome == "decided":
                break
            question, options = render.clarification(lang, verdict.missing_facts)
            payload = {
                "lang": lang,
                "topic": state.get("topic"),
                "kind": "clarification",
                "text": question,
                "asks": verdict.missing_facts,
                "options": [o.model_dump() for o in options],
            }
            answer = Resume.model_validate(interrupt(payload))
            reply, today, lang = answer.message, answer.today, answer.lang or lang
            new = extract(tool, reply)
            if _dont_know(reply):
                for name in verdict.missing_facts:
                    if name not in new:
                        new[name] = SAFE_DEFAULTS[tool][name]
                        assumed.append(name)
            facts = merge_facts(facts, new)
        else:
            verdict = assess(tool, facts)
            if verdict.outcome != "decided":
                for name in verdict.missing_facts:
                    facts[name] = SAFE_DEFAULTS[tool][name]
                    assumed.append(name)
                verdict = assess(tool, facts)
        return {
            "facts": facts,
            "verdict": verdict.model_dump(mode="json"),
            "assumed": assumed,
            "lang": lang,
            "today": today,
        }

    def decide(state: State) -> State:
        lang, verdict = state["lang"], state["verdict"]
        assert verdict is not None, "decide runs after a verdict"
        topic = state.get("topic")
        supporting = [p for p in _passages(state) if p.topic == topic]
        if not supporting:
            supporting = runtime.searcher.search(state["message"], lang, k=3, topic=topic)
        body = [render.VERDICT_RENDERERS[verdict["tool"]](lang, verdict)]
        if state.get("assumed"):
            body.insert(0, f"_{text(lang, 'dont_know_note')}_")
        refs = render.citation_refs(verdict["citations"], supporting[:1])
        body += [render.passages_block(lang, supporting), render.sources_block(lang, refs)]
        body.append(text(lang, "disclaimer"))
        turn = {
            "lang": lang,
            "topic": topic,
            "kind": "verdict",
            "text": "\n\n".join(b for b in body if b),
            "verdict": verdict,
            "citations": [r.model_dump() for r in refs],
            "passages": [r.model_dump() for r in render.passage_refs(supporting[:3])],
        }
        return {"turn": turn}

    def answer(state: State) -> State:
        lang = state["lang"]
        passages = [p for p in _passages(state) if p.score >= ANSWER_MIN_SCORE]
        if not passages:
            names = messages(lang)["topic_names"]
            candidates = [str(names[t]) for t in names][:4]
            turn: dict[str, Any] = {
                "lang": lang,
                "topic": state.get("topic"),
                "kind": "clarification",
                "text": text(lang, "no_answer", topics=", ".join(candidates)),
            }
            return {"turn": turn}
        refs = render.citation_refs([], passages[:2])
        body: list[str] = [
            text(lang, "answer_intro"),
            render.passages_block(lang, passages, limit=2),
            render.sources_block(lang, refs),
            text(lang, "disclaimer"),
        ]
        turn = {
            "lang": lang,
            "topic": state.get("topic") or passages[0].topic,
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
    graph.add_node("answer", answer)
    graph.add_node("decline", decline)
    graph.add_edge(START, "understand")
    graph.add_conditional_edges("understand", after_understand, ["collect_facts", "answer", "decline"])
    graph.add_edge("collect_facts", "decide")
    graph.add_edge("decide", END)
    graph.add_edge("answer", END)
    graph.add_edge("decline", END)
    return graph


def _dont_know(reply: str) -> bool:
    phrases = lexicon("register")["frequency"]["unknown"]
    return any(contains_phrase(reply, str(p)) for p in phrases)
