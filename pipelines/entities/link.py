"""Entity linking of an article's facts: whose figure each one is, which measure, which series.

The entity a story is about comes from its title (the first zone named there), else its first
paragraph, else the source's own zone (`home`: a zone's portal writes "开发区" for itself),
else the place its title or first paragraph names. Mentions are resolved in reading order: a
name is itself; an anaphor is the zone named last or the story's ("该区", "the zone"), the story's
own ("全区", "本区"), the last of its kind ("经开区", "the new area"), the city or province above
the story's zone ("全市", "全省"), or the last two named ("the two places", "两地").

A figure's entity: the last name in its clause before it (a name right after 比/高于/than is a
benchmark, not a subject), else the first in its sentence before it, else (English) a name
right after it in its clause ("… at the Harbin Comprehensive Bonded Zone"), else the subject the
previous sentences carried, else the story's.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.metrics.facts import Fact
from pipelines.metrics.measures import fits, measure_at, vocabulary
from pipelines.metrics.status import granularity, status

from .gazetteer import ZONE_KINDS, Gazetteer, default_gazetteer
from .mentions import Mention, find_mentions
from .names import group_id

_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " "})
_CLAUSE_MARK_RE = re.compile(r"[，,；;：:（(]")
_BENCHMARK_BEFORE_RE = re.compile(
    r"(?:比|较|高于|低于|快于|慢于|超过|领先|than|above|below|over|compared\s+with|compared\s+to"
    r"|ahead\s+of|behind)\s*(?:the\s+)?$", re.I)
_AFTER_PREP_RE = re.compile(r"^[^,;，；。]{0,40}?\b(?:in|at|of|from|for)\s+(?:the\s+)?$", re.I)
_FIRST_PARAGRAPH = 240
#: Between two figures of one clause: "grew 6.5 percent year-on-year to 18.24 billion yuan".
_SAME_CLAUSE_GAP_RE = re.compile(r"^[^,;，；。]{0,40}$")


@dataclass(frozen=True)
class Resolved:
    """A mention with the entity it resolved to (None: an anaphor with nothing to point at)."""

    mention: Mention
    entity_id: str | None


@dataclass(frozen=True)
class FactLink:
    """What linking adds to a fact: its entity, measure, granularity, status and series."""

    entity_id: str | None
    mention: str | None  # the words that named the entity for this figure, as written
    measure: str | None
    granularity: str | None
    status: str  # outcome | target | comparison
    series_key: str | None  # entity|measure|kind|granularity|unit, for outcomes only

    def to_dict(self) -> dict[str, str | None]:
        return {"entity_id": self.entity_id, "mention": self.mention, "measure": self.measure,
                "granularity": self.granularity, "status": self.status,
                "series_key": self.series_key}


@dataclass(frozen=True)
class ArticleLinks:
    """An article's linking: the entity it is about, its resolved mentions, one link a fact."""

    about: str | None
    mentions: list[Resolved]
    links: list[FactLink]


def series_key(entity_id: str | None, measure: str | None, kind: str, basis: str | None,
               grain: str | None, unit: str, fact_status: str) -> str | None:
    """The series an outcome belongs to: entity × measure × kind × granularity × unit; None
    when any part is missing. A change in percentage points is a kind of its own; the new
    ones of a flow (新增市场主体, 新开工项目: a delta with no basis of a measure that adds up
    over periods) are its level."""
    if fact_status != "outcome" or not (entity_id and measure and grain):
        return None
    kind_key = kind
    if kind == "change" and basis == "percentage-points":
        kind_key = "change_pp"
    elif kind == "delta" and basis is None:
        known = vocabulary().measures.get(measure)
        if known is not None and known.additive:
            kind_key = "level"
    return "|".join((entity_id, measure, kind_key, grain, unit))


def _first_zone(mentions: Sequence[Mention], limit: int | None = None) -> str | None:
    for m in mentions:
        if limit is not None and m.start >= limit:
            break
        if m.entity_id and m.kind in ZONE_KINDS | {"group"}:
            return m.entity_id
    return None


