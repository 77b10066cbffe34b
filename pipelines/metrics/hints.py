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

    __slots__ = ("pattern", "stems", "vocabulary")

    def __init__(self, pattern: re.Pattern[str], stems: tuple[str, ...],
                 vocabulary: dict[str, tuple[str, ...]] | None = None) -> None:
        self.pattern = pattern
        self.stems = stems
        #: The word lists the pattern was built from (from_vocabulary), for the tests.
        self.vocabulary = vocabulary or {}

    @classmethod
    def from_vocabulary(cls, template: str, flags: int = 0,
                        **words: tuple[str, ...]) -> Prefilter:
        """A family's pattern and its stems from one vocabulary: each `{name}` in the
        template becomes the alternation of words[name] (regex fragments, longest first),
        and the stems are each fragment's longest literal run (lower-cased), so the
        prefilter cannot drift from the pattern (tests/metrics/test_metrics_vocabulary.py)."""
        alternations = {name: "|".join(sorted(ws, key=len, reverse=True))
                        for name, ws in words.items()}
        pattern = re.compile(template.format(**alternations), flags)
        found = {literal_stem(w) for ws in words.values() for w in ws}
        # a stem holding a shorter one adds nothing: "added" is covered by "add"
        stems = tuple(sorted(s for s in found if not any(t != s and t in s for t in found)))
        return cls(pattern, stems, dict(words))

    def search(self, text: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
        window = (text[lo:hi] if hi is not None else text[lo:]).lower()
        if not any(map(window.__contains__, self.stems)):
            return None
        return self.pattern.search(text, lo) if hi is None else self.pattern.search(text, lo, hi)


def literal_stem(fragment: str) -> str:
    """The longest literal run every match of a regex fragment holds, lower-cased:
    "increase[ds]?" → "increase", "an?\\s+additional" → "additional". Raises ValueError
    when there is none (a fragment such as "\\w+" cannot be prefiltered)."""
    import re._constants as c
    import re._parser as parser

    runs, run = [], ""
    for op, av in parser.parse(fragment):
        if op is c.LITERAL:
            run += chr(av)
            continue
        if op is c.AT:
            continue
        runs.append(run)
        run = ""
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1 \
                and av[2][0][0] is c.LITERAL:
            run = chr(av[2][0][1])  # "s+" holds at least one "s"
    runs.append(run)
    best = max(runs, key=len)
    if not best.strip():
        raise ValueError(f"no literal text to prefilter on in {fragment!r}")
    return best.lower()


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-cased characters any match of `pattern` can start with, or None when it can
    start with anything (or match empty): a cheap gate before a big alternation."""
    import re._parser as parser  # the stdlib's own regex parser (Python 3.11+)

    return _firsts(list(parser.parse(pattern, flags)))


def _firsts(items: list) -> frozenset[str] | None:
    import re._constants as c

    out: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # \b, lookarounds: consume nothing
        if op is c.LITERAL:
            return frozenset(out | {chr(av).lower()})
        if op is c.IN:
            chars = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav).lower())
                elif iop is c.RANGE and iav[1] - iav[0] < 200:
                    chars.update(chr(x).lower() for x in range(iav[0], iav[1] + 1))
                else:
                    return None
            return frozenset(out | chars)
        if op is c.BRANCH:
            parts = [_firsts(list(branch)) for branch in av[1]]
            if any(p is None for p in parts):
                return None
            return frozenset(out.union(*parts))
        if op is c.SUBPATTERN:
            inner = _firsts(list(av[3]))
            if inner is None:
                return None
            return frozenset(out | inner)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _, sub = av
            inner = _firsts(list(sub))
            if inner is None:
                return None
            out |= inner
            if low > 0:
                return frozenset(out)
            continue
        return None
    return None
