"""parse_article(html bytes, url, profile) → ArticleItem.

The profile's visible-text rules find the title, date, byline and section; the body is the text
after the date/byline up to the page furniture, cleaned of captions, pagination and trailing
teasers. Pages without those header lines fall back to trafilatura's generic extraction
(it drops `<br>`-separated lines and linearises table layouts, so it is not the first choice).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import trafilatura

from crawler.config import Profile
from crawler.parsing.body import clean_body, strip_teasers
from crawler.parsing.decode import decode_html, normalise_spaces
from crawler.parsing.page import Line, links, page_lines, page_title, parse_tree
from pipelines.items import ArticleItem

MAX_PAGE_CHARS = 8_000_000
MIN_TEXT_CHARS = 40
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


class ParseError(Exception):
    """The page is not an article this profile can read (reason in the message)."""


@lru_cache(maxsize=64)
def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _to_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


def url_parts(url: str, profile: Profile) -> tuple[str | None, date | None]:
    """The section path and the date in an article URL, when it has the profile's shape."""
    match = profile.article_re.match(urlsplit(url).path)
    if not match:
        return None, None
    groups = match.groupdict()
    return groups.get("section"), _to_date(groups.get("date"))


def detect_language(text: str, default: str | None) -> str | None:
    cjk, latin = len(CJK.findall(text[:20_000])), len(LATIN.findall(text[:20_000]))
    if cjk + latin == 0:
        return default
    return "zh" if cjk > latin / 4 else "en"


def _normalise_author(name: str) -> str | None:
    name = " ".join(name.split())
    if not name:
        return None
    return " ".join(part[:1].upper() + part[1:].lower() for part in name.split(" "))


def _header(lines: list[str], profile: Profile):
    """Find the date line, byline and breadcrumb among the page's visible lines."""
    date_re = _compiled(profile.date_pattern, re.I)
    byline_re = _compiled(profile.byline_pattern, re.I)
    crumb_re = _compiled(profile.breadcrumb_pattern, re.I)
    found = {"date_at": None, "date": None, "byline": None, "byline_at": None, "crumb": None}
    for index, line in enumerate(lines):
        rest = line
        if found["date"] is None and (m := date_re.search(line)):
            found["date"], found["date_at"] = _to_date(m.group("date")), index
            rest = line[m.end():].strip()  # "Updated : 2023-02-21   By ( e.my399.com )"
        if found["byline"] is None and rest and len(rest) < 200 and (m := byline_re.match(rest)):
            found["byline"], found["byline_at"] = m, index
        elif found["crumb"] is None and len(line) < 200 and (m := _crumb(crumb_re, line)):
            found["crumb"] = m.group("section").strip()
        if found["date"] and found["byline"] and found["crumb"]:
            break
    return found


def _crumb(crumb_re: re.Pattern[str], line: str) -> re.Match[str] | None:
    """The breadcrumb, also behind a "you are here:" prefix (您现在的位置：Home > …)."""
    if m := crumb_re.match(line):
        return m
    home = line.find("Home")
    if home > 0 and line[:home].rstrip().endswith((":", "：")):
        return crumb_re.match(line[home:])
    return None


def _title(lines: list[str], date_at: int | None, tree, crumb: str | None) -> str:
    if date_at is not None:
        for line in reversed(lines[max(0, date_at - 3):date_at]):
            if line != crumb and not line.lower().startswith("home") and len(line) > 3:
                return line
    return page_title(tree)


BOILERPLATE = re.compile(
    r"^(?:most (?:read|popular|viewed)|related(?: news| stories| articles| reading)?|"
    r"hot (?:news|topics)|latest(?: news)?|editor'?s? (?:picks?|choice)|recommended|"
    r"you may (?:also )?like|top stories|more (?:news|stories)|copyright|©|\(c\)|"
    r"about us|contact us)\b|all rights reserved|icp备",
    re.I,
)


def _anchored_body(lines: list[Line], start: int) -> list[str]:
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


def _extracted_body(html_text: str, url: str, title: str, skip: set[str]) -> list[str]:
    """trafilatura's reading of the page, for markup without the profile's header lines."""
    text = trafilatura.extract(
        html_text, url=url, include_comments=False, include_tables=True, favor_recall=True,
        deduplicate=False, with_metadata=False, output_format="txt",
    ) or ""
    paras = normalise_spaces(text).split("\n")
    header_end = -1
    for index, para in enumerate(paras[:8]):
        if para.strip() == title or para.strip() in skip:
            header_end = index
    return paras[header_end + 1:]


def parse_article(body: bytes, url: str, profile: Profile,
                  header_encoding: str | None = None) -> ArticleItem:
    """Read one article page; raise ParseError when it holds no article."""
    if not body or not body.strip():
        raise ParseError("empty page")
    html_text = normalise_spaces(decode_html(body, header_encoding))
    if len(html_text) > MAX_PAGE_CHARS:
        raise ParseError(f"page too large ({len(html_text)} characters)")
    if "\x00" in html_text:
        html_text = html_text.replace("\x00", "")
    tree = parse_tree(html_text)
    page = page_lines(tree)
    lines = [line.text for line in page]
    head = _header(lines, profile)
    title = _title(lines, head["date_at"], tree, head["crumb"])
    skip = {lines[i] for i in (head["date_at"], head["byline_at"]) if i is not None}
    skip.update(line for line in lines[:40] if line == head["crumb"] or line.startswith("Home>"))

    link_texts = frozenset(
        text.casefold() for _href, text in links(tree) if len(text) >= 12)
    header = [i for i in (head["date_at"], head["byline_at"]) if i is not None]
    if header:
        raw = _anchored_body(page, max(header) + 1)
    else:
        raw = _extracted_body(html_text, url, title, skip)
    paras = strip_teasers(clean_body(raw), link_texts)
    text = "\n".join(paras).strip()
    if len(text) < MIN_TEXT_CHARS:
        raise ParseError("no article text found" if not text else "article text too short")

    section_path, url_date = url_parts(url, profile)
    byline = head["byline"]
    return ArticleItem(
        url=url,
        title=title,
        text=text,
        published=head["date"],
        url_date=url_date,
        section=head["crumb"] or (profile.section_name(section_path) if section_path else None),
        byline_source=byline.group("source").strip() if byline else None,
        author=_normalise_author(byline.group("author")) if byline else None,
        language=detect_language(text, profile.language),
        source=profile.name,
    )