def _first_place(mentions: Sequence[Mention], limit: int | None = None) -> str | None:
    for m in mentions:
        if limit is not None and m.start >= limit:
            break
        if m.entity_id:
            return m.entity_id
    return None


def about_entity(title_mentions: Sequence[Mention], text_mentions: Sequence[Mention],
                 home: str | None) -> str | None:
    """The entity a story is about (see the module docstring)."""
    return (_first_zone(title_mentions) or _first_zone(text_mentions, _FIRST_PARAGRAPH)
            or home or _first_place(title_mentions)
            or _first_place(text_mentions, _FIRST_PARAGRAPH))


def resolve(mentions: Sequence[Mention], about: str | None, gazetteer: Gazetteer,
            title: Sequence[Mention] = ()) -> list[Resolved]:
    """Each mention with its entity, anaphora resolved in reading order (the title's names
    read first)."""
    out: list[Resolved] = []
    named: list[str] = [m.entity_id for m in title if m.entity_id]  # named so far, in order
    for m in mentions:
        if m.role != "anaphor":
            out.append(Resolved(m, m.entity_id))
            if m.entity_id:
                named.append(m.entity_id)
            continue
        out.append(Resolved(m, _target(m.points_to or "zone", named, about, gazetteer)))
    return out


def _kind_of(entity_id: str, gazetteer: Gazetteer) -> str:
    entity = gazetteer.entities.get(entity_id)
    if entity is not None:
        return entity.kind
    return entity_id.split(":", 1)[0]


def _target(rule: str, named: list[str], about: str | None, gazetteer: Gazetteer) -> str | None:
    if rule == "about":
        return about
    if rule == "two":
        groups = [eid for eid in named[-3:] if eid.startswith("group:")]
        if groups:
            return groups[-1]
        distinct = list(dict.fromkeys(reversed(named)))[:2]
        return group_id(distinct) if len(distinct) == 2 else about
    if rule == "zone":
        for eid in reversed(named):
            if _kind_of(eid, gazetteer) in ZONE_KINDS | {"group"}:
                return eid
        return about
    if rule in ("city", "province"):
        above = gazetteer.ancestor(about, rule)
        if above:
            return above
        for eid in reversed(named):
            if _kind_of(eid, gazetteer) == rule:
                return eid
        return None
    # a kind: the story's own zone when it is one, else the last of that kind
    if about and _kind_of(about, gazetteer) == rule:
        return about
    for eid in reversed(named):
        if _kind_of(eid, gazetteer) == rule:
            return eid
    return about


def _sentence_span(text: str, fact: Fact) -> tuple[int, int]:
    at = text.find(fact.sentence, max(0, fact.end - len(fact.sentence)))
    if at < 0 or at > fact.start:
        at = max(text.rfind("。", 0, fact.start), text.rfind(". ", 0, fact.start)) + 1
        return at, fact.end
    return at, at + len(fact.sentence)


def _subject(text: str, resolved: Sequence[Resolved], starts: list[int], s: int, e: int,
             fact: Fact) -> Resolved | None:
    """The mention whose entity the figure is (see the module docstring), or None."""
    lo, hi = bisect_left(starts, s), bisect_left(starts, fact.start)
    before = [r for r in resolved[lo:hi] if r.entity_id and r.mention.end <= fact.start
              and not _BENCHMARK_BEFORE_RE.search(text, max(s, r.mention.start - 16),
                                                  r.mention.start)]
    clause = max((m.start() for m in _CLAUSE_MARK_RE.finditer(text, s, fact.start)), default=s)
    in_clause = [r for r in before if r.mention.start >= clause]
    if in_clause:
        zones = [r for r in in_clause if _is_zone(r)]
        return (zones or in_clause)[-1]
    zones = [r for r in before if _is_zone(r)]
    if zones:
        return zones[0]
    if before:
        return before[0]
    for r in resolved[hi:bisect_left(starts, e)]:
        if r.entity_id and _AFTER_PREP_RE.match(text[fact.end:r.mention.start]):
            return r
        break
    return None


