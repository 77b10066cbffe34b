"""The visible text of a page as lines, and the links it carries, with lxml."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "iframe", "svg"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
MAX_TEXT_CHARS = 1_500_000  # visible text read from one page
MAX_LINES = 40_000


def parse_tree(text: str) -> html.HtmlElement:
    # lxml refuses str input that declares an encoding; strip the XML declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        return html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError):
        return html.document_fromstring("<html><body></body></html>")


@dataclass(frozen=True)
class Line:
    """One visible line of a page and the share of its characters inside links."""

    text: str
    link_share: float


def _flat(text: str, tag: str) -> str:
    """A newline in the markup is a space, except in <pre> (and <br>/blocks end lines)."""
    return text if tag == "pre" else text.replace("\n", " ")


def page_lines(tree: html.HtmlElement, max_chars: int = MAX_TEXT_CHARS,
               max_lines: int = MAX_LINES) -> list[Line]:
    """Text of the page split at block elements and <br>, in document order (iterative, so
    any nesting depth is fine; stops after `max_chars` characters or `max_lines` lines)."""
    parts: list[tuple[str, bool]] = []
    size = 0
    links_open = 0
    body = tree.find("body")
    walker = etree.iterwalk(body if body is not None else tree, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in SKIP_TAGS or not tag:
                if el.tail:
                    parts.append((_flat(el.tail, "parent"), links_open > 0))
                    size += len(el.tail)
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                parts.append(("\n", False))
            if tag == "a":
                links_open += 1
            if el.text:
                parts.append((_flat(el.text, tag), links_open > 0))
                size += len(el.text)
        else:
            if tag in SKIP_TAGS or not tag:
                continue
            if tag == "a":
                links_open -= 1
            if tag in BLOCK_TAGS:
                parts.append(("\n", False))
            if el.tail:
                parts.append((_flat(el.tail, "parent"), links_open > 0))
                size += len(el.tail)
        if size > max_chars or len(parts) > 4 * max_lines:
            break
    lines: list[Line] = []
    text, linked = [], 0
    for chunk, in_link in parts + [("\n", False)]:
        pieces = chunk.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                line = _SPACES.sub(" ", "".join(text)).strip()
                if line:
                    lines.append(Line(line, min(1.0, linked / max(1, len(line)))))
                text, linked = [], 0
            text.append(piece)
            if in_link:
                linked += len(piece.strip())
    return lines[:max_lines]


def links(tree: html.HtmlElement) -> list[tuple[str, str]]:
    """(href, link text) for every anchor with an href."""
    found = []
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if href:
            found.append((href.strip(), _SPACES.sub(" ", anchor.text_content()).strip()))
    return found


def page_title(tree: html.HtmlElement) -> str:
    for tag in ("h1", "title"):
        el = tree.find(f".//{tag}")
        if el is not None:
            text = _SPACES.sub(" ", el.text_content()).strip()
            if text:
                return text
    return ""
