"""Period phrases ("In 2022", "the first quarter", "Jan-to-March") → normalised labels."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .hints import finditer_windows

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_ORD = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}
_COUNT = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11,
}
_N = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_YEARREF = rf"(?:{_YEAR}|this year|last year|the previous year|the current year|next year)"
_PLANS = {"11": (2006, 2010), "12": (2011, 2015), "13": (2016, 2020), "14": (2021, 2025),
          "15": (2026, 2030)}

PERIOD_RE = re.compile(
    # The lookahead lists every alternative's first character: a cheap filter per position.
    r"\b(?=[fbstq1jmaoniedulp2h3469])(?:" + "|".join([
        r"(?P<plan>(?P<plan_n>1[1-5])th five-year plan(?: period)?"
        r"(?:\s*\(\d{4}\s*[-–]\s*\d{2,4}\))?)",
        rf"(?P<yrange>(?:from|between)\s+(?P<y1>{_YEAR})\s+(?:to|and|through|till|until)\s+"
        rf"(?P<y2>{_YEAR})|(?P<y3>{_YEAR})\s*[-–]\s*(?P<y4>{_YEAR}|\d\d)\b(?!-))",
        rf"(?P<firstn>first\s+(?P<fn>{_N})\s+(?P<fu>months|quarters)(?:\s+of\s+(?P<fy>{_YEARREF}))?)",
        rf"(?P<quarter>(?:(?P<qo>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter|\bq(?P<qn>[1-4])\b)"
        rf"(?:\s+(?:of\s+)?(?P<qy>{_YEARREF}))?)",
        rf"(?P<half>(?P<ho>first|second)\s+half(?:\s+of\s+(?P<hy>{_YEARREF}))?)",
        rf"(?P<hshort>(?P<hs1>[12])h(?P<hsy>\d\d)\b|(?:(?<=in\s)|(?<=fiscal\s)|(?<=the\s)|(?<=for\s)|(?<=during\s)|(?=h[12]\s+\d))"
        rf"h(?P<hs2>[12])\b(?:\s+(?P<hsy2>{_YEAR}))?"
        rf"|(?P<hs3>[12])h\s+(?P<hsy3>{_YEAR}))",
        r"(?P<qshort>(?P<qs1>[1-4])q(?P<qsy>\d\d)\b)",
        rf"(?P<nmonths>(?:the\s+)?(?P<nm>three|six|nine|twelve|3|6|9|12)\s+months\s+"
        rf"(?:to|ended|ending|through|until)\s+(?P<nmm>{_MONTH})(?:\s+[0-3]?\d\b)?"
        rf"(?:,?\s+(?P<nmy>{_YEAR}))?)",
        rf"(?P<mrange>(?:(?:from|between)\s+)?(?P<m1>{_MONTH})\s*(?:-|–|to|-to-|and|through)\s*"
        rf"(?P<m2>{_MONTH})(?:\s+period)?(?:\s*,?\s*(?P<my>{_YEAR}))?(?!\s*\d))",
        rf"(?P<day>(?P<dm>{_MONTH})\s+(?P<dd>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<dy>{_YEAR}))?)",
        rf"(?P<iso>(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d))",
        rf"(?P<month>\b(?:in|during|by|since|as of|end of|until|through|for)\s+"
        rf"(?:early\s+|late\s+|mid-)?(?P<mm>{_MONTH})(?:\s+(?P<mmy>{_YEAR}))?\b"
        rf"(?!\s*(?:-|–|to|-to-|through)\s*{_MONTH}))",
        rf"(?P<pastn>(?:the\s+)?(?:past|last|previous)\s+(?P<pn>{_N})\s+years)",
        rf"(?P<since>since\s+(?P<sy>{_YEAR}))",
        r"(?P<rel>this year|the current year|so far this year|last year|the previous year"
        r"|next year|last month|this month)",
        rf"(?P<year>(?<![\d.,$-]){_YEAR}(?![\d%]|-\d|\s*(?:percent|yuan|mu\b)))",
    ]) + ")"
)


#: Words that make the period right after them an event date: "founded in 1998".
_EVENT_BEFORE_RE = re.compile(
    r"\b(?:founded|established|set\s+up|built|launched|opened|inaugurated|started|began"
    r"|completed|born|listed)\s+(?:in\s+)?$"
)

#: Every period phrase holds a digit or one of these words: a cheap test before PERIOD_RE.
_HINT_RE = re.compile(r"\d|year|quarter|half|month|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")


@dataclass(frozen=True)
class Period:
    """A period phrase found in a sentence."""

    start: int
    end: int
    label: str
    #: Dates an event ("founded in 1998"), not the period a figure is measured over.
    event: bool = False


def months_label(year: int, m1: int, m2: int, year2: int | None = None) -> str:
    """Canonical label for a month range: a year, a quarter, a half, a month or a range."""
    if year2 is not None and year2 != year:
        return f"{year}-{m1:02d}..{year2}-{m2:02d}"
    if (m1, m2) == (1, 12):
        return str(year)
    if m1 == m2:
        return f"{year}-{m1:02d}"
    if m2 - m1 == 2 and m1 % 3 == 1:
        return f"{year}-Q{m1 // 3 + 1}"
    if (m1, m2) in ((1, 6), (7, 12)):
        return f"{year}-H{1 if m1 == 1 else 2}"
    return f"{year}-{m1:02d}..{year}-{m2:02d}"


def _month(text: str) -> int:
    return MONTHS[text.lower()[:3]]


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _COUNT[text.lower()]


def _year_ref(text: str | None, published: dt.date) -> int | None:
    """An explicit or relative year reference; None when absent."""
    if not text:
        return None
    low = text.lower()
    if low.isdigit():
        return int(low)
    if low in ("last year", "the previous year"):
        return published.year - 1
    if low == "next year":
        return published.year + 1
    return published.year


def _implicit_year(last_month: int, published: dt.date, context_year: int | None) -> int:
    """Year for a period given without one: the context's, else the latest not in the future."""
    if context_year is not None and context_year <= published.year:
        return context_year
    if last_month > published.month:
        return published.year - 1
    return published.year


