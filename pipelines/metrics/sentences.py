"""Sentence splitting with character offsets; over-long sentences are cut into chunks."""

from __future__ import annotations

import re

MAX_SENTENCE = 2000
#: Starts with one character class, so `re` can skip ahead with its fast charset scan.
_BOUNDARY_RE = re.compile(r"[.!?。！？；\n](?:(?<=[.!?])[.!?]*[\"'”’)\]]*(?=\s)|(?<=[。！？；\n]))")
_ABBREVIATIONS = frozenset({
    "no", "nos", "mr", "mrs", "ms", "dr", "st", "co", "ltd", "inc", "corp", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "e.g", "i.e", "vs",
    "approx", "sq", "dept", "gov", "prof", "jr", "sr", "fig", "art", "vol", "p.m", "a.m", "etc",
})
_SPACE_RE = re.compile(r"\s*")
_LETTERS_DOT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    if match.group(0)[0] not in ".":
        return True
    after = _SPACE_RE.match(text, match.end()).end()
    if after < len(text) and (text[after].islower() or text[after].isdigit()):
        return False
    tail = text[max(0, match.start() - 12):match.start()]
    i = len(tail)
    while i and tail[i - 1] in _LETTERS_DOT:
        i -= 1
    token = tail[i:].lstrip(".").lower()
    if not token:
        return True
    return not (token in _ABBREVIATIONS or len(token) == 1)


_CLAUSE_CUT_RE = re.compile(r"[,;:]\s")
_DIGITISH = frozenset("0123456789.,$¥€£%")


def _cut_point(text: str, lo: int, hi: int) -> int:
    """Where to cut text[lo:hi]: after the last clause mark (", " "; "), else at the last space
    that has no figure on either side ("7.5 billion yuan" stays whole), else at the last space,
    else at the last character that is not part of a number; hi when there is none."""
    best = -1
    for m in _CLAUSE_CUT_RE.finditer(text, lo, hi):
        best = m.end()
    if best > lo:
        return best
    cut = text.rfind(" ", lo, hi)
    while cut > lo:
        if text[cut - 1] not in _DIGITISH and text[cut + 1] not in _DIGITISH \
                and not text[cut + 1:cut + 8].lower().startswith(_MAGNITUDE_WORDS):
            return cut
        cut = text.rfind(" ", lo, cut)
    cut = text.rfind(" ", lo, hi)
    if cut > lo:
        return cut
    for i in range(hi - 1, lo, -1):
        if not text[i].isalnum() and text[i] not in ".,":
            return i + 1
    for i in range(hi - 1, lo, -1):  # one long token: cut between a letter and a digit at least
        if text[i].isdigit() != text[i - 1].isdigit():
            return i
    return hi


_MAGNITUDE_WORDS = ("thousand", "million", "billion", "trillion", "percent", "per cent",
                    "yuan", "dollar", "square", "tons", "mu ", "bn", "mln", "(")


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long span so that no piece exceeds MAX_SENTENCE, at a clause mark or
    whitespace in its second half and never inside a figure."""
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = _cut_point(text, start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text, leading and trailing whitespace excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if not _is_boundary(text, match):
            continue
        spans.extend(_chunks(text, start, match.end()))
        start = match.end()
    spans.extend(_chunks(text, start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out
