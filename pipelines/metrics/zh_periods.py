"""Chinese period phrases (2023年上半年, 1-6月, 前三季度, 去年) → the labels periods.py makes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .periods import label_year, months_label
from .zh_vocab import COMPARATORS, alternation

_CN_DIGIT = "一二两三四五六七八九十"
_M = rf"(?:1[0-2]|0?[1-9]|十[一二]?|[{_CN_DIGIT[:-1]}])"
_Q = r"[一二三四1-4]"
_DASH = r"\s*(?:-|—|–|~|～|至|到)\s*"
_YEAR = r"(?:19|20)\d\d"
_PLANS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
          "十四五": (2021, 2025), "十五五": (2026, 2030)}

#: One period phrase: an optional year, then an optional part of it.
PERIOD_RE = re.compile(
    # every phrase starts with one of these: without the gate the all-optional pattern would
    # be tried (and match empty) at every character of the sentence
    r"(?=[0-9十一二三四五六七八九今去上本明当前第下全年])"
    r"(?:(?P<plan>" + alternation(list(_PLANS)) + r")(?:时期|期间|期|规划)?"
    rf"|(?P<yr1>{_YEAR})\s*年?{_DASH}(?P<yr2>{_YEAR})\s*年"
    rf"|(?:(?P<y>{_YEAR})\s*年(?:度)?|(?P<yrel>今年|去年|上年|本年|明年|当年|上一年))?"
    r"(?:(?P<sub>"
    rf"(?P<firstq>前(?P<fq>[一二三1-3])(?:个)?季度)"
    rf"|(?P<qrange>(?P<q1>{_Q})(?:季度)?{_DASH}(?P<q2>{_Q})季度)"
    rf"|(?P<q>第?(?P<qn>{_Q})季度)"
    r"|(?P<half>(?P<ho>上|下)半年)"
    rf"|(?P<firstm>前(?P<fm>{_M}|两)个月)"
    rf"|(?P<mrange>(?P<m1>{_M})(?:月)?{_DASH}(?P<m2>{_M})月(?:份)?)"
    rf"|(?P<month>(?P<mm>{_M})月(?:份)?(?:(?P<dd>[0-3]?\d)日)?(?P<mend>底|末)?)"
    r"|(?P<full>全年)"
    r"|(?P<yend>年底|年末))"
    r")?(?P<since>以来)?)"
)
#: A comparison base: 比上年同期, 较去年, 与2019年相比, 比一季度 — masked from the periods.
BASE_RE = re.compile(
    rf"(?:{alternation(COMPARATORS)})\s*(?:{_YEAR}\s*年|上年|去年|上一年|今年|上月|上个月"
    rf"|上季度|上一季度|{_Q}季度|上半年|年初|上年末|上年底|去年底|去年末)(?:同期|末|底|初)?"
)
#: A year ago, as the base figure's own period: 去年同期为3.9亿元.
YEAR_AGO_RE = re.compile(r"(?:上年|去年)同期")
#: A year right before one of these dates an event: 2010年成立 (or 成立于2010年).
_EVENT_AFTER_RE = re.compile(r"\s*(?:成立|设立|建立|创建|获批|开园|落户|挂牌|建成|投产|开工)")
_EVENT_BEFORE_RE = re.compile(r"(?:成立|设立|建立|创建|获批|开园|挂牌|始建)于\s*$")


@dataclass(frozen=True)
class ZhPeriod:
    """A Chinese period phrase: its span, label and whether it dates an event."""

    start: int
    end: int
    label: str
    event: bool = False


def _num(text: str) -> int:
    """A month or quarter number written in digits or Chinese numerals (cn2an)."""
    if text.isdigit():
        return int(text)
    import cn2an  # imported on first use: it takes longer to import than to run

    return int(cn2an.cn2an(text.replace("两", "二"), "normal"))


def _implicit_year(last_month: int, published: dt.date, context: int | None) -> int:
    """The year of a period given without one: the context's, else the latest not ahead."""
    if context is not None:
        return context
    return published.year - 1 if last_month > published.month else published.year


