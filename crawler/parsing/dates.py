"""Dates as publishers write them: ISO timestamps, Chinese and English date text, URL dates.

A timestamp is read as the publisher's calendar day (`2024-03-11T07:30:00+08:00` is 11 March),
never converted to UTC; a UTC timestamp is moved to the site's offset when the profile gives one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from foundation.offsets import parse_offset

MONTHS = {name: index for index, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
                 r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2}(?:\.\d+)?)?\s*"
                 r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?")
NUMERIC = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*"
                     r"(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?")
ENGLISH = re.compile(rf"(?<![A-Za-z]){_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                     rf"(?P<y>(?:19|20)\d{{2}})(?!\d)|(?<!\d)(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+"
                     rf"{_MONTH.replace('month', 'month2')},?\s+(?P<y2>(?:19|20)\d{{2}})(?!\d)",
                     re.I)
URL_DATES = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$)"),
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_\d+"),
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d])"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:/|_|\.|$)"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})/(?P<d>\d{2})/"),
)


def _make(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        day = date(int(y), int(m), int(d))
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None


def timestamp_date(text: str, utc_offset: str | None = None) -> date | None:
    """The calendar day of an ISO-like timestamp as the publisher wrote it."""
    m = ISO.search(text or "")
    if not m:
        return written_date(text)
    day = _make(m["y"], m["m"], m["d"])
    tz = m["tz"]
    if day and tz and m["H"] and utc_offset and tz.replace(":", "") in ("Z", "+0000", "-0000"):
        local = parse_offset(utc_offset)
        if local is not None:
            moment = datetime(day.year, day.month, day.day, int(m["H"]), int(m["M"]),
                              tzinfo=UTC)
            return moment.astimezone(local).date()
    return day


def written_date(text: str) -> date | None:
    """The first date written in text: 2023-02-21, 2023/2/21, 2023年02月21日, March 11, 2024."""
    if not text:
        return None
    numeric = NUMERIC.search(text)
    english = ENGLISH.search(text)
    if numeric and (not english or numeric.start() <= english.start()):
        return _make(numeric["y"], numeric["m"], numeric["d"])
    if english:
        month = (english["month"] or english["month2"]).lower()
        return _make(english["y"] or english["y2"], MONTHS[month], english["d"] or english["d2"])
    return None


def date_at(text: str) -> int | None:
    """Where the first written date in text starts, if any."""
    starts = [m.start() for m in (NUMERIC.search(text), ENGLISH.search(text)) if m]
    return min(starts) if starts else None


def url_date(path: str) -> date | None:
    """The date in an article URL path: /2024/03/11/, /202302/t20230221_1.html, /2023-02-21/."""
    for pattern in URL_DATES:
        if m := pattern.search(path):
            found = _make(m["y"], m["m"], m["d"])
            if found:
                return found
    return None
