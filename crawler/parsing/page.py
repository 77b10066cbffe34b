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


def page_lines(tree: html.HtmlElement) -> list[Line]:
    """Text of the page split at block elements and <br>, in document order."""
    parts: list[tuple[str, bool]] = []

    def walk(el, in_link: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP_TAGS:
            if el.tail:
                parts.append((el.tail, in_link))
            return
        block = tag in BLOCK_TAGS
        inside = in_link or tag == "a"
        if block:
            parts.append(("\n", False))
        if el.text and tag:
            parts.append((el.text, inside))
        for child in el:
            walk(child, inside)
        if block:
            parts.append(("\n", False))
        if el.tail:
            parts.append((el.tail, in_link))

    body = tree.find("body")
    walk(body if body is not None else tree, False)
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
    return lines


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
