"""RSS and Atom feeds: finding them on a page and reading their entries.

feedparser reads RSS 0.9x/1.0/2.0 and Atom with their date formats and survives broken feeds;
trafilatura's `determine_feed` finds a page's `<link rel="alternate">` feeds (with its own
filters for comment feeds). A few common paths are probed when a site announces none.
"""

from __future__ import annotations

from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser

# Tried once, when a site's home page announces no feed.
COMMON_FEED_PATHS = ("/feed/", "/rss.xml", "/atom.xml", "/feed.xml", "/rss/", "/index.xml")
MAX_FEED_ENTRIES = 5_000


@dataclass
class FeedEntry:
    """One item of a feed: the article's address, and its date and title when the feed says."""

    url: str
    published: datetime | None = None
    title: str | None = None


def _when(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("created_parsed")
    if parsed is None:
        return None
    return datetime.fromtimestamp(timegm(parsed), tz=UTC)


def parse_feed(body: bytes, base_url: str = "") -> list[FeedEntry] | None:
    """The entries of an RSS/Atom feed, in feed order; None when the body is not a feed."""
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        return None
    entries = []
    for item in parsed.entries[:MAX_FEED_ENTRIES]:
        link = item.get("link") or next((link.get("href") for link in item.get("links", [])
                                         if link.get("href")), None)
        if link:
            entries.append(FeedEntry(urljoin(base_url, link.strip()), _when(item),
                                     item.get("title") or None))
    return entries


def find_feeds(html: str, url: str) -> list[str]:
    """Feed URLs a page announces (`<link rel="alternate">`, else feed-like links), same site."""
    from trafilatura.feeds import FeedParameters, determine_feed  # all of trafilatura: 0.3 s

    host = urlsplit(url).hostname or ""
    params = FeedParameters(url, host, url)
    found = []
    for feed in determine_feed(html, params):
        absolute = urljoin(url, feed)
        if urlsplit(absolute).hostname == host:
            found.append(absolute)
    return list(dict.fromkeys(found))


def common_feed_urls(base_url: str) -> list[str]:
    return [base_url.rstrip("/") + path for path in COMMON_FEED_PATHS]
