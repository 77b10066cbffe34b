"""Article text + publication date → facts: sentence split, mentions, rules, assembly."""

from __future__ import annotations

import datetime as dt
import re

from . import phrasings as ph
from .chinese import find_chinese_facts
from .context import (
    clause_metric,
    count_noun,
    find_entities,
    first_anaphor,
    noun_after_unit,
    subject_for,
)
from .facts import Fact
from .mentions import Mention, find_mentions
from .periods import Period, find_periods, label_year
from .sentences import split_sentences

_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " "})
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_FORWARD_TO_RE = re.compile(r"^[^,;]{0,40}?\bto\s*$")
_FORWARD_OF_RE = re.compile(r"^\s+of\s+(?:the\s+)?$")
_COMPARE_HINT_RE = re.compile(r"(?:year|month|quarter)[- ]on|over|from|than|compared|against|versus"
                              r"|vs|y-o-y|yoy|m-o-m|q-o-q")
_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(65, 91)})
_BASELINE_BEFORE_RE = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|against|versus)\s*$")
_PUNCT_RE = re.compile(r"[,;:()]")
_NEW_CLAUSE_RE = re.compile(r"(?:,\s*and\b|;|\bwhile\b|\bwhereas\b|\bbut\b)", re.IGNORECASE)


def _qualifier(text: str, left_from: int, start: int, mention: Mention) -> str:
    before = ph.qualifier_before(text[max(left_from, start - 30):start])
    return before or mention.qualifier_after or "exact"


def _kind_and_sign(text: str, left_from: int, mention: Mention, e: int) -> tuple[str, int]:
    """(kind, sign) from the phrasing around the mention."""
    left_lo = max(left_from, mention.start - 60)
    right = text[mention.end:min(e, mention.end + 60)]
    if mention.fraction:
        change = ph.CHANGE_BEFORE_RE.search(text, left_lo, mention.start)
        if change:
            return "change", -1 if change.group("fall") else 1
        return "share", 1
    if mention.unit in ("percent", "times"):
        change = ph.CHANGE_BEFORE_RE.search(text, left_lo, mention.start)
        after = ph.CHANGE_AFTER_RE.match(right)
        if change or after or mention.basis == "percentage-points":
            fall = (change and change.group("fall")) or (after and after.group("fall"))
            return "change", -1 if fall else 1
        if ph.SHARE_BEFORE_RE.search(text, left_lo, mention.start) or ph.SHARE_AFTER_RE.match(
            right
        ) or ph.SHARE_WORD_RE.search(text, left_lo, mention.start):
            return "share", 1
        return "level", 1
    if (ph.DELTA_BEFORE_RE.search(text, left_lo, mention.start)
            or ph.DELTA_AFTER_RE.match(right) or ph.DELTA_CLAUSE_RE.match(right)):
        return "delta", 1
    change = ph.CHANGE_BEFORE_RE.search(text, left_lo, mention.start)
    if change and ((change.group("rise") or "").lower() != "up" or " by" in change.group(0)):
        return "delta", -1 if change.group("fall") else 1  # "fell by 2 billion yuan"
    return "level", 1


def _period_for(text: str, start: int, end: int, periods: list[Period], carried: str | None,
                next_start: int, claimed: set[int]) -> str | None:
    """Period right after the mention, else the last before it, else the first after (unless a
    baseline claimed it: "up from 2.1 billion yuan in 2019"), else the carried one."""
    for p in periods:
        if end <= p.start < min(next_start, end + 25) and not _PUNCT_RE.search(text, end, p.start):
            return p.label
    before = [p for p in periods if p.end <= start]
    if before:
        return before[-1].label
    after = [p for p in periods if p.start >= end and p.start not in claimed]
    if after:
        return after[0].label
    return carried


def _basis_label(m: re.Match[str], period: str | None, published: dt.date | None) -> str:
    if m.group("yoy"):
        return "year-on-year"
    if m.group("mom"):
        return "month-on-month"
    if m.group("qoq"):
        return "quarter-on-quarter"
    year = int(m.group("vy"))
    ref = label_year(period) or (published.year if published else None)
    return "year-on-year" if ref is not None and year == ref - 1 else f"compared-to-{year}"


