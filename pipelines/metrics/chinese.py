"""Chinese-language figures: 1075亿元, 8 982万元, 同比增长6.5%, 占全市三分之一."""

from __future__ import annotations

import datetime as dt
import re

from .facts import Fact

_DIGITS = r"\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUM = "零一二两三四五六七八九十"
_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_MAG = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_UNITS = {"元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "%": "percent",
          "％": "percent", "平方公里": "km2", "平方米": "sqm", "亩": "mu", "公顷": "hectare",
          "吨": "ton", "千瓦时": "kwh", "家": "count", "个": "count", "项": "count",
          "座": "count", "所": "count", "名": "count", "人": "count", "台": "count"}
MENTION_RE = re.compile(
    rf"(?P<num>{_DIGITS})\s*(?P<mag>万亿|亿|万|千)?\s*(?P<unit>人民币|美元|欧元|元|%|％|平方公里"
    r"|平方米|亩|公顷|千瓦时|吨|家|个|项|座|所|名|人|台)"
    rf"|(?P<den>[{_CN_NUM}]+)分之(?P<nume>[{_CN_NUM}]+)"
)
_CHANGE_RE = re.compile(
    r"(?:(?P<fall>下降|减少|降低|回落|下滑)|(?P<rise>增长|提高|增加|上升|增幅为?))(?:了)?$"
)
_SHARE_RE = re.compile(r"占[^，。；、\d]{0,8}$")
_DELTA_RE = re.compile(r"新增|新设|新引进|新认定")
_QUAL = [
    ("more_than", re.compile(r"(?:超过|逾|突破|超)$")),
    ("approx", re.compile(r"(?:约|近|大约)$")),
    ("at_least", re.compile(r"(?:至少|不少于)$")),
    ("less_than", re.compile(r"(?:不足|不到|低于)$")),
]
_PERIOD_RE = re.compile(r"(?P<y>(?:19|20)\d\d)年|(?P<h1>上半年)|(?P<q>第?[一二三四])季度"
                        r"|(?P<this>今年|全年|本年)|(?P<last>去年|上年)")
_Q = {"一": 1, "二": 2, "三": 3, "四": 4}


def _cn_int(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_VALUE.get(tens, 1) if tens else 1) * 10 + (_CN_VALUE.get(ones, 0))
    return _CN_VALUE.get(text, 0)


def _period(text: str, s: int, e: int, published: dt.date | None) -> str | None:
    year = published.year if published else None
    label = None
    for m in _PERIOD_RE.finditer(text, s, e):
        if m.group("y"):
            year = int(m.group("y"))
            label = str(year)
        elif year is None:
            continue
        elif m.group("last"):
            year -= 1
            label = str(year)
        elif m.group("this"):
            label = str(year)
        elif m.group("h1"):
            label = f"{year}-H1"
        elif m.group("q"):
            label = f"{year}-Q{_Q[m.group('q')[-1]]}"
    return label


def find_chinese_facts(
    text: str, s: int, e: int, published: dt.date | None, state: dict,
    english_period: str | None = None,
) -> list[Fact]:
    """Facts written the Chinese way in the sentence text[s:e]; sentence-local refers_to.
    `english_period`: a period written in English in the same sentence ("1075亿元 last year")."""
    period = _period(text, s, e, published) or english_period or state.get("period")
    if period:
        state["period"] = period
    facts: list[Fact] = []
    last_level = None
    for m in MENTION_RE.finditer(text, s, e):
        left = text[max(s, m.start() - 12):m.start()]
        clause = re.split(r"[，,；;。]", text[s:m.start()])[-1]
        if m.group("den"):
            value, unit, kind, sign = _cn_int(m.group("nume")) / _cn_int(m.group("den")) * 100, \
                "percent", "share", 1
        else:
            if text[m.end("num"):m.end("num") + 1] == "年":
                continue
            value = float(m.group("num").replace(" ", "").replace(",", ""))
            value *= _MAG.get(m.group("mag") or "", 1)
            unit = _UNITS[m.group("unit")]
            change = _CHANGE_RE.search(left)
            if unit == "percent" and change:
                kind, sign = "change", -1 if change.group("fall") else 1
            elif unit == "percent" and _SHARE_RE.search(clause):
                kind, sign = "share", 1
            elif _DELTA_RE.search(clause):
                kind, sign = "delta", 1
            else:
                kind, sign = "level", 1
        qualifier = next((q for q, rx in _QUAL if rx.search(left)), "exact")
        basis = None
        if kind == "change":
            basis = "year-on-year" if "同比" in clause else (
                "month-on-month" if "环比" in clause else None)
        refers = last_level if kind in ("change", "share") else None
        facts.append(Fact(sign * value, unit, kind, qualifier, period, basis, None, None, None,
                          refers, None, text[s:e], m.start(), m.end()))
        if kind in ("level", "delta"):
            last_level = len(facts) - 1
    return facts
