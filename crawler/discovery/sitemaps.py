"""Sitemaps: robots.txt `Sitemap:` lines, sitemap indexes, URL sets and news sitemaps.

Parsed with lxml's streaming iterparse under the same safe options as Scrapy's own sitemap
helper (no entities, no network, comments and PIs dropped); that helper is not used itself
because it flattens `<news:news>`, losing the publication date and title of news sitemaps.
robots.txt is read with Protego, Scrapy's default robots.txt parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from urllib.parse import urljoin

import lxml.etree
from protego import Protego

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed
MAX_ENTRIES = 50_000


@dataclass
class SitemapEntry:
    """One <url> or <sitemap> of a sitemap: its address and what the sitemap says of it."""

    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date
    title: str | None = None  # news:title


@dataclass
class Sitemap:
    """A parsed sitemap: kind "index" (entries are sitemaps) or "urlset" (entries are pages)."""

    kind: str
    entries: list[SitemapEntry] = field(default_factory=list)
    news: bool = False


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_when(text: str | None) -> datetime | None:
    """A W3C datetime (2024-03-11, 2024-03-11T09:30:00+08:00, …Z) → aware datetime, or None."""
    if not text:
        return None
    raw = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        try:
            when = datetime.fromisoformat(raw[:10])
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _maybe_gunzip(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        from scrapy.utils.gz import gunzip

        return gunzip(body, max_size=MAX_SITEMAP_BYTES)
    return body


def parse_sitemap(body: bytes, base_url: str = "") -> Sitemap | None:
    """A sitemap's kind and entries (gzip accepted); None when the body is not a sitemap."""
    try:
        body = _maybe_gunzip(body)
    except Exception:  # a corrupt or oversized archive is not a sitemap we read
        return None
    if not body.strip():
        return None
    events = lxml.etree.iterparse(BytesIO(body), events=("start", "end"), recover=True,
                                  resolve_entities=False, no_network=True,
                                  remove_comments=True, remove_pis=True, huge_tree=False)
    sitemap: Sitemap | None = None
    try:
        for event, elem in events:
            name = _local(elem.tag)
            if sitemap is None:
                if name not in ("urlset", "sitemapindex"):
                    return None
                sitemap = Sitemap("index" if name == "sitemapindex" else "urlset")
                continue
            if event != "end" or name not in ("url", "sitemap"):
                continue
            entry = _entry(elem, base_url)
            if entry is not None:
                if entry.published or entry.title:
                    sitemap.news = True
                sitemap.entries.append(entry)
                if len(sitemap.entries) >= MAX_ENTRIES:
                    break
            elem.clear()
    except lxml.etree.XMLSyntaxError:
        pass  # what was read before the error stays usable
    return sitemap


def _entry(elem, base_url: str) -> SitemapEntry | None:
    values: dict[str, str] = {}
    for child in elem.iter():
        name = _local(child.tag)
        if name in ("loc", "lastmod", "publication_date", "title") and name not in values:
            values[name] = (child.text or "").strip()
    loc = values.get("loc")
    if not loc:
        return None
    return SitemapEntry(urljoin(base_url, loc), parse_when(values.get("lastmod")),
                        parse_when(values.get("publication_date")), values.get("title") or None)


def sitemaps_in_robots(robots_text: str, base_url: str = "") -> list[str]:
    """The `Sitemap:` URLs of a robots.txt, in order, absolute."""
    return list(dict.fromkeys(urljoin(base_url, url.strip())
                              for url in Protego.parse(robots_text).sitemaps))


def robots_parser(robots_text: str) -> Protego:
    """A robots.txt parser (Protego), for `can_fetch(url, user_agent)`."""
    return Protego.parse(robots_text)
