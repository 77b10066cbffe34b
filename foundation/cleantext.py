"""Clean text for storage (the foundation floor): what is stored can be written to XML, a
terminal, a page or a spreadsheet as it is. `clean_text(value, field)` removes what no output
should carry (C0 and C1 controls but tab and newline, lone surrogates, noncharacters such as
U+FFFE/U+FFFF, a byte-order mark inside text; in one-line fields also the bidi embeddings,
overrides and isolates that reorder the text around them), normalises whitespace and keeps
each field within a sane length. It is pure and imports nothing of ours."""

from __future__ import annotations

import re
from typing import Literal

Field = Literal["title", "section", "author", "byline_source", "body", "line", "markup"]

#: Characters at most per field (a body longer than this is cut at a paragraph end).
LIMITS: dict[str, int] = {"title": 500, "section": 200, "author": 200, "byline_source": 200,
                          "line": 2000, "body": 1_500_000, "markup": 8_000_000}
ELLIPSIS = "…"

# Never stored: C0 controls but \t \n \r (whitespace, handled below), DEL and C1 controls but
# NEL (a line break), lone surrogates, the BOM, and the noncharacters of every plane.
_NONCHARACTERS = "".join(f"\\U00{plane:02x}fffe\\U00{plane:02x}ffff" for plane in range(17))
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufdd0-\ufdef"
    f"{_NONCHARACTERS}]")
# Embeddings, overrides and isolates (LRE … RLO, LRI … PDI): in a title they can make the
# text around them read backwards; body paragraphs keep them (right-to-left quotations).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Terminal escape sequences (CSI: colours, cursor moves; OSC: window titles, links) go whole.
_ESCAPES = re.compile("\x1b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?)")
_LINE_BREAK = re.compile("\r\n|[\r\x85\u2028\u2029\x0b\x0c]")


def clean_text(value: str | None, field: Field = "body") -> str:
    """`value` as it may be stored in `field`: a one-line field (title, section, author,
    byline_source, line) becomes one line with single spaces; a body keeps its paragraphs,
    one per line, each with single spaces, and no empty ones; markup (a page before it is
    parsed) only loses the characters no XML parser takes, whitespace as it was. Idempotent:
    clean_text(clean_text(x, f), f) == clean_text(x, f)."""
    if not value:
        return ""
    if field == "markup":
        return _UNWANTED.sub("", _ESCAPES.sub("", value))[:LIMITS[field]]
    if field == "body":
        lines = (" ".join(line.split()) for line in _strip(value, "\n").split("\n"))
        return _cut_body("\n".join(line for line in lines if line), LIMITS[field])
    return _cut_line(" ".join(_BIDI.sub("", _strip(value, " ")).split()), LIMITS[field])


def _strip(value: str, line_break: str) -> str:
    """`value` without escape sequences and unwanted characters, its line breaks made
    `line_break`."""
    return _UNWANTED.sub("", _LINE_BREAK.sub(line_break, _ESCAPES.sub("", value)))


def _cut_line(text: str, limit: int) -> str:
    """At most `limit` characters: cut at the last space in the final fifth, with an
    ellipsis."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ")
    if space >= limit * 4 // 5:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def _cut_body(text: str, limit: int) -> str:
    """At most `limit` characters: whole paragraphs, else the first one cut like a line."""
    if len(text) <= limit:
        return text
    end = text.rfind("\n", 0, limit + 1)
    return text[:end] if end > 0 else _cut_line(text, limit)


def is_clean(value: str | None, field: Field = "body") -> bool:
    """Whether `value` is stored as it is (clean_text leaves it unchanged)."""
    return not value or clean_text(value, field) == value


__all__ = ["LIMITS", "Field", "clean_text", "is_clean"]
