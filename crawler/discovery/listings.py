"""Listing pages: the links on a page by kind, the sections a home page's navigation points at,
and the next page of a listing whatever its pager's shape (rel=next, "Next"/"下一页" links, a
numbered pager, a `<noscript>` fallback, TRS/WCM's `createPageHTML(...)` script)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import lxml.html

from crawler.discovery.urls import ARTICLE, LISTING, PAGE, classify_url, same_site

MAX_HTML_CHARS = 4_000_000
NEXT_WORDS = {"next", "next page", "next »", "next ›", "next >", "»", "›", ">", "older posts",
              "older entries", "older", "下一页", "下页", "后一页", "下一頁", "next→", "→"}
# TRS/WCM pagers are written by a script: createPageHTML(pages, current, "index", "html").
TRS_PAGER = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
                       r"\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]")
_PAGE_NUMBER = [
    (re.compile(r"_(\d+)\.\w+$"), 1),  # index_1.html is the second page
    (re.compile(r"/page/(\d+)/?$"), 0),
]
_QUERY_PAGE = re.compile(r"^(?:page|p|pg|paged|pageno)$", re.I)
MAX_CANDIDATES = 40


@dataclass
class PageLinks:
    """The same-site links of a page, by kind, in page order."""

    articles: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    nav: list[str] = field(default_factory=list)  # links inside <nav>/<header>/menus


def _tree(html: str):
    if not html or not html.strip():
        return None
    try:
        return lxml.html.fromstring(html[:MAX_HTML_CHARS])
    except (ValueError, lxml.etree.ParserError):
        return None


def _clean(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def page_links(html: str, url: str, article_re: re.Pattern[str] | None = None,
               listing_re: re.Pattern[str] | None = None) -> PageLinks:
    """Every same-site link of a page, classified by its URL shape."""
    found = PageLinks()
    tree = _tree(html)
    if tree is None:
        return found
    host = urlsplit(url).hostname or ""
    seen: set[str] = set()
    nav_ids = set()
    for block in tree.xpath("//nav|//header|//*[contains(@class,'nav') or contains(@class,'menu')"
                            " or contains(@id,'nav') or contains(@id,'menu')]"):
        nav_ids.update(id(a) for a in block.iter("a"))
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        link = _clean(urljoin(url, href))
        if not same_site(link, host) or link in seen:
            continue
        seen.add(link)
        kind = classify_url(link, article_re, listing_re)
        if kind == ARTICLE:
            found.articles.append(link)
        elif kind == LISTING:
            found.listings.append(link)
        elif kind == PAGE:
            found.pages.append(link)
        if id(anchor) in nav_ids and kind in (LISTING, PAGE):
            found.nav.append(link)
    return found


def find_listings(html: str, url: str, article_re: re.Pattern[str] | None = None,
                  listing_re: re.Pattern[str] | None = None) -> list[str]:
    """Candidate listing pages a (home) page points at: its navigation's links first, then
    other section-like links; each is confirmed by the articles it lists once fetched."""
    links = page_links(html, url, article_re, listing_re)
    home = urlsplit(url).path.rstrip("/")
    candidates = [*links.nav, *links.listings, *links.pages]
    out = []
    for link in candidates:
        path = urlsplit(link).path
        if path.rstrip("/") == home or path.count("/") > 4 or link in out:
            continue
        out.append(link)
    return out[:MAX_CANDIDATES]


def page_number(url: str) -> int:
    """The page number a listing URL shows (the first page is 1)."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if _QUERY_PAGE.match(key) and value.isdigit():
            return int(value)
    for shape, offset in _PAGE_NUMBER:
        if match := shape.search(parts.path):
            return int(match.group(1)) + offset
    return 1


def _anchors(tree, url: str):
    for anchor in tree.iter("a", "link"):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:")):
            yield anchor, _clean(urljoin(url, href))


def _next_in(tree, url: str, host: str) -> str | None:
    current = page_number(url)
    numbered = None
    for anchor, link in _anchors(tree, url):
        if not same_site(link, host) or link == _clean(url):
            continue
        rel = (anchor.get("rel") or "").lower().split()
        if "next" in rel:
            return link
        if anchor.tag != "a":
            continue
        text = " ".join(anchor.text_content().split()).lower()
        label = " ".join((anchor.get("title") or anchor.get("aria-label") or "").split()).lower()
        if text in NEXT_WORDS or label in NEXT_WORDS or label.startswith("next page"):
            return link
        if numbered is None and text == str(current + 1) and page_number(link) == current + 1:
            numbered = link
    return numbered


def next_page(html: str, url: str) -> str | None:
    """The URL of the listing page after this one, or None on the last page."""
    tree = _tree(html)
    if tree is None:
        return None
    host = urlsplit(url).hostname or ""
    if found := _next_in(tree, url, host):
        return found
    for block in tree.iter("noscript"):
        inner = block.text_content() if not len(block) else lxml.html.tostring(
            block, encoding="unicode")
        if (sub := _tree(inner)) is not None and (found := _next_in(sub, url, host)):
            return found
    for script in tree.iter("script"):
        if match := TRS_PAGER.search(script.text or ""):
            pages, current, name, ext = match.groups()
            if int(current) + 1 < int(pages):
                return _clean(urljoin(url, f"{name}_{int(current) + 1}.{ext}"))
    return None
