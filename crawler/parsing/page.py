"""The visible text of a page as lines, and the links it carries, with lxml."""

from __future__ import annotations

import re

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


def visible_lines(tree: html.HtmlElement) -> list[str]:
    """Text of the page split at block elements, one stripped non-empty line each."""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP_TAGS:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    body = tree.find("body")
    walk(body if body is not None else tree)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


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
