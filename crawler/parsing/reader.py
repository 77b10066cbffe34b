"""The two ways to read a body: generic (trafilatura, or the profile's body selector, cleaned of
furniture) and anchored (the lines after the date/byline, up to the first page furniture)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import trafilatura
from lxml import html
from trafilatura.settings import use_config

from crawler.parsing.body import clean_body
from crawler.parsing.decode import normalise_spaces
from crawler.parsing.furniture import is_furniture_line, prune_furniture
from crawler.parsing.page import BLOCK_TAGS, Line, page_lines
from crawler.parsing.visible import Header, crumb_names

if TYPE_CHECKING:
    from foundation.rules import ReadingRules

BOILERPLATE = re.compile(
    r"^(?:most (?:read|popular|viewed)|related(?: news| stories| articles| reading)?|"
    r"hot (?:news|topics)|latest(?: news)?|editor'?s? (?:picks?|choice)|recommended|"
    r"you may (?:also )?like|top stories|more (?:news|stories)|copyright|©|\(c\)|"
    r"about us|contact us)\b|all rights reserved|icp备",
    re.I,
)
SENTENCE_END = re.compile(r"[.!?。！？;；:：…\"”’)）]\s*$")


def anchored_body(lines: list[Line], start: int) -> list[str]:
    """Lines after the page's date/byline, up to the first block of page furniture."""
    body: list[str] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if BOILERPLATE.search(line.text) and len(line.text) < 120:
            break
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.link_share >= 0.8 and following is not None and following.link_share >= 0.8:
            break  # a list of links: navigation, "most read", footer
        body.append(line.text)
    return body


def _config():
    """trafilatura's settings, with short articles (a two-line notice) read as articles."""
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "20")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


TRAFILATURA_CONFIG = _config()


def split_br_runs(root: html.HtmlElement) -> None:
    """`<div>one<br>two<br></div>` → `<div><p>one</p><p>two</p></div>`, in place: trafilatura
    keeps paragraphs but merges or drops lines separated only by <br>."""
    for el in list(root.iter("div", "td", "section", "article", "center", "font")):
        children = list(el)
        if sum(1 for c in children if c.tag == "br") < 2:
            continue
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS and c.tag != "br"
               for c in children):
            continue
        paragraphs = []
        current = html.Element("p")
        current.text, el.text = el.text, None
        for child in children:
            el.remove(child)
            if child.tag == "br":
                paragraphs.append(current)
                current = html.Element("p")
                current.text = child.tail
            else:
                current.append(child)
        paragraphs.append(current)
        for paragraph in paragraphs:
            if paragraph.text_content().strip():
                el.append(paragraph)


def _trafilatura(tree: html.HtmlElement, url: str, title: str) -> list[str]:
    def run(tables: bool) -> list[str]:
        text = trafilatura.extract(
            tree, url=url, include_comments=False, include_tables=tables, deduplicate=False,
            with_metadata=False, output_format="txt", config=TRAFILATURA_CONFIG,
        ) or ""
        return normalise_spaces(text).split("\n")

    paras = run(True)
    if any(p.startswith("| ") and title in p for p in paras[:40]):
        return run(False)  # a layout table (the page in a <table>), not a table of figures
    return paras


def _selected(tree: html.HtmlElement, selector: str) -> list[str] | None:
    try:
        found = tree.cssselect(selector)
    except Exception:  # noqa: BLE001 - a selector lxml cannot apply reads as "not found"
        return None
    if not found:
        return None
    return [line.text for el in found[:5] for line in page_lines(el)]


def _is_header(line: str, title: str, skip: set[str], head: Header) -> bool:
    return (line == title or line in skip or line == head.crumb_line
            or (len(line) < 240 and crumb_names(line) is not None))


def _title_like_link(line: str, link_texts: frozenset[str]) -> bool:
    """The text of a link on the page with no sentence end: a related story, a file, a nav."""
    return (len(line) < 120 and line.casefold() in link_texts
            and not SENTENCE_END.search(line))


def clean_generic(raw: list[str], title: str, skip: set[str], head: Header,
                  rules: ReadingRules, link_texts: frozenset[str]) -> list[str]:
    """Drop header lines, furniture lines and story links from extracted paragraphs."""
    extra = rules.furniture_re
    paras = []
    for line in clean_body(raw):
        if _is_header(line, title, skip, head) and not paras:
            continue
        if line == title or is_furniture_line(line, extra) or _title_like_link(line, link_texts):
            continue
        paras.append(line)
    return paras


def _after_header(page: list[Line], head: Header) -> list[str]:
    """The page's lines after its date/byline, up to a list of links (a last resort)."""
    start = max(i for i in (head.date_at, head.byline_at, -1) if i is not None) + 1
    return anchored_body(page, start) if start > 0 else []


def generic_body(tree: html.HtmlElement, page: list[Line], url: str, title: str,
                 skip: set[str], head: Header, rules: ReadingRules,
                 link_texts: frozenset[str]) -> tuple[list[str], str]:
    """(paragraphs, where they came from): selector, trafilatura, else the header anchor."""
    if rules.body_selector and (raw := _selected(tree, rules.body_selector)):
        return clean_generic(raw, title, skip, head, rules, link_texts), "selector"
    prune_furniture(tree)
    split_br_runs(tree)
    paras = clean_generic(_trafilatura(tree, url, title), title, skip, head, rules, link_texts)
    if sum(len(p) for p in paras) >= 40:
        return paras, "trafilatura"
    fallback = clean_generic(_after_header(page, head), title, skip, head, rules, link_texts)
    return (fallback, "anchored") if fallback else (paras, "trafilatura")
