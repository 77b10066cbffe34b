"""Dates bounding a normalised period label: 2022, 2022-Q1, 2021-H1, 2023-05, 2023-01..2023-07,
2014..2016."""

from __future__ import annotations

import calendar
import re
from datetime import date

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _bounds(label: str) -> tuple[date, date] | None:
    if m := _YEAR.match(label):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    if m := _QUARTER.match(label):
        y, q = int(m[1]), int(m[2])
        last = 3 * q
        return date(y, last - 2, 1), date(y, last, calendar.monthrange(y, last)[1])
    if m := _HALF.match(label):
        y, h = int(m[1]), int(m[2])
        return (date(y, 1, 1), date(y, 6, 30)) if h == 1 else (date(y, 7, 1), date(y, 12, 31))
    if m := _MONTH.match(label):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    if m := _DAY.match(label):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    return None


def period_bounds(label: str | None) -> tuple[date | None, date | None]:
    """(first day, last day) of a period label, or (None, None) when it is not one."""
    if not label:
        return None, None
    try:
        if ".." in label:
            first, last = label.split("..", 1)
            start, end = _bounds(first), _bounds(last)
            return (start[0] if start else None), (end[1] if end else None)
        bounds = _bounds(label)
    except ValueError:
        return None, None
    return bounds if bounds else (None, None)
