"""parse_article(html bytes, url, profile) → ArticleItem, metadata first.

Each field comes from the most trustworthy place the page offers, and says which:
the date from the profile's date rule, JSON-LD `datePublished`, a publication meta, `<time>`,
a visible date line, then the URL (`published_source`); title, author and section likewise
(`provenance`). The body is trafilatura's text cleaned of the furniture it keeps (the generic
reader), or the lines after the date/byline up to the furniture (the profile's "anchored" reader).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.parsing import NOT_AN_ARTICLE
from crawler.parsing.body import clean_body, strip_teasers
from crawler.parsing.bounds import bounded_markup
from crawler.parsing.dates import timestamp_date, url_date, written_date
from crawler.parsing.metadata import markup_crumbs, read_metadata
from crawler.parsing.page import Line, links, page_lines, page_title, parse_tree
from crawler.parsing.reader import anchored_body, generic_body
from crawler.parsing.visible import Header, read_header
from foundation.cleantext import clean_text
from pipelines.items import ArticleItem

if TYPE_CHECKING:
    from foundation.profile import Profile

MIN_TEXT_CHARS = 40
CHINA_OFFSET = "+08:00"  # a Chinese page's UTC timestamps are read as Beijing-time days
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
TITLE_SUFFIX = re.compile(r"\s+(?:[-–—|_·»]|&#8211;)\s+|_|\s*[|｜]\s*")


class ParseError(Exception):
    """The page is not an article this profile can read (reason in the message)."""


class ReadError(ParseError):
    """Reading this page failed inside the reader (`kind`: the exception's type): the page is
    skipped or reported with the reason, never its batch."""

    def __init__(self, exc: Exception) -> None:
        self.kind = type(exc).__name__
        super().__init__(f"cannot read the page ({self.kind}: {str(exc)[:200]})")


@lru_cache(maxsize=64)
def _compiled(pattern: str | None, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(pattern, flags) if pattern else None


def url_parts(url: str, profile: Profile) -> tuple[str | None, date | None]:
    """The section path and the date in an article URL (the profile's shape, else generic)."""
    path = urlsplit(url).path
    pattern = getattr(profile, "article_re", None)
    match = pattern.match(path) if pattern is not None else None
    if match:
        groups = match.groupdict()
        raw = groups.get("date")
        found = written_date(raw) if raw and "-" in raw else None
        return groups.get("section"), found or url_date(path)
    return None, url_date(path)


def detect_language(text: str, default: str | None) -> str | None:
    cjk, latin = len(CJK.findall(text[:20_000])), len(LATIN.findall(text[:20_000]))
    if cjk + latin == 0:
        return default
    return "zh" if cjk > latin / 4 else "en"


def _normalise_author(name: str | None) -> str | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    return " ".join(part[:1].upper() + part[1:].lower() for part in name.split(" "))


def _strip_suffix(title: str) -> str:
    """`Story – Site Name` → `Story` (the longest part of a <title>)."""
    parts = [p.strip() for p in TITLE_SUFFIX.split(title) if p.strip()]
    return max(parts, key=len) if parts else title


def _heading_before(lines: list[str], head: Header) -> str | None:
    if head.date_at is None:
        return None
    for line in reversed(lines[max(0, head.date_at - 3):head.date_at]):
        if line != head.crumb_line and not line.lower().startswith("home") and len(line) > 3:
            return line
    return None


def _title(tree, meta, lines: list[str], head: Header, anchored: bool) -> tuple[str, str]:
    if meta.title:
        return meta.title
    if anchored:  # the e-my399 reading: the line above the date line, else <h1>/<title>
        if line := _heading_before(lines, head):
            return line, "heading"
        return page_title(tree), "title"
    h1 = tree.find(".//h1")
    if h1 is not None and (text := " ".join(h1.text_content().split())) and len(text) > 3:
        return text, "heading"
    if line := _heading_before(lines, head):
        return line, "heading"
    return _strip_suffix(page_title(tree)), "title"


def _published(meta, head: Header, udate: date | None,
               utc_offset: str | None) -> tuple[date | None, str | None]:
    if head.date and head.date_source == "profile":
        return head.date, "profile"
    if meta.published and (found := timestamp_date(meta.published[0], utc_offset)):
        return found, meta.published[1]
    if head.date:
        return head.date, "visible"
    if udate:
        return udate, "url"
    return None, None


# A breadcrumb's last step that stands for the page itself, not its section.
PLACEHOLDER_CRUMBS = frozenset({
    "正文", "正文内容", "内容", "详情", "详细内容", "内容详情", "新闻详情", "文章详情", "文章",
    "阅读", "浏览", "查看", "详细信息", "article", "story", "details", "detail", "content",
    "full text", "text", "read"})


def _section(head: Header, meta, title: str, profile: Profile,
             section_path: str | None, markup: list[str] | None = None
             ) -> tuple[str | None, str | None]:
    crumbs = [c for c in head.crumbs or markup or []
              if c != title and not (len(c) > 12 and title.startswith(c.rstrip("….")))
              and c.strip().lower() not in PLACEHOLDER_CRUMBS]
    if crumbs:
        return crumbs[-1], "breadcrumb"
    if meta.section:
        return meta.section[0], meta.section[1]
    if section_path:
        return profile.section_name(section_path), "profile"
    return None, None


def parse_article(body: bytes, url: str, profile: Profile,
                  header_encoding: str | None = None) -> ArticleItem:
    """Read one article page; raise ParseError when it holds no article, ReadError (a
    ParseError) when anything inside reading it fails: no exception gets past one page."""
    try:
        return _read_article(body, url, profile, header_encoding)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - the page's boundary: counted with its reason
        raise ReadError(exc) from exc


def _read_article(body: bytes, url: str, profile: Profile,
                  header_encoding: str | None) -> ArticleItem:
    html_text, why = bounded_markup(body, header_encoding)
    if why:
        raise ParseError(why)
    tree = parse_tree(html_text)
    meta = read_metadata(tree)
    page: list[Line] = page_lines(tree)
    lines = [line.text for line in page]
    anchored = profile.reader == "anchored"
    head = read_header(lines, _compiled(profile.date_pattern, re.I),
                       _compiled(profile.byline_pattern, re.I),
                       _compiled(profile.breadcrumb_pattern, re.I))
    title, title_from = _title(tree, meta, lines, head, anchored)
    title = clean_text(title, "title")
    markup = None if head.crumbs else markup_crumbs(tree)  # before the body prunes the tree
    skip = {lines[i] for i in (head.date_at, head.byline_at) if i is not None}
    skip.update(line for line in lines[:40]
                if line == head.crumb_line or line.startswith("Home>"))
    link_texts = frozenset(text.casefold() for _href, text in links(tree) if len(text) >= 12)

    header = [i for i in (head.date_at, head.byline_at) if i is not None]
    if anchored and header:
        raw, body_from = anchored_body(page, max(header) + 1), "anchored"
        paras = clean_body(raw)
    else:
        paras, body_from = generic_body(tree, page, url, title, skip, head, profile, link_texts)
    if profile.strip_teasers:
        paras = strip_teasers(paras, link_texts)
    text = clean_text("\n".join(paras))
    if len(text) < MIN_TEXT_CHARS:
        raise ParseError("no article text found" if not text else "article text too short")

    section_path, udate = url_parts(url, profile)
    language = detect_language(text, profile.language)
    offset = profile.utc_offset or (CHINA_OFFSET if language == "zh" else None)
    published, published_source = _published(meta, head, udate, offset)
    if published is None:  # listings, tag, author and static pages carry no date of their own
        raise ParseError(NOT_AN_ARTICLE)
    section, section_from = _section(head, meta, title, profile, section_path, markup)
    if head.byline_from == "profile":
        author, author_from = _normalise_author(head.author), "profile"
    elif meta.author:
        author, author_from = meta.author
    else:
        author, author_from = head.author, ("visible" if head.author else None)
    source = head.source or (meta.source[0] if meta.source else None)
    provenance = {"title": title_from, "published": published_source, "author": author_from,
                  "byline_source": (head.byline_from if head.source else
                                    "meta" if source else None),
                  "section": section_from, "body": body_from}
    return ArticleItem(
        url=url,
        title=title,
        text=text,
        published=published,
        published_source=published_source,
        url_date=udate,
        section=clean_text(section, "section") or None,
        byline_source=clean_text(source, "byline_source") or None,
        author=clean_text(author, "author") or None,
        language=language,
        source=profile.name,
        provenance={k: v for k, v in provenance.items() if v},
    )
