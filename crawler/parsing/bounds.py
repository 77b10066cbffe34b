"""Bounded work per page: the markup handed to lxml is capped in characters and in elements,
so a hostile page (a million `<p>`, megabytes of attributes) costs little memory and time."""

from __future__ import annotations

import re

from crawler.parsing.decode import decode_html, normalise_spaces
from foundation.cleantext import clean_text

MAX_PAGE_CHARS = 8_000_000  # a page larger than this is refused
MAX_PARSE_CHARS = 2_000_000  # markup beyond this is not parsed (real articles are far smaller)
MAX_ELEMENTS = 15_000  # markup after this many tags is not parsed
MAX_ATTRIBUTE_CHARS = 20_000  # a longer quoted attribute value is emptied
_TAG = re.compile(r"<[A-Za-z!/]")
_HUGE_ATTRIBUTE = re.compile(
    rf'"[^"<>]{{{MAX_ATTRIBUTE_CHARS},}}"|\'[^\'<>]{{{MAX_ATTRIBUTE_CHARS},}}\'')


def cut_at_tag(text: str, limit: int) -> str:
    """Text up to its `limit`-th tag (all of it when it has fewer)."""
    if text.count("<", 0, None) <= limit:
        return text
    for count, match in enumerate(_TAG.finditer(text), 1):
        if count > limit:
            return text[:match.start()]
    return text


def bounded_markup(body: bytes, header_encoding: str | None = None) -> tuple[str, str | None]:
    """(markup to parse, None), or ("", reason) for a page that is no article."""
    if not body or not body.strip():
        return "", "empty page"
    if len(body) > 4 * MAX_PAGE_CHARS:
        return "", f"page too large ({len(body)} bytes)"
    text = normalise_spaces(decode_html(body, header_encoding))
    if len(text) > MAX_PAGE_CHARS:
        return "", f"page too large ({len(text)} characters)"
    head = text[:4096]
    controls = sum(1 for ch in head if ch < " " and ch not in "\t\n\r\f") + head.count("\ufffd")
    if controls > len(head) // 20:
        return "", "not a text page (binary content)"
    if "<" not in text[:65536]:
        return "", "not an HTML page (no markup)"
    text = clean_text(text, "markup")  # one control character made trafilatura drop the body
    if len(text) > MAX_PARSE_CHARS:
        text = text[:MAX_PARSE_CHARS]
    text = cut_at_tag(text, MAX_ELEMENTS)
    if len(text) > MAX_ATTRIBUTE_CHARS and _HUGE_ATTRIBUTE.search(text):
        text = _HUGE_ATTRIBUTE.sub('""', text)
    return text, None