def _label(m: re.Match[str], published: dt.date, context: int | None) -> str | None:
    g = m.group
    if g("plan"):
        a, b = _PLANS[g("plan")]
        return f"{a}..{b}"
    if g("yr1"):
        a, b = int(g("yr1")), int(g("yr2"))
        return f"{a}..{b}" if b > a else None
    year = None
    if g("y"):
        year = int(g("y"))
    elif g("yrel"):
        year = published.year + {"去年": -1, "上年": -1, "上一年": -1, "明年": 1}.get(g("yrel"), 0)
        if g("yrel") == "当年":
            year = context if context is not None else published.year
    if not g("sub"):
        if g("since") and g("yrel") in ("今年", "本年") and year == published.year:
            return _so_far(published)  # 今年以来: from January to the month before publication
        return None if year is None else str(year)
    if g("full") or g("yend"):  # 全年 alone: the year before in Jan-Mar (annual reports)
        if year is None:
            year = context if context is not None else (
                published.year - 1 if published.month <= 3 else published.year)
        return str(year)
    if g("firstq"):
        n = _num(g("fq")) * 3
        return months_label(year or _implicit_year(n, published, context), 1, n)
    if g("qrange"):
        q1, q2 = _num(g("q1")), _num(g("q2"))
        if not 1 <= q1 < q2 <= 4:
            return None
        y = year or _implicit_year(q2 * 3, published, context)
        return months_label(y, q1 * 3 - 2, q2 * 3)
    if g("q"):
        q = _num(g("qn"))
        return f"{year or _implicit_year(q * 3, published, context)}-Q{q}"
    if g("half"):
        h = 1 if g("ho") == "上" else 2
        return f"{year or _implicit_year(h * 6, published, context)}-H{h}"
    if g("firstm"):
        n = 2 if g("fm") == "两" else _num(g("fm"))
        return months_label(year or _implicit_year(n, published, context), 1, n)
    if g("mrange"):
        m1, m2 = _num(g("m1")), _num(g("m2"))
        if not 1 <= m1 < m2 <= 12:
            return None
        return months_label(year or _implicit_year(m2, published, context), m1, m2)
    if g("month"):
        month = _num(g("mm"))
        if not 1 <= month <= 12:
            return None
        y = year or _implicit_year(month, published, context)
        if g("dd") and not g("mend"):
            day = int(g("dd"))
            return f"{y}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None
        return f"{y}-{month:02d}"
    return None


def _so_far(published: dt.date) -> str:
    """The months of this year a story published on `published` reports "so far" (今年以来,
    so far this year): January to the month before, January itself early in the year."""
    last = max(1, published.month - 1)
    return months_label(published.year, 1, last)


def year_earlier(label: str | None) -> str | None:
    """The same period a year earlier: "2023-H1" → "2022-H1"."""
    if label is None:
        return None
    return re.sub(r"(?:19|20)\d\d", lambda y: str(int(y.group(0)) - 1), label)


def find_zh_periods(text: str, s: int, e: int, published: dt.date,
                    carried: str | None) -> tuple[list[ZhPeriod], list[tuple[int, int]]]:
    """(period phrases, comparison-base spans) in the sentence text[s:e]; 去年同期 (not after
    a comparison word) is the period before it, or the carried one, a year earlier."""
    bases = [(b.start(), b.end()) for b in BASE_RE.finditer(text, s, e)]
    context = label_year(carried)
    found: list[ZhPeriod] = []
    for m in PERIOD_RE.finditer(text, s, e):
        if m.end() == m.start() or any(a <= m.start() < b for a, b in bases):
            continue
        ago = YEAR_AGO_RE.match(text, m.start())
        if ago:
            current = found[-1].label if found else carried
            label = year_earlier(current) if current else str(published.year - 1)
            found.append(ZhPeriod(m.start(), ago.end(), label))
            continue
        if m.start() and text[m.start() - 1].isdigit():
            continue
        if text[max(s, m.start() - 3):m.start()].rstrip().endswith(COMPARATORS):
            continue  # 比1-5月, 较一季度: a comparison base
        try:
            label = _label(m, published, context)
        except ValueError:
            label = None
        if label is None:
            continue
        event = bool(_EVENT_AFTER_RE.match(text, m.end()) or _EVENT_BEFORE_RE.search(
            text, max(s, m.start() - 6), m.start()))
        found.append(ZhPeriod(m.start(), m.end(), label, event))
        if m.group("y") or m.group("yrel"):
            context = int(label[:4]) if label[:4].isdigit() else context
    return found, bases