def _label(m: re.Match[str], published: dt.date, ctx: int | None) -> str | None:
    g = m.group
    if g("plan"):
        a, b = _PLANS[g("plan_n")]
        return f"{a}..{b}"
    if g("yrange"):
        y1 = int(g("y1") or g("y3"))
        y2_text = g("y2") or g("y4")
        y2 = int(y2_text) if len(y2_text) == 4 else y1 // 100 * 100 + int(y2_text)
        return f"{y1}..{y2}" if y2 > y1 else None
    if g("firstn"):
        n = _count(g("fn")) * (3 if g("fu").lower().startswith("quarter") else 1)
        if not 1 <= n <= 12:
            return None
        year = _year_ref(g("fy"), published) or _implicit_year(n, published, ctx)
        return months_label(year, 1, n)
    if g("quarter"):
        q = int(g("qn")) if g("qn") else _ORD[g("qo").lower()]
        year = _year_ref(g("qy"), published) or _implicit_year(q * 3, published, ctx)
        return f"{year}-Q{q}"
    if g("half"):
        h = 1 if g("ho").lower() == "first" else 2
        year = _year_ref(g("hy"), published) or _implicit_year(h * 6, published, ctx)
        return f"{year}-H{h}"
    if g("hshort"):
        h = int(g("hs1") or g("hs2") or g("hs3"))
        if g("hsy"):
            year = 2000 + int(g("hsy"))
        else:
            year = int(g("hsy2") or g("hsy3") or 0) or _implicit_year(h * 6, published, ctx)
        return f"{year}-H{h}"
    if g("qshort"):
        return f"{2000 + int(g('qsy'))}-Q{g('qs1')}"
    if g("nmonths"):
        n = {"three": 3, "six": 6, "nine": 9, "twelve": 12}.get(g("nm")) or int(g("nm"))
        m2 = _month(g("nmm"))
        year = int(g("nmy")) if g("nmy") else _implicit_year(m2, published, None)
        m1 = m2 - n + 1
        if m1 >= 1:
            return months_label(year, m1, m2)
        return months_label(year - 1, m1 + 12, m2, year)
    if g("mrange"):
        m1, m2 = _month(g("m1")), _month(g("m2"))
        if m2 < m1:
            return None
        year = int(g("my")) if g("my") else _implicit_year(m2, published, ctx)
        return months_label(year, m1, m2)
    if g("day"):
        month, day = _month(g("dm")), int(g("dd"))
        if not 1 <= day <= 31:
            return None
        year = int(g("dy")) if g("dy") else _implicit_year(month, published, None)
        return f"{year}-{month:02d}-{day:02d}"
    if g("iso"):
        return f"{g('iy')}-{g('im')}-{g('id')}"
    if g("month"):
        month = _month(g("mm"))
        year = int(g("mmy")) if g("mmy") else _implicit_year(month, published, ctx)
        return f"{year}-{month:02d}"
    if g("pastn"):
        n = _count(g("pn"))
        return f"{published.year - n}..{published.year - 1}"
    if g("since"):
        return f"{g('sy')}..{published.year}"
    if g("rel"):
        low = g("rel").lower()
        if low.endswith("month"):
            month = published.month - (1 if low.startswith("last") else 0)
            year = published.year
            if month == 0:
                month, year = 12, year - 1
            return f"{year}-{month:02d}"
        if low == "so far this year":
            return months_label(published.year, 1, max(1, published.month - 1))
        return str(_year_ref(low, published))
    if g("year"):
        return g("year")
    return None


def label_year(label: str | None) -> int | None:
    """The (last) year a label covers: "2021-H1" → 2021, "2014..2016" → 2016."""
    if not label:
        return None
    tail = label.rsplit("..", 1)[-1]
    return int(tail[:4]) if tail[:4].isdigit() else None


def find_periods(
    text: str, start: int, end: int, published: dt.date, context: str | None,
    masked: list[tuple[int, int]], spans: list[tuple[int, int]] | None = None,
) -> list[Period]:
    """Period phrases in text[start:end], skipping masked spans (comparison bases).

    `text` must be lower-cased (ASCII) — see extract.lower_ascii; PERIOD_RE has no IGNORECASE.
    `spans`: windows of text[start:end] around period keywords (hints.windows); only those
    are scanned when given.
    """
    ctx = label_year(context)
    found: list[Period] = []
    if spans is None:
        if not _HINT_RE.search(text, start, end):
            return found
        matches = PERIOD_RE.finditer(text, start, end)
    else:
        matches = finditer_windows(PERIOD_RE, text, spans)
    for m in matches:
        if any(a <= m.start() < b for a, b in masked):
            continue
        label = _label(m, published, ctx)
        if label:
            event = _EVENT_BEFORE_RE.search(text, max(start, m.start() - 20), m.start())
            found.append(Period(m.start(), m.end(), label, event is not None))
    return found
