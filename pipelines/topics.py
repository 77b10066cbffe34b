"""Topic tagging by rules kept as data: score = 2 x title matches + text matches."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    score: int
    terms: list[str]


@lru_cache(maxsize=32)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(f"(?:{t})" for t in terms) + r")\b", re.I)


def tag_topics(title: str, text: str, rules: Mapping[str, object]) -> list[TopicMatch]:
    """Topics whose score reaches their min_score, each with the distinct terms that matched.

    `rules` maps a topic name to an object with `terms` (regexes) and `min_score`.
    """
    matches = []
    for topic, rule in rules.items():
        pattern = _pattern(tuple(rule.terms))
        in_title = pattern.findall(title or "")
        in_text = pattern.findall(text or "")
        score = 2 * len(in_title) + len(in_text)
        if score >= rule.min_score:
            terms = sorted({m.lower() for m in in_title + in_text})
            matches.append(TopicMatch(topic, score, terms))
    return matches
