"""Sentence splitting with character offsets; over-long sentences are cut into chunks."""

from __future__ import annotations

import re

MAX_SENTENCE = 2000
_BOUNDARY_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|[。！？；]|\n")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_ABBREVIATIONS = frozenset({
    "no", "nos", "mr", "mrs", "ms", "dr", "st", "co", "ltd", "inc", "corp", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "e.g", "i.e", "vs",
    "approx", "sq", "dept", "gov", "prof", "jr", "sr", "fig", "art", "vol", "p.m", "a.m", "etc",
})
_SPACE_RE = re.compile(r"\s*")


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    if match.group(0)[0] not in ".":
        return True
    after = _SPACE_RE.match(text, match.end()).end()
    if after < len(text) and (text[after].islower() or text[after].isdigit()):
        return False
    word = _WORD_BEFORE_RE.search(text, max(0, match.start() - 12), match.start())
    if word is None:
        return True
    token = word.group(1).lower()
    return not (token in _ABBREVIATIONS or len(token) == 1)


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long span at whitespace so that no piece exceeds MAX_SENTENCE."""
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        if cut <= start:
            cut = start + MAX_SENTENCE
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
