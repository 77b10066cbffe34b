"""Topic tagging by rules kept as data: score = 2 x title matches + text matches.

Built-in rules (pipelines/topic_rules.toml, English and Chinese) apply to every source; a
profile's [topics] replace those of the same name and add others. Terms are matched whole on
the Latin side (`\\b` only where a Latin letter or digit meets another) and anywhere inside
Chinese text, which has no spaces; text an `exclude` pattern matches never counts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = rf"[^\W_{_CJK}]"  # a letter or digit of a script that puts spaces between words
# A boundary only between two Latin letters/digits: `park` is not `parking`, but `园区` is
# found inside 工业园区发展 and `output` inside 开发区output增长.
_EDGE = rf"(?:(?<!{_LATIN})|(?!{_LATIN}))"


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    score: int
    terms: list[str]


@dataclass(frozen=True)
class Rule:
    """A topic's terms (regexes), what never counts (regexes) and the score it needs."""

    terms: list[str]
    min_score: int = 2
    exclude: list[str] = field(default_factory=list)


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile(_EDGE + "(?:" + "|".join(f"(?:{t})" for t in terms) + ")" + _EDGE, re.I)


def _masked(text: str, exclude: re.Pattern[str] | None) -> str:
    """The text with what `exclude` matches blanked out (same length)."""
    return exclude.sub(lambda m: " " * len(m.group(0)), text) if exclude else text


def tag_topics(title: str, text: str, rules: Mapping[str, object]) -> list[TopicMatch]:
    """Topics whose score reaches their min_score, each with the distinct terms that matched.

    `rules` maps a topic name to an object with `terms` (regexes), `min_score` and optionally
    `exclude` (regexes); a rule without terms never matches.
    """
    matches = []
    for topic, rule in rules.items():
        pattern = _pattern(tuple(rule.terms))
        if pattern is None:
            continue
        exclude = _pattern(tuple(getattr(rule, "exclude", None) or ()))
        in_title = pattern.findall(_masked(title or "", exclude))
        in_text = pattern.findall(_masked(text or "", exclude))
        score = 2 * len(in_title) + len(in_text)
        if score >= rule.min_score:
            terms = sorted({m.lower() for m in in_title + in_text})
            matches.append(TopicMatch(topic, score, terms))
    return matches


@cache
def default_rules() -> dict[str, Rule]:
    """The built-in rules of pipelines/topic_rules.toml."""
    data = tomllib.loads(resources.files("pipelines").joinpath("topic_rules.toml")
                        .read_text(encoding="utf-8"))
    return {name: Rule(terms=list(table["terms"]), min_score=int(table.get("min_score", 2)),
                       exclude=list(table.get("exclude", [])))
            for name, table in data.items()}


def rules_for(profile_topics: Mapping[str, object] | None) -> dict[str, object]:
    """The built-in rules, with a profile's own topics replacing those of the same name."""
    return {**default_rules(), **(profile_topics or {})}
