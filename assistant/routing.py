"""Route a message to a topic of the taxonomy, or to none when unsure."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from assistant.lexicons import contains_phrase, lexicon
from knowledge.search import Passage

# A passage this similar to the question is about the question's topic (e5 cosine).
RETRIEVAL_TOPIC_SCORE = 0.84
# Topics whose verdict comes from a rule tool in this build.
TOOL_TOPICS = {"register": "register"}


class Route(BaseModel):
    """Where a message goes and how sure we are."""

    topic: str | None
    confident: bool
    candidates: list[str]


def route(message: str, passages: list[Passage]) -> Route:
    """Pick the topic from cue words, falling back on the best retrieved passage."""
    scores: Counter[str] = Counter()
    for topic, cues in lexicon("topics").items():
        for cue in cues:
            if contains_phrase(message, str(cue)):
                scores[topic] += 1
    if scores:
        ranked = [t for t, _ in scores.most_common()]
        top, top_score = scores.most_common(1)[0]
        clear = len(ranked) == 1 or top_score > scores[ranked[1]]
        return Route(topic=top, confident=clear, candidates=ranked[:3])
    if passages and passages[0].score >= RETRIEVAL_TOPIC_SCORE:
        return Route(topic=passages[0].topic, confident=True, candidates=[passages[0].topic])
    topics = list(dict.fromkeys(p.topic for p in passages))
    return Route(topic=None, confident=False, candidates=topics[:3])
