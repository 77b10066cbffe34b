"""Article text + publication date → facts: sentence split, mentions, rules, assembly.

Readings decided in 1.1 (examples in tests/metrics/test_metrics_phrasings.py):

- "doubled"/"tripled"/"quadrupled"/"halved" are a change in percent: +100, +200, +300, -50
  ("more than doubled" → more_than); "three-fold"/"2.5-fold" stay a change in `times`.
- "dozens of", "hundreds of", "thousands of", "tens of thousands of"... are a lower bound
  (qualifier at_least) at twice the base: 24, 200, 2,000, 20,000 ("hundreds of millions of
  yuan" → at least 200 million CNY).
- Ranges "3-5 percent", "between 3 and 5 percent" are two facts, at_least and at_most.
- Bare numbers listed before a figure take its unit and magnitude ("3, 4 and 5 billion yuan
  respectively"); a figure listed after a change/share/delta of the same unit shares its kind.
- "one in five" is a share of 20 percent; "-2.3 percent" keeps its sign.
- A bare 1900-2100 number is a year unless a counted plural follows and no year word precedes
  ("2000 workers" is a count; "in 2000", "by 2025", "the 2023 budget" are years).
- Word numbers after "the/these/both" are anaphora ("the two places") unless "new/more/
  additional" follows; digits after them are facts ("the 12 projects").
- Durations ("three years") are not facts.
- Periods: an event date ("founded in 1998") does not date later figures; "today/now/
  currently" cuts the carried period; the first-later-period fallback stays in the clause;
  "... a year ago/earlier" after a figure is the current period shifted back one year.

Speed: numbers, period keywords and sentence ends are found once per article with cheap
scans (hints.py); the big alternations only run in windows or behind substring prefilters.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

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
from .hints import Prefilter, finditer_windows, keyword_positions, windows
from .mentions import Mention, find_mentions
from .numbers import number_matches
from .periods import Period, find_periods, label_year
from .sentences import split_sentences

_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " "})
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_ASCII_WORD_RE = re.compile(r"[a-z]{3}")
_FORWARD_TO_RE = re.compile(r"^[^,;]{0,40}?\bto\s*$")
_FORWARD_OF_RE = re.compile(r"^\s+of\s+(?:the\s+)?$")
_COMPARE_HINT_RE = re.compile(r"(?:year|month|quarter)[- ]on|over|from|than|compared|against|versus"
                              r"|vs|y-o-y|yoy|m-o-m|q-o-q")
_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(65, 91)})
_BASELINE_BEFORE_RE = Prefilter.from_vocabulary(
    r"\b(?:{words})\s*$",
    words=("from", "than", r"compared\s+(?:with|to)", "against", "versus"))
_PUNCT_RE = re.compile(r"[,;:()]")
#: A clause break between a figure and a later period: "56 companies, 11 of which ... last year".
_CLAUSE_BREAK_RE = re.compile(
    r"[;]|,\s+(?:\w+\s+){0,2}(?:of\s+which|while|whereas|but|and\s+its)\b|,\s+\d")
_NEW_CLAUSE_RE = re.compile(r"(?:,\s*and\b|;|\bwhile\b|\bwhereas\b|\bbut\b)", re.IGNORECASE)
#: A news dateline ("HARBIN, July 28 (Xinhua) --"): the day the story was filed, not a period.
_DATELINE_RE = re.compile(
    r"^\s*[A-Z][A-Za-z .'’-]{1,30},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?"
    r"(?:\s*\([^)]{1,30}\))?\s*(?:--|—|–|-)")


def _qualifier(text: str, left_from: int, start: int, mention: Mention) -> str:
    if mention.qualifier_fixed:
        return mention.qualifier_fixed
    before = ph.qualifier_before(text[max(left_from, start - 30):start])
    return before or mention.qualifier_after or "exact"


def _inherit_units(text: str, low: str, mentions: list[Mention]) -> None:
    """Bare numbers listed before a figure take its unit and magnitude: "3, 4 and 5 billion
    yuan", "between 3 and 5 percent", "9.1 and 14.3 percent" ("between ... and" is a range)."""
    for i in range(len(mentions) - 2, -1, -1):
        m, nxt = mentions[i], mentions[i + 1]
        if m.unit == nxt.unit != "count" and m.scale == 1.0 < nxt.scale \
                and ph.RANGE_TO_GAP_RE.match(low, m.end, nxt.start):
            m.value *= nxt.scale  # "$3 to $5 billion"
            m.scale = nxt.scale
            continue
        if not m.bare or (nxt.unit == "count" and nxt.scale == 1.0):
            continue
        gap = ph.NUMBER_LIST_GAP_RE.match(low, m.end, nxt.start)
        if gap is None or gap.end() != nxt.start:
            continue
        m.value *= nxt.scale
        m.unit, m.basis, m.scale, m.bare = nxt.unit, nxt.basis, nxt.scale, False
        if gap.group("and") and ph.BETWEEN_BEFORE_RE.search(low, max(0, m.start - 12), m.start):
            m.qualifier_fixed, nxt.qualifier_fixed = "at_least", "at_most"