def _sentence_facts(
    text: str, low: str, s: int, e: int, published: dt.date | None,
    state: dict[str, str | None], phones: list[tuple[int, int]],
) -> list[Fact]:
    """Facts of one sentence; `state` carries the period and subject across sentences.

    `low` is `text` lower-cased (same offsets), for the regexes that scan whole sentences.
    """
    mentions = find_mentions(text, low, s, e, published, phones)
    bases = list(ph.BASIS_RE.finditer(low, s, e)) if _COMPARE_HINT_RE.search(low, s, e) else []
    masked = [(b.start(), b.end()) for b in bases]
    pub = published or dt.date.today()
    periods = find_periods(low, s, e, pub, state["period"], masked)
    if not mentions:
        if periods:
            state["period"] = periods[-1].label
        entities = find_entities(text, s, e)
        if entities:
            state["subject"] = entities[-1][1]
        return []
    entities = find_entities(text, s, e)
    anaphor_at = first_anaphor(text, s, e) if state["subject"] else None
    sentence = text[s:e]
    claimed = _baseline_periods(low, mentions, periods) if len(mentions) > 1 else set()
    facts: list[Fact] = []
    prev_end = s
    for i, mention in enumerate(mentions):
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else e
        kind, sign = _kind_and_sign(text, prev_end, mention, e)
        if i and mention.unit == "count" and facts[-1].unit == "count":
            gap = text[mentions[i - 1].end:mention.start]
            if ph.LIST_GAP_RE.match(gap) and not ph.LIST_BREAK_RE.search(gap) and kind == "level":
                kind = facts[-1].kind
        period = _period_for(text, mention.start, mention.end, periods, state["period"],
                             next_start, claimed)
        basis = mention.basis
        if kind == "change" and basis is None:
            basis = _nearest_basis(bases, mentions, i, period, published)
        metric = None
        if mention.unit == "count":
            metric = count_noun(text, mention.end, next_start) or clause_metric(
                text, prev_end, mention.start)
            if metric is None and facts and "total" in low[prev_end:mention.start]:
                metric = facts[-1].metric  # "..., bringing the total to 58"
        elif kind in ("level", "delta") or (kind == "change" and i == 0):
            metric = noun_after_unit(text, mention.end, next_start) or clause_metric(
                text, s if i == 0 else prev_end, mention.start)
        facts.append(Fact(
            value=sign * mention.value, unit=mention.unit, kind=kind,
            qualifier=_qualifier(text, prev_end, mention.start, mention), period=period,
            basis=basis if kind == "change" else None, metric=metric,
            subject=subject_for(mention.start, entities, anaphor_at, state["subject"]),
            share_of=_share_of(text, mention, e) if kind == "share" else None,
            refers_to=None, conversion=mention.conversion, sentence=sentence,
            start=mention.start, end=mention.end,
        ))
        prev_end = max(mention.end, mention.consumed)
    _link(text, mentions, facts)
    if periods:
        state["period"] = periods[-1].label
    if entities:
        state["subject"] = entities[-1][1]
    return facts


def _baseline_periods(low: str, mentions: list[Mention], periods: list[Period]) -> set[int]:
    """Starts of periods that belong to a baseline figure ("from 2.1 billion yuan in 2019")."""
    claimed = set()
    for m in mentions:
        if not _BASELINE_BEFORE_RE.search(low, max(0, m.start - 20), m.start):
            continue
        for p in periods:
            if m.end <= p.start < m.end + 25 and not _PUNCT_RE.search(low, m.end, p.start):
                claimed.add(p.start)
    return claimed


def _nearest_basis(
    bases: list[re.Match[str]], mentions: list[Mention], i: int, period: str | None,
    published: dt.date | None,
) -> str | None:
    """The comparison phrase closest to mention i without another mention in between."""
    lo = mentions[i - 1].end if i else -1
    hi = mentions[i + 1].start if i + 1 < len(mentions) else 1 << 62
    best, best_dist = None, None
    for b in bases:
        if lo <= b.start() and b.end() <= hi:
            dist = min(abs(b.start() - mentions[i].end), abs(mentions[i].start - b.end()))
            if best_dist is None or dist < best_dist:
                best, best_dist = b, dist
    return _basis_label(best, period, published) if best else None


def _share_of(text: str, mention: Mention, e: int) -> str | None:
    m = ph.SHARE_OF_RE.match(text[mention.end:min(e, mention.end + 100)])
    return m.group("of").strip() if m else None


def _link(text: str, mentions: list[Mention], facts: list[Fact]) -> None:
    """Point each change or share at the level it describes (sentence-local indices)."""
    for i, fact in enumerate(facts):
        if fact.kind not in ("change", "share"):
            continue
        if i + 1 < len(facts) and facts[i + 1].kind in ("level", "delta"):
            gap = text[mentions[i].end:mentions[i + 1].start]
            if _FORWARD_TO_RE.match(gap) or _FORWARD_OF_RE.match(gap):
                fact.refers_to = i + 1
                continue
        for j in range(i - 1, -1, -1):
            other = facts[j]
            if other.kind == "change" or (fact.kind == "share" and other.kind == "share"):
                continue
            if fact.kind == "share" and other.unit == "percent":
                break
            gap = text[mentions[j].end:mentions[i].start]
            if _NEW_CLAUSE_RE.search(gap):
                break
            if fact.kind == "change" and other.unit == "count" and "," not in gap:
                break  # "sales at the park's 230 enterprises went up 14.6 percent"
            fact.refers_to = j
            if fact.metric is None:
                fact.metric = other.metric
            break


def lower_ascii(text: str) -> str:
    """A-Z lower-cased and nothing else, so offsets stay those of `text`."""
    return text.translate(_LOWER)


def extract_facts(text: str, published: dt.date | None = None) -> list[Fact]:
    """Every numeric fact in an article body, in order; refers_to indexes the returned list."""
    if not text:
        return []
    text = text.translate(_SPACES)
    low = lower_ascii(text)
    phones = [(m.start(), m.end()) for m in ph.PHONE_RE.finditer(text)]
    state: dict[str, str | None] = {"period": None, "subject": None}
    out: list[Fact] = []
    has_cjk = _CJK_RE.search(text) is not None
    for s, e in split_sentences(text):
        facts = []
        if has_cjk and _CJK_RE.search(text, s, e):
            facts = find_chinese_facts(text, s, e, published, state)
        if not facts:
            facts = _sentence_facts(text, low, s, e, published, state, phones)
        base = len(out)
        for fact in facts:
            if fact.refers_to is not None:
                fact.refers_to += base
        out.extend(facts)
    return out
