"""What a crawl knows of the paths it walks (plain data, no Scrapy): one walk per listing
section, feed or sitemap; what became of a document's article links; validators held back
until the articles they vouch for are stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Walk:
    """One discovery path walked in this run: a listing section, a feed or a sitemap."""

    kind: str
    url: str
    resume: bool = False  # walk to the end: never read to its end, or a walk did not finish
    ended: bool = False  # reached its last page
    stopped: bool = False  # stopped at known articles (incremental)
    cut: bool = False  # cut short by a failed page
    limited: bool = False  # cut short on purpose: --since, --max-articles
    deepest: int = 0


@dataclass
class Offer:
    """What became of the article links of one document."""

    known: set[str] = field(default_factory=set)
    requested: set[str] = field(default_factory=set)
    unhandled: int = 0  # links left for later (--since, --max-articles)


@dataclass
class Validators:
    """A document's validators, stored at the end of the run once its articles are stored."""

    kind: str  # "listing" (listing_state) or a crawl_state kind
    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    next_url: str | None = None
    lastmod: object = None
    articles: set[str] = field(default_factory=set)
    children: list[str] = field(default_factory=list)  # a sitemap index's sitemaps


def snapshot(row) -> dict:
    """The crawl_state columns a run reads, as a dict (None for a row not yet stored)."""
    names = ("etag", "last_modified", "lastmod", "complete", "in_progress", "note")
    return {name: getattr(row, name, None) for name in names}


def aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)
