"""Topic tagging by rules kept as data: score = 2 x title matches + text matches.

Built-in rules (pipelines/topic_rules.toml, English and Chinese) apply to every source; a
profile's [topics] replace those of the same name and add others. Terms are matched whole on
the Latin side (`\\b` only where a Latin letter or digit meets another) and anywhere inside
Chinese text, which has no spaces; text an `exclude` pattern matches never counts.

A story is about industrial parks because a park, a zone or its projects are what it is about,
not because it names one: a term inside a rule's `generic` words ("新区", "园区", "the zone" —
how a zone's own portal names itself in every story) or inside the source's own names
(`home_names`: the portal's zone, pipelines.entities.home_names) counts only when the story
also holds one of the rule's `evidence` words (企业, 产值, 签约, enterprises, output…).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Protocol

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
    generic: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


class RuleLike(Protocol):
    """What the tagger reads of a rule (a built-in Rule or a profile's TopicRule)."""

    @property
    def terms(self) -> list[str]: ...

    @property
    def min_score(self) -> int: ...


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile(_EDGE + "(?:" + "|".join(f"(?:{t})" for t in terms) + ")" + _EDGE, re.I)


def _masked(text: str, exclude: re.Pattern[str] | None) -> str:
    """The text with what `exclude` matches blanked out (same length)."""
    return exclude.sub(lambda m: " " * len(m.group(0)), text) if exclude else text


def _plain(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Terms matched anywhere (their own lookarounds decide their edges)."""
    return re.compile("|".join(f"(?:{t})" for t in terms), re.I) if terms else None


@lru_cache(maxsize=64)
def _names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)),
                      re.I) if names else None


def _hits(pattern: re.Pattern[str], text: str, weak: list[re.Pattern[str] | None],
          strong_only: bool) -> list[str]:
    """The terms matched in text; a match inside a weak span (a generic word, the source's own
    name) is left out when `strong_only`."""
    spans = [(m.start(), m.end()) for w in weak if w is not None for m in w.finditer(text)]
    out = []
    for m in pattern.finditer(text):
        if strong_only and any(a <= m.start() and m.end() <= b for a, b in spans):
            continue
        out.append(m.group(0))
    return out


def tag_topics(title: str, text: str, rules: Mapping[str, RuleLike],
               home_names: Sequence[str] = ()) -> list[TopicMatch]:
    """Topics whose score reaches their min_score, each with the distinct terms that matched.

    `rules` maps a topic name to an object with `terms` (regexes), `min_score` and optionally
    `exclude`, `generic` and `evidence` (regexes); a rule without terms never matches.
    `home_names`: the source's own zone's names, counted like generic words.
    """
    matches = []
    home = _names(tuple(home_names))
    for topic, rule in rules.items():
        pattern = _pattern(tuple(rule.terms))
        if pattern is None:
            continue
        exclude = _pattern(tuple(getattr(rule, "exclude", None) or ()))
        generic = _plain(tuple(getattr(rule, "generic", None) or ()))
        title_text, body = _masked(title or "", exclude), _masked(text or "", exclude)
        evidence = _pattern(tuple(getattr(rule, "evidence", None) or ()))
        weak_only = (generic is not None or home is not None) and not (
            evidence is not None and (evidence.search(title_text) or evidence.search(body)))
        weak = [generic, home]
        in_title = _hits(pattern, title_text, weak, weak_only)
        in_text = _hits(pattern, body, weak, weak_only)
        if home is not None and not weak_only:  # the portal's own zone, named as it names itself
            in_title += [m.group(0) for m in home.finditer(title_text)
                         if not pattern.search(m.group(0))]
            in_text += [m.group(0) for m in home.finditer(body) if not pattern.search(m.group(0))]
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
                       exclude=list(table.get("exclude", [])),
                       generic=list(table.get("generic", [])),
                       evidence=list(table.get("evidence", [])))
            for name, table in data.items()}


def rules_for(profile_topics: Mapping[str, RuleLike] | None) -> dict[str, RuleLike]:
    """The built-in rules, with a profile's own topics replacing those of the same name."""
    return {**default_rules(), **(profile_topics or {})}
