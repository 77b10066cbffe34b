"""What a figure is besides its value: an outcome, a target (a plan, an aim, a forecast) or a
comparison with a benchmark; and the granularity of its period.

- A target: 力争, 预计, 计划 (not 计划总投资, a project's planned size), 目标, 有望, 确保, 争取,
  "aims to", "plans to", "is expected to", "will", "target", "by the end of the year" — in the
  figure's sentence before it, or right after it ("…, the target set for the year").
- A comparison: a gap against a benchmark — "2.1 percentage points above the provincial
  average", 高于全省平均水平2.1个百分点, 比全市高1.5个百分点 — never a value of a series.
- Granularity, from the period label periods.py and zh_periods.py make: year (2023), half
  (2023-H2), quarter (2023-Q2…Q4), month (2023-05), ytd (from January to a month before
  December: 2023-Q1, 2023-H1, 2023-01..2023-05 — a bulletin's 1-3月 is its first quarter),
  multi_year (2021..2025), date (2023-06-30), months (any other run of months).
"""

from __future__ import annotations

import re
from typing import Literal

Status = Literal["outcome", "target", "comparison"]
Granularity = Literal["year", "half", "quarter", "month", "ytd", "multi_year", "date", "months"]

_TARGET_ZH_RE = re.compile(
    r"力争|预计|预期|计划(?!总投资|投资|总额|投入)|目标|有望|确保|争取|拟(?!建设|建)|将达|将实现|将突破"
    r"|(?<!即)将(?!近|来|其|之)|可达|可实现|可新增|可带动|年底前|规划到")
_TARGET_EN_RE = re.compile(
    r"\b(?:aims?|aimed|aiming|plans?|planned|planning|expects?|expected|is\s+set|are\s+set"
    r"|targets?|targeted|targeting|goal|forecast|projected|projects\s+to|hopes?|seeks?|strives?"
    r"|striving|intends?|will|would|could|is\s+to|are\s+to|to\s+reach|by\s+the\s+end\s+of"
    r"|by\s+20\d\d|estimated\s+to|likely\s+to|designed\s+to|capacity\s+to)\b", re.I)
#: An English target word that stops counting after a full stop of its own clause.
_CLAUSE_RE = re.compile(r"[;；]|,\s*(?:while|whereas|but|compared)\b")
_BENCHMARK_ZH_RE = re.compile(
    r"(?:高于|低于|高出|低出|快于|慢于|领先|超出|超过|比|较)\s*(?:全国|全省|全市|全区|省|市|同类|平均)"
    r"[^，。；]{0,12}?(?:平均)?(?:水平|增速|平均)?[^，。；]{0,4}$"
    r"|(?:全国|全省|全市|平均水平|平均增速)[^，。；]{0,6}(?:高|低|快|慢)(?:出)?\s*$")
_BENCHMARK_EN_RE = re.compile(
    r"^\s*(?:percentage\s+points?|pct\s+points?|points?|percent)?\s*(?:higher|lower|faster|slower"
    r"|above|below|more|less|ahead\s+of|over)\s+(?:than\s+)?(?:that\s+of\s+|those\s+of\s+)?(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,3}?(?:average|national|provincial|province|city|country|nation"
    r"|overall|rate\s+of\s+the)", re.I)


def granularity(period: str | None) -> Granularity | None:
    """The granularity of a period label; None when the fact has no period."""
    if not period:
        return None
    if ".." in period:
        a, b = period.split("..", 1)
        if len(a) == 4 and len(b) == 4:
            return "multi_year"
        if a[:4] == b[:4] and a[5:] == "01" and len(b) == 7 and b[5:] != "12":
            return "ytd"
        return "months"
    if len(period) == 4:
        return "year"
    tail = period[5:]
    if tail == "H1" or tail == "Q1":
        return "ytd"
    if tail.startswith("H"):
        return "half"
    if tail.startswith("Q"):
        return "quarter"
    if len(period) == 10:
        return "date"
    return "month"


def _sentence_start(text: str, start: int) -> int:
    """Start of the sentence holding text[start]: after the last 。！？; or '. ' before it."""
    best = -1
    for mark in ("。", "！", "？", "；", ". ", "! ", "? ", "\n"):
        best = max(best, text.rfind(mark, 0, start))
    return best + 1


def status(text: str, start: int, end: int, basis: str | None) -> Status:
    """Whether the figure at text[start:end] is an outcome, a target or a comparison."""
    s = _sentence_start(text, start)
    before = text[s:start]
    after = text[end:end + 60]
    if _BENCHMARK_ZH_RE.search(before[-30:]) or _BENCHMARK_EN_RE.match(after):
        return "comparison"
    if basis == "percentage-points" and re.search(
            r"平均|全省|全市|全国|average|national|provincial", before[-40:] + after[:40], re.I):
        return "comparison"
    if _TARGET_ZH_RE.search(before):
        return "target"
    english = _TARGET_EN_RE.search(before)
    if english and not _CLAUSE_RE.search(before, english.end()):
        return "target"
    return "outcome"
