"""Cheap keyword scans that tell the slow regexes where to look.

Python's `re` tries every alternative at every position, so a 2 KB article costs ~100-200 µs
per full pass of a big alternation. Period and comparison phrases always hold one of a few
keywords (a year, "quarter", "month", a month name...): `str.find` finds those in a few µs,
and the big patterns then only run in windows around them.
"""

from __future__ import annotations

import re
from bisect import bisect_left

#: Every period or comparison-basis phrase holds one of these (lower-cased text).
_KEYWORDS = ("year", "month", "quarter", "half", "period", "same time", "yoy", "y-o-y",
             "m-o-m", "q-o-q", "q1", "q2", "q3", "q4", "h1", "h2", "1h", "2h", "1q", "2q", "3q",
             "4q")
#: Month names are looked up capitalised in the original text ("May", not the verb "may").
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
           "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_YEAR_PREFIXES = ("19", "20")
#: How far a phrase may reach before / after its keyword.
BEFORE, AFTER = 40, 30


def keyword_positions(low: str, text: str | None = None) -> list[int]:
    """Sorted start positions of period keywords (word-initial) and 19xx/20xx years.

    `text`: the original text (same offsets), where month names are found capitalised;
    without it they are found in `low`.
    """
    out: list[int] = []
    for source, words in ((low, _KEYWORDS), (text or low, _MONTHS if text else tuple(
            m.lower() for m in _MONTHS[:12]))):
        for word in words:
            pos = source.find(word)
            while pos != -1:
                if pos == 0 or not source[pos - 1].isalpha():
                    out.append(pos)
                pos = source.find(word, pos + 1)
    for prefix in _YEAR_PREFIXES:
        pos = low.find(prefix)
        while pos != -1:
            if low[pos + 2:pos + 4].isdigit() and not low[pos - 1:pos].isdigit() \
                    and not low[pos + 4:pos + 5].isdigit():
                out.append(pos)
            pos = low.find(prefix, pos + 1)
    out.sort()
    return out


def windows(hints: list[int], s: int, e: int) -> list[tuple[int, int]]:
    """Merged [hint - BEFORE, hint + AFTER] windows inside [s, e)."""
    out: list[tuple[int, int]] = []
    for h in hints[bisect_left(hints, s):bisect_left(hints, e)]:
        a, b = max(s, h - BEFORE), min(e, h + AFTER)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def finditer_windows(
    pattern: re.Pattern[str], low: str, spans: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """pattern.finditer over each window, in order (a window starts at a word boundary
    or mid-word, where the pattern's leading \\b keeps it from matching)."""
    out: list[re.Match[str]] = []
    for a, b in spans:
        out.extend(pattern.finditer(low, a, b))
    return out


class Prefilter:
    """A slow pattern guarded by substrings one of which any match must contain."""

    __slots__ = ("pattern", "stems")

    def __init__(self, pattern: re.Pattern[str], stems: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.stems = stems

    def search(self, text: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
        window = (text[lo:hi] if hi is not None else text[lo:]).lower()
        if not any(map(window.__contains__, self.stems)):
            return None
        return self.pattern.search(text, lo) if hi is None else self.pattern.search(text, lo, hi)