def _kind_and_sign(text: str, left_from: int, mention: Mention, e: int) -> tuple[str, int]:
    """(kind, sign) from the phrasing around the mention."""
    if mention.forced_kind:
        return mention.forced_kind, 1
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
        if mention.unit == "percent" and "rowth" in text[left_lo:mention.start] \
                and ph.GROWTH_SUBJECT_RE.match(
                text, _clause_start(text, left_lo, mention.start), mention.start):
            return "change", 1  # "growth in the sector was -2.3 percent"
        if ph.SHARE_BEFORE_RE.search(text, left_lo, mention.start) or ph.SHARE_AFTER_RE.match(
            right
        ) or ph.SHARE_WORD_RE.search(text, left_lo, mention.start):
            return "share", 1
        return "level", 1
    if (ph.DELTA_BEFORE_RE.search(text, left_lo, mention.start)
            or ph.DELTA_AFTER_RE.match(right)
            or (("newly" in right or "added" in right or "created" in right)
                and ph.DELTA_CLAUSE_RE.match(right))):
        return "delta", 1
    change = ph.CHANGE_BEFORE_RE.search(text, left_lo, mention.start)
    if change and ((change.group("rise") or "").lower() != "up" or " by" in change.group(0)):
        return "delta", -1 if change.group("fall") else 1  # "fell by 2 billion yuan"
    return "level", 1


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Start of the clause holding pos: after the last comma or semicolon in text[lo:pos]."""
    return max(text.rfind(",", lo, pos), text.rfind(";", lo, pos)) + 1 or lo


def _period_for(text: str, low: str, start: int, end: int, periods: list[Period],
                carried: str | None, next_start: int, claimed: set[int]) -> str | None:
    """Period right after the mention, else the last before it (unless it dates an event,
    "founded in 1998", or a present-tense marker follows it, "today"), else the first after in
    the same clause (unless a baseline claimed it: "up from 2.1 billion yuan in 2019"), else
    the carried one."""
    for p in periods:
        if end <= p.start < min(next_start, end + 25) and not _PUNCT_RE.search(text, end, p.start):
            return p.label
    before = [p for p in periods if p.end <= start and not p.event]
    if before:
        if ph.PRESENT_RE.search(low, before[-1].end, start):
            return None
        return before[-1].label
    if any(p.end <= start for p in periods):
        return None  # only an event date before: "founded in 1998 and has 1,998 employees"
    for p in periods:
        if p.start >= end and p.start not in claimed:
            if _CLAUSE_BREAK_RE.search(text, end, p.start):
                break
            return p.label
    if carried and ph.PRESENT_RE.search(low, max(0, start - 80), start):
        return None
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
    numbers: list[re.Match[str]] | None = None, hints: list[int] | None = None,
    dateline: tuple[int, int] | None = None,
) -> list[Fact]:
    """Facts of one sentence; `state` carries the period and subject across sentences.

    `low` is `text` lower-cased (same offsets), for the regexes that scan whole sentences.
    """
    mentions = find_mentions(text, low, s, e, published, phones, numbers)
    if hints is None:
        spans = None
        bases = list(ph.BASIS_RE.finditer(low, s, e)) if _COMPARE_HINT_RE.search(low, s, e) \
            else []
    else:
        spans = windows(hints, s, e)
        bases = finditer_windows(ph.BASIS_RE, low, spans) if spans else []
    masked = [(b.start(), b.end()) for b in bases]
    masked.extend((m.start, m.end) for m in mentions if m.unit == "count" and m.end - m.start == 4)
    if dateline is not None and dateline[0] < e and s < dateline[1]:
        masked.append(dateline)
    pub = published or dt.date.today()
    periods = find_periods(low, s, e, pub, state["period"], masked, spans)
    if len(mentions) > 1:
        _inherit_units(text, low, mentions)
    if not mentions:
        _carry(state, periods, pub)
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
    prev_sign = 1
    for i, mention in enumerate(mentions):
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else e
        kind, sign = _kind_and_sign(text, prev_end, mention, e)
        if i and kind == "level" and mention.unit == facts[-1].unit:
            gap = text[mentions[i - 1].end:mention.start]
            if mention.unit == "count":
                if ph.LIST_GAP_RE.match(gap) and not ph.LIST_BREAK_RE.search(gap):
                    kind = facts[-1].kind
            elif facts[-1].kind != "level" and ph.KIND_LIST_GAP_RE.match(gap):
                kind, sign = facts[-1].kind, prev_sign  # "grew 12 percent and 8 percent"
            elif facts[-1].kind == "change" and mention.unit == "percent" \
                    and ph.BASELINE_CHANGE_GAP_RE.match(gap):
                kind, sign = "change", 1  # "grew 5.2 percent, compared with 4.9 percent"
        period = _period_for(text, low, mention.start, mention.end, periods, state["period"],
                             next_start, claimed)
        if "year" in low[mention.end:mention.end + 50] \
                and ph.YEAR_AGO_AFTER_RE.match(low, mention.end):
            period = _year_earlier(period or state["period"], published)
        basis = mention.basis
        if kind == "change" and basis is None:
            basis = _nearest_basis(bases, mentions, i, period, published)
        elif kind == "delta" and basis is None and bases:
            near = [b for b in bases if mention.end <= b.start() <= mention.end + 2]
            basis = _basis_label(near[0], period, published) if near else None
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
            basis=basis if kind in ("change", "delta") else None, metric=metric,
            subject=subject_for(mention.start, entities, anaphor_at, state["subject"]),
            share_of=_share_of(text, mention, e) if kind == "share" else None,
            refers_to=None, conversion=mention.conversion, sentence=sentence,
            start=mention.start, end=mention.end,
        ))
        prev_end = max(mention.end, mention.consumed)
        prev_sign = sign
    _link(text, mentions, facts)
    _carry(state, periods, pub)
    if entities:
        state["subject"] = entities[-1][1]
    return facts


def _year_earlier(label: str | None, published: dt.date | None) -> str | None:
    """The same period a year earlier: "2019-H1" → "2018-H1" ("3.9 billion yuan a year ago")."""
    if label is None:
        return str(published.year - 1) if published else None
    return re.sub(r"(?:19|20)\d\d", lambda y: str(int(y.group(0)) - 1), label)


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
        if i and b.start() <= lo + 1:
            continue  # "rose 13 percent month-on-month ..., while ... slid 2.5 percent"
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
        if fact.kind == "delta" and i and facts[i - 1].kind == "level" \
                and facts[i - 1].unit == fact.unit \
                and ph.DELTA_OF_LEVEL_RE.match(text, mentions[i - 1].end, mentions[i].start):
            fact.refers_to = i - 1  # "totaled 5,600, an increase of 800"
            continue
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
    numbers = number_matches(low)
    starts = [m.start() for m in numbers]
    hints = keyword_positions(low, text)
    filed = _DATELINE_RE.match(text)
    dateline = (filed.start(), filed.end()) if filed else None
    for s, e in split_sentences(text):
        inside = numbers[bisect_left(starts, s):bisect_left(starts, e)]
        facts = []
        if has_cjk and _CJK_RE.search(text, s, e):
            english = None
            if _ASCII_WORD_RE.search(low, s, e):
                found = find_periods(low, s, e, published or dt.date.today(), state["period"], [])
                english = found[-1].label if found else None
            facts = find_chinese_facts(text, s, e, published, state, english)
        if not facts:
            facts = _sentence_facts(text, low, s, e, published, state, phones, inside, hints,
                                    dateline)
        base = len(out)
        for fact in facts:
            if fact.refers_to is not None:
                fact.refers_to += base
        out.extend(facts)
    return out


def _carry(state: dict, periods: list[Period], published: dt.date) -> None:
    """The last measured period of a sentence dates the sentences after it — unless it lies
    after the publication year: a target ("by the end of 2025") dates nothing that follows."""
    measured = [p for p in periods
                if not p.event and (label_year(p.label) or 0) <= published.year]
    if measured:
        state["period"] = measured[-1].label
