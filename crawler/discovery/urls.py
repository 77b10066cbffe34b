"""What a URL is, by its shape alone: article, listing, feed, sitemap, asset or another page.

Generic rules cover the shapes regional news sites use (a date in the path with an id or a slug,
TRS/WCM's `tYYYYMMDD_ID`, numeric ids); a profile's own patterns, when it has them, come first.
courlan's filters say which extensions are web pages and which paths are navigation.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from courlan.filters import NAVIGATION_FILTER, NOTCRAWLABLE, extension_filter

ARTICLE = "article"
LISTING = "listing"
FEED = "feed"
SITEMAP = "sitemap"
ASSET = "asset"  # not HTML, by its extension: never fetched as a page
NAVIGATION = "navigation"  # home, tag, author, search, login pages: never articles
PAGE = "page"  # an HTML page of no known shape

_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_HTML = r"(?:\.s?html?|\.php|\.aspx?|\.jsp)?"
_SLUG = r"[^/?#]*[A-Za-z\u3400-\u9fff][^/?#]*"

# Article shapes: each names the date parts it carries (y, m, d) when it has them.
ARTICLE_SHAPES = [
    # /section/2023-03-01/12345.html (e.my399), /2023-03-01/slug.html
    re.compile(rf"/(?P<y>{_YEAR})-(?P<m>{_MONTH})-(?P<d>{_DAY})/[^/]+{_HTML}$"),
    # TRS/WCM: /xwzx/yqdt/202302/t20230221_812345.html
    re.compile(rf"/t(?P<y>{_YEAR})(?P<m>\d{{2}})(?P<d>\d{{2}})_\d+{_HTML}$"),
    # WordPress: /section/2024/03/11/some-slug/ (or .html)
    re.compile(rf"/(?P<y>{_YEAR})/(?P<m>{_MONTH})/(?P<d>{_DAY})/{_SLUG}/?$"),
    # /2024/03/some-slug/ or /2024/0311/12345.html
    re.compile(rf"/(?P<y>{_YEAR})/(?P<m>{_MONTH})/{_SLUG}/?$"),
    re.compile(rf"/(?P<y>{_YEAR})/(?P<m>\d{{2}})(?P<d>\d{{2}})/[^/]+{_HTML}$"),
    # /202403/11/12345.html, /20240311/12345.html, /202403/12345.html
    re.compile(rf"/(?P<y>{_YEAR})(?P<m>\d{{2}})/(?P<d>\d{{2}})/[^/]+{_HTML}$"),
    re.compile(rf"/(?P<y>{_YEAR})(?P<m>\d{{2}})(?P<d>\d{{2}})/[^/]+{_HTML}$"),
    re.compile(rf"/(?P<y>{_YEAR})(?P<m>\d{{2}})/\d+{_HTML}$"),
    # numeric ids: /content_12345.htm, /art_12_34567.html, /news/123456.html, /article/12345
    re.compile(r"/(?:content|art|article|detail|news|info|doc)[_-]\d+(?:_\d+)*(?:\.s?html?)?$",
               re.I),
    re.compile(r"/(?:articles?|news|story|stories|posts?|detail|content|a)/\d{4,}(?:\.s?html?)?/?$",
               re.I),
    re.compile(r"/\d{5,}\.s?html?$"),
]

# Listing pages and their pagination, whatever the shape.
LISTING_SHAPES = [
    re.compile(r"/(?:index|list|default)(?:_\d+)?\.s?html?$", re.I),
    re.compile(r"/(?:list|index)[_-]\d+(?:[_-]\d+)?\.s?html?$", re.I),
    re.compile(r"/page/\d+/?$", re.I),
]
PAGE_QUERY = re.compile(r"(?:^|&)(?:page|p|pg|paged|pageno|start)=\d+(?:&|$)", re.I)
FEED_SHAPE = re.compile(r"(?:/feed/?|/rss/?|/atom/?|\.rss|\.atom|\.rdf|[./](?:rss|atom|feed)"
                        r"\d*\.xml|/feeds?/[^/]*)$|[?&]feed=", re.I)
SITEMAP_SHAPE = re.compile(r"sitemap[^/]*\.xml(?:\.gz)?$", re.I)
# Paths that are never articles: home, tags, authors, search, static pages.
NOT_ARTICLE = re.compile(
    r"/(?:tags?|topics?|authors?|category|categories|search|login|register|about(?:-?us)?|"
    r"contact(?:-?us)?|privacy|terms|sitemap|help|faq)(?:/|\.s?html?$|$)", re.I)


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


def classify_url(url: str, article_re: re.Pattern[str] | None = None,
                 listing_re: re.Pattern[str] | None = None) -> str:
    """The kind of page a URL points at (ARTICLE, LISTING, FEED, SITEMAP, ASSET, NAVIGATION
    or PAGE); the profile's own patterns are tried first."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if SITEMAP_SHAPE.search(path):
        return SITEMAP
    if FEED_SHAPE.search(path) or FEED_SHAPE.search("?" + parts.query if parts.query else ""):
        return FEED
    if not extension_filter(path.lower()):
        return ASSET
    if article_re is not None and article_re.pattern and article_re.match(path):
        return ARTICLE
    if listing_re is not None and listing_re.pattern and listing_re.match(path):
        return LISTING
    if path in ("", "/") and not parts.query:
        return NAVIGATION
    if any(shape.search(path) for shape in LISTING_SHAPES) or PAGE_QUERY.search(parts.query):
        return LISTING
    if NOTCRAWLABLE.search(path):
        return NAVIGATION
    generic = article_re is None or not article_re.pattern
    if generic and url_date(url) is not None:
        return ARTICLE  # a dated page is a story, even in an "about" or "tags" column
    if NOT_ARTICLE.search(path) or NAVIGATION_FILTER.search(path):
        return NAVIGATION
    if generic and any(shape.search(path) for shape in ARTICLE_SHAPES):
        return ARTICLE
    return PAGE


def url_date(url: str) -> date | None:
    """The publication date an article URL carries, if any (2023-03-01, /2024/03/11/,
    t20230221_…)."""
    path = _path(url)
    for shape in ARTICLE_SHAPES:
        match = shape.search(path)
        if match and "y" in match.groupdict():
            groups = match.groupdict()
            try:
                return date(int(groups["y"]), int(groups["m"]), int(groups.get("d") or 1))
            except (TypeError, ValueError):
                return None
    return None


def same_site(url: str, host: str, port: int | None = None) -> bool:
    """An http(s) URL on this host (and port, when given)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.hostname or "") != host:
        return False
    return port is None or (parts.port or (443 if parts.scheme == "https" else 80)) == port


def is_fetchable(url: str, host: str) -> bool:
    """On the site and a web page by its extension (offsite links and files never fetched)."""
    return same_site(url, host) and classify_url(url) != ASSET
