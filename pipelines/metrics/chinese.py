"""Chinese-language figures: 1075亿元, 3.5万户, 一千二百家, 同比增长6.5%, 两成, 翻一番.

Readings (examples in tests/metrics/test_metrics_chinese.py):

- Chinese numerals are read with cn2an (一千二百, 两千, 三百五十万); a magnitude after digits
  multiplies them (3.5万 → 35,000; 1.2万亿 → 1.2e12).
- `N个百分点` is a change in percent with basis `percentage-points`, never a count.
- 两成 is 20 percent; 五分之一 and 百分之六 are percent; 翻一番 is +100 percent, 翻两番 +300.
- The last trigger word in the clause before a figure decides its kind: 增长/下降 → change of a
  percent (delta of an amount or count), 占/比重 → share, 新增 → delta; 增长至 → level.
- A period after a comparison word (比上年同期, 较去年, 与2019年相比) is the base, not the
  figure's period; 去年同期为3.9亿元 is the current period a year earlier.
- A figure needs a unit or counter: a bare number in Chinese text is a code, date or label.
- An amount in another currency in parentheses right after an amount is its conversion, not
  a figure of its own: 总投资14.5亿元（约合2.1亿美元） is one CNY fact whose conversion is
  checked like the English one's (conversion.py).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

from .conversion import check_conversion
from .facts import Fact
from .periods import label_year
from .units import CURRENCIES
from .zh_periods import ZhPeriod, find_zh_periods
from .zh_vocab import (
    BASIS,
    COUNTER_NOT_BEFORE,
    COUNTERS,
    MAGNITUDES,
    MORE_THAN_INFIX,
    PERCENT_ONLY_TRIGGERS,
    PRESENT,
    QUALIFIERS_AFTER,
    TRIGGER_ANY_RE,
    TRIGGER_FAMILY,
    UNITS,
    alternation,
    qualifier_before,
)

_DIGITS = r"\d{1,3}(?:[ ,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_START = "〇零一二两三四五六七八九十"
_CN_BODY = _CN_START + "百千万亿"
_CN = rf"[{_CN_START}][{_CN_BODY}]*(?:点[〇零一二三四五六七八九]+)?"
_NUM = rf"(?:{_DIGITS}|{_CN})"
_MAG = alternation(list(MAGNITUDES))
_INFIX = alternation(MORE_THAN_INFIX)
#: Units that start like a magnitude (千克, 千瓦时, 百分点): read as the unit, not 千 + 克.
_UNIT_LIKE_MAG = alternation([w for w in UNITS if w[0] in "百千万亿十"])
_UNIT = alternation(list(UNITS))
_COUNTER = rf"(?:{alternation(COUNTERS)})(?!{alternation(COUNTER_NOT_BEFORE)})"
_AFTER_Q = alternation(list(QUALIFIERS_AFTER))
_DASH = r"\s*(?:-|—|–|~|～|至|到)\s*"
_NOT_BEFORE = rf"(?<![A-Za-z\d.,第{_CN_BODY}])"

#: One figure: an optional range start, the number, 余/多, a magnitude, a unit or counter.
MENTION_RE = re.compile(
    rf"{_NOT_BEFORE}(?:"
    rf"(?P<pct>百分之(?P<pct_n>{_NUM}))"
    rf"|(?P<frac>(?P<den>[{_CN_BODY}]+|\d+)分之(?P<nume>[{_CN_BODY}]+|\d+))"
    rf"|(?P<cheng>(?P<cheng_n>[一二两三四五六七八九])成(?P<cheng_half>半)?)"
    r"|(?P<fan>翻了?(?P<fan_n>一|两|二|三)番)"
    rf"|(?<=[近超逾上])(?P<bare>{_MAG})(?P<bare_unit>{_UNIT}|{_COUNTER})(?=[，。；、,;)）]|$)"
    rf"|(?:(?P<lo>{_NUM})(?:%|％)?{_DASH})?(?P<num>{_NUM})\s*(?P<infix1>{_INFIX})?"
    rf"\s*(?P<mag>(?!{_UNIT_LIKE_MAG})(?:{_MAG}))?(?P<infix2>{_INFIX})?\s*(?P<unit>{_UNIT}|{_COUNTER})?"
    rf")(?P<after>{_AFTER_Q})?"
)
_CLAUSE_MARKS = "，,；;。：:（()）!！？?"
_LIST_GAP_RE = re.compile(r"^\s*(?:、|和|及|以及|与|，|,)\s*$")
_SHARE_OF_RE = re.compile(
    r"占(?P<of>[^，,；;。的\d%％]{1,20}?)(?:的|比重|比例|[\d一二两三四五六七八九])")
_METRIC_TRIM_RE = re.compile(
    r"^(?:.*?(?:实现|完成|达到|拥有|共有|累计|新增|引进|签约|建成|培育|吸引|落地|认定|带动|"
    r"总计|合计))?(?P<m>.*?)(?:达到|达|为|是|共|约|近|超过|超|逾|突破|了|分别|同比增长|增长"
    r"|下降|增加|减少|年均|同比|环比|比上年同期|比去年同期|比上年|比去年|较上年|较去年|多出|多|少)*$")
_MORE_THAN_BASE_RE = re.compile(r"(?:比|较)[^，,；;。]{0,12}?(多|少)出?了?\s*$")
_FAN = {"一": 100.0, "两": 300.0, "二": 300.0, "三": 700.0}
_YEAR_BASE_RE = re.compile(r"(?:比|较|与|相比|相较)\s*(?P<y>(?:19|20)\d\d)\s*年")
_MOM_RE = re.compile(r"(?:比|较)\s*上(?:个)?月")
_QOQ_RE = re.compile(r"(?:比|较)\s*(?:上一?季度|[一二三四1-4]季度)")
_YOY_BASE_RE = re.compile(r"(?:比|较|与|同)\s*(?:上年|去年|上一年)(?!末|底)")
#: The opening of a parenthesised conversion: （约合, (折合, （相当于, or the bare parenthesis.
_CONVERSION_OPEN_RE = re.compile(r"\s*[（(]\s*(?:约合|折合|约|合|相当于|合计约)?\s*(?:人民币)?")
_CONVERSION_CLOSE_RE = re.compile(r"\s*[)）]")


def _value(text: str) -> float:
    """Digits ("8 982", "1,200.5") or Chinese numerals (cn2an: 一千二百, 三点五)."""
    if text[0].isdigit():
        return float(re.sub(r"[ ,，]", "", text))
    import cn2an  # imported on first use: it takes longer to import than to run

    return float(cn2an.cn2an(text, "normal"))


_CLAUSE_MARK_RE = re.compile(f"[{re.escape(_CLAUSE_MARKS)}]")
#: How far back a clause may reach (a sentence without commas is one long clause).
_MAX_CLAUSE = 120


def _clean(value: float) -> float:
    """1025.6 × 1e8 is 102559999999.99998 in binary: back to the 15 digits that were written."""
    return float(f"{value:.15g}")


def _clause_start(marks: list[int], s: int, pos: int) -> int:
    """Start of the clause holding pos: after the last clause mark before it (`marks`: the
    sentence's mark positions, sorted), at most _MAX_CLAUSE characters back."""
    i = bisect_left(marks, pos)
    start = marks[i - 1] + 1 if i else s
    return max(start, pos - _MAX_CLAUSE)


def _last_trigger(window: str, unit: str) -> tuple[str, str] | None:
    """(family, word) of the last trigger word in the window, skipping neutral words and,
    unless the figure is a percent, single-character triggers."""
    last = None
    for m in TRIGGER_ANY_RE.finditer(window):
        word = m.group(0)
        family = TRIGGER_FAMILY[word]
        if family == "neutral":
            continue
        if word in PERCENT_ONLY_TRIGGERS and unit not in ("percent", "times"):
            continue
        if family == "level" and unit in ("percent", "times"):
            continue  # 比重达到42.3%: the share word before 达到 decides
        last = (family, word)
    return last


def _kind(window: str, unit: str, basis: str | None, fraction: bool) -> tuple[str, int]:
    """(kind, sign) of a figure from the clause before it."""
    trig = _last_trigger(window, unit)
    family = trig[0] if trig else None
    if basis == "percentage-points":
        return "change", -1 if family == "fall" else 1
    if unit in ("percent", "times"):
        if family in ("rise", "fall"):
            return "change", -1 if family == "fall" else 1
        if family == "share" or (fraction and family != "level_to"):
            return "share", 1
        return "level", 1
    if family == "delta" or family in ("rise", "fall"):
        return "delta", -1 if family == "fall" else 1
    more = _MORE_THAN_BASE_RE.search(window)
    if more:  # 比去年同期多5.2亿元
        return "delta", -1 if more.group(1) == "少" else 1
    return "level", 1


def _basis(clause: str, period: str | None, published: dt.date | None) -> str | None:
    """The comparison basis named in the clause before a change."""
    for word, basis in BASIS.items():
        if word in clause:
            return basis
    if _YOY_BASE_RE.search(clause):
        return "year-on-year"
    if _MOM_RE.search(clause):
        return "month-on-month"
    if _QOQ_RE.search(clause):
        return "quarter-on-quarter"
    m = _YEAR_BASE_RE.search(clause)
    if m:
        year = int(m.group("y"))
        ref = label_year(period) or (published.year if published else None)
        return "year-on-year" if ref is not None and year == ref - 1 else f"compared-to-{year}"
    return None


def _metric(window: str) -> str | None:
    m = _METRIC_TRIM_RE.match(window[-40:].strip())
    found = m.group("m").strip(" 、和及的") if m else ""
    return found if 1 < len(found) <= 20 else None


def _period_for(start: int, periods: list[ZhPeriod], text: str, s: int,
                carried: str | None) -> str | None:
    """The last period phrase before the figure in its sentence (not an event date), else
    the carried one unless a present marker (目前) comes first."""
    before = [p for p in periods if p.end <= start]
    dated = [p for p in before if not p.event]
    window = text[s:start]
    present = max((window.rfind(w) for w in PRESENT), default=-1)
    if dated and s + present < dated[-1].start:
        return dated[-1].label
    if present >= 0 or before:
        return None  # 目前…; or only an event date before: 2010年成立
    return carried


def find_chinese_facts(
    text: str, s: int, e: int, published: dt.date | None, state: dict,
    english_period: str | None = None,
) -> list[Fact]:
    """Facts written the Chinese way in the sentence text[s:e]; sentence-local refers_to.
    `english_period`: a period written in English in the same sentence ("1075亿元 last year")."""
    pub = published or dt.date.today()
    carried = state.get("period")
    periods, _ = find_zh_periods(text, s, e, pub, carried)
    facts: list[Fact] = []
    marks = [m.start() for m in _CLAUSE_MARK_RE.finditer(text, s, e)]
    prev_end = s
    skip_until = s
    for m in MENTION_RE.finditer(text, s, e):
        if m.start() < skip_until:
            continue  # the inside of a conversion
        read = _read(m)
        if read is None:
            continue
        value, unit, basis, fixed_kind, qualifier = read
        conversion, skip_until = _conversion(text, m.end(), e, value, unit, published)
        skip_until = max(skip_until, m.end())
        start = m.start()
        clause_from = _clause_start(marks, s, start)
        window_from = max(clause_from, prev_end)
        window = text[window_from:start]
        fraction = bool(m.group("frac") or m.group("cheng") or m.group("pct"))
        if fixed_kind:
            kind, sign = fixed_kind, 1
        else:
            kind, sign = _kind(window, unit, basis, fraction)
            if facts and window_from == prev_end and _LIST_GAP_RE.match(window) \
                    and facts[-1].unit == unit and kind == "level":
                kind, sign = facts[-1].kind, (-1 if facts[-1].value < 0 else 1)
        if qualifier is None:
            qualifier = qualifier_before(text[max(s, start - 10):start]) or "exact"
        period = _period_for(start, periods, text, s, carried) or english_period
        if kind in ("change", "delta") and basis is None:
            basis = _basis(text[clause_from:start], period, published)
        share_of = None
        if kind == "share":
            so = _SHARE_OF_RE.search(text, clause_from, start + 1)
            share_of = so.group("of").strip() if so else None
        metric = _metric(window) if kind in ("level", "delta") or not facts else None
        facts.append(Fact(sign * value, unit, kind, qualifier, period,
                          basis if kind in ("change", "delta") else None, metric, None,
                          share_of, None, conversion, text[s:e], start, m.end()))
        prev_end = m.end()
        lo = m.group("lo")
        if lo and not fixed_kind:
            _split_range(facts, m, text, s, e)
    _pair_ranges(facts, text)
    _link(facts)
    measured = [p for p in periods if not p.event and (label_year(p.label) or 0) <= pub.year]
    if measured:
        state["period"] = measured[-1].label
    elif english_period:
        state["period"] = english_period
    return facts


def _conversion(text: str, pos: int, e: int, value: float, unit: str,
                published: dt.date | None) -> tuple[dict[str, object] | None, int]:
    """(conversion, end) of an amount in another currency in parentheses at text[pos:], or
    (None, pos) when there is none."""
    if unit not in CURRENCIES or text[pos:pos + 2].strip()[:1] not in ("（", "("):
        return None, pos
    opening = _CONVERSION_OPEN_RE.match(text, pos, e)
    if opening is None:
        return None, pos
    inner = MENTION_RE.match(text, opening.end(), e)
    read = _read(inner) if inner else None
    if inner is None or read is None:
        return None, pos
    c_value, c_unit = read[0], read[1]
    closing = _CONVERSION_CLOSE_RE.match(text, inner.end(), e)
    if closing is None or c_unit == unit or c_unit not in CURRENCIES or not c_value:
        return None, pos
    consistent, rate = check_conversion(value, unit, c_value, c_unit, published)
    return ({"value": c_value, "unit": c_unit, "consistent": consistent, "implied_rate": rate},
            closing.end())


def _read(m: re.Match[str]) -> tuple[float, str, str | None, str | None, str | None] | None:
    """(value, unit, basis, fixed kind, fixed qualifier) of a mention, None when not a figure."""
    after = m.group("after")
    qualifier = QUALIFIERS_AFTER[after] if after else None
    try:
        if m.group("pct"):
            return _value(m.group("pct_n")), "percent", None, None, qualifier
        if m.group("frac"):
            den, nume = _value(m.group("den")), _value(m.group("nume"))
            return (nume / den * 100 if den else 0.0), "percent", None, None, qualifier
        if m.group("cheng"):
            value = _value(m.group("cheng_n")) * 10 + (5 if m.group("cheng_half") else 0)
            return value, "percent", None, None, qualifier
        if m.group("fan"):
            return _FAN[m.group("fan_n")], "percent", None, "change", None
        if m.group("bare"):  # 近千亿元, 超百亿元: the magnitude alone is the number
            unit, basis = UNITS.get(m.group("bare_unit"), ("count", None))
            return MAGNITUDES[m.group("bare")], unit, basis, None, None
        unit_word = m.group("unit")
        mag = m.group("mag")
        if unit_word is None and mag is None:
            return None
        number = m.group("num")
        value = _value(number)
    except (ValueError, TypeError, KeyError):
        return None  # cn2an refuses it: not a number (十四五, 一带一路)
    if mag:
        value = _clean(value * MAGNITUDES[mag])
    if unit_word is None:
        unit, basis = "count", None
    elif unit_word in UNITS:
        unit, basis = UNITS[unit_word]
    else:
        unit, basis = "count", None
        if not number[0].isdigit() and value == 1 and not mag:
            return None  # 一家, 一个: an article, not a count
    if m.group("infix1") or m.group("infix2"):
        qualifier = qualifier or "more_than"
    return value, unit, basis, None, qualifier


def _split_range(facts: list[Fact], m: re.Match[str], text: str, s: int, e: int) -> None:
    """"3-5亿元", "5%至7%": the last fact becomes two, at_least and at_most."""
    last = facts[-1]
    try:
        low = _value(m.group("lo"))
    except ValueError:
        return
    mag = m.group("mag")
    if mag:
        low = _clean(low * MAGNITUDES[mag])
    sign = -1 if last.value < 0 else 1
    if low >= abs(last.value):
        return
    first = Fact(sign * low, last.unit, last.kind, "at_least", last.period, last.basis,
                 last.metric, None, last.share_of, None, None, last.sentence, m.start("lo"),
                 m.end("lo"))
    last.qualifier = "at_most"
    last.start = m.start("num")
    facts.insert(len(facts) - 1, first)


_RANGE_GAP_RE = re.compile(r"^\s*(?:-|—|–|~|～|至|到)\s*$")


def _pair_ranges(facts: list[Fact], text: str) -> None:
    """"50万元至200万元": two figures of one unit joined by a dash are a range."""
    for a, b in zip(facts, facts[1:], strict=False):
        if a.unit == b.unit and a.qualifier == b.qualifier == "exact" \
                and _RANGE_GAP_RE.match(text[a.end:b.start]) and abs(a.value) < abs(b.value):
            a.qualifier, b.qualifier = "at_least", "at_most"


def _link(facts: list[Fact]) -> None:
    """A change or share points at the last level before it; a percentage-point change at
    the last percent; a delta at the last level of its unit."""
    for i, fact in enumerate(facts):
        for j in range(i - 1, -1, -1):
            other = facts[j]
            if fact.kind in ("change", "share") and fact.basis == "percentage-points":
                if other.unit == "percent":
                    fact.refers_to = j
                    break
                continue
            if fact.kind in ("change", "share") and other.kind in ("level", "delta") \
                    and other.unit != "percent":
                fact.refers_to = j
                break
            if fact.kind == "delta" and other.kind == "level" and other.unit == fact.unit \
                    and fact.basis is not None:
                fact.refers_to = j
                break