def _is_zone(r: Resolved) -> bool:
    """Whether the mention resolved to a zone (or to several places together)."""
    kind = r.entity_id.split(":", 1)[0] if r.entity_id else None
    return kind in ZONE_KINDS or kind == "group"


def link_article(title: str, text: str, facts: Sequence[Fact], home: str | None = None,
                 gazetteer: Gazetteer | None = None) -> ArticleLinks:
    """Link every fact of an article (facts as extract_facts returns them for `text`)."""
    gaz = gazetteer or default_gazetteer()
    text = text.translate(_SPACES)
    title_mentions = find_mentions(title or "", gaz)
    mentions = find_mentions(text, gaz)
    about = about_entity(title_mentions, mentions, home)
    resolved = resolve(mentions, about, gaz, title_mentions)
    starts = [r.mention.start for r in resolved]
    links: list[FactLink] = []
    carried: Resolved | None = None
    carried_until = -1
    measures: list[str | None] = []
    prev_end = 0
    for i, fact in enumerate(facts):
        s, e = _sentence_span(text, fact)
        subject = _subject(text, resolved, starts, s, e, fact)
        if subject is None:
            if carried is None or carried_until < s:
                carried = _sentence_subject(resolved, starts, carried, s)
            subject = carried
        else:
            carried = subject
        carried_until = e
        entity_id = subject.entity_id if subject else about
        lo = max(s, prev_end if prev_end <= fact.start else s)
        measure = measure_at(text, lo, fact.start, fact.end, e, fact.unit, fact.kind,
                             text[s:e])
        if measure is None:
            measure = _measure_before(text, facts, measures, i, s)
        measures.append(measure)
        grain = granularity(fact.period)
        fact_status = status(text, fact.start, fact.end, fact.basis)
        links.append(FactLink(entity_id, subject.mention.text if subject else None, measure,
                              grain, fact_status,
                              series_key(entity_id, measure, fact.kind, fact.basis, grain,
                                         fact.unit, fact_status)))
        prev_end = fact.end
    return ArticleLinks(about, resolved, links)


def _measure_before(text: str, facts: Sequence[Fact], measures: list[str | None], i: int,
                    s: int) -> str | None:
    """The measure a figure shares with one before it: the level a change or delta refers to,
    the figure just before it in its clause ("grew 6.5 percent to 18.24 billion yuan"), or,
    for a change in percentage points, the last change of its sentence ("增长8.4%，增速高于
    全市2.1个百分点")."""
    fact = facts[i]
    if fact.refers_to is not None and fact.refers_to < i and fact.kind in ("change", "delta"):
        return measures[fact.refers_to]
    if not i or facts[i - 1].start < s:
        return None
    prev, before = facts[i - 1], measures[i - 1]
    if before and _SAME_CLAUSE_GAP_RE.match(text[prev.end:fact.start]) and _fits(before, fact):
        return before
    if before and fact.kind == "delta" and prev.unit == fact.unit \
            and len(text[prev.end:fact.start]) <= 10:
        return before  # "高新技术企业486家，当年新增34家"
    if fact.basis == "percentage-points":
        for j in range(i - 1, -1, -1):
            if facts[j].start < s:
                break
            if facts[j].kind == "change" and facts[j].basis != "percentage-points":
                return measures[j]
    return None


def _fits(measure: str, fact: Fact) -> bool:
    return fits(vocabulary().measures[measure], fact.unit, fact.kind)


def _sentence_subject(resolved: Sequence[Resolved], starts: list[int], carried: Resolved | None,
                      s: int) -> Resolved | None:
    """The subject carried into a sentence without one: the first zone the sentences before it
    named after the last carried one, else that one."""
    hi = bisect_left(starts, s)
    for r in reversed(resolved[:hi]):
        if r.entity_id and _is_zone(r) and r.mention.role != "anaphor":
            return r
    return carried
