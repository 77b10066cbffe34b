"""ArchiveSpider: a web archive's captures of a source read into the archive through the crawl's
own path. It lists the source's captures through a CDX server, keeps the newest capture of
each article-shaped URL of the site that the archive does not hold, and fetches its original
bytes (`id_` replay) with the crawl's politeness (robots.txt by RFC 9309, Retry-After, backoff,
DOWNLOAD_DELAY between requests); each page is read by the parse workers and stored by the
crawl's pipelines, kept as WARC with its capture's URL and date, marked as from the archive.

Resumable: a capture whose article is stored is not asked for again, nor one that read as no
article (remembered in crawl_state, kind "capture"); the listing is asked again each run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from archive.db import session_scope
from archive.models import utcnow
from archive.store import crawl_states, get_or_create_source, known_urls, save_crawl_state
from crawler.discovery.urls import ARTICLE, classify_url, same_site, url_date
from crawler.history.cdx import (
    CdxCapture,
    CdxError,
    is_page,
    newest_per_url,
    parse_listing,
    query_url,
    replay_prefix_for,
)
from crawler.middlewares.pages import CAPTURE_KEY, KEEP_KEY
from crawler.parsing import NOT_AN_ARTICLE
from crawler.pool import charset_of, pool_of
from foundation.profile import Profile
from pipelines.items import ArticleItem
from pipelines.urls import canonical_url
from pipelines.writer import writer_of

STATE_KIND = "capture"
T = TypeVar("T")


class ArchiveSpider(scrapy.Spider):
    """`ArchiveSpider(profile=…, cdx=ENDPOINT[, replay=PREFIX, since=YEAR, until=YEAR])`"""

    name = "archive"

    def __init__(self, profile: Profile, cdx: str, replay: str | None = None,
                 since: int | None = None, until: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile, self.source_name = profile, profile.name
        self.cdx, self.replay = cdx, replay or replay_prefix_for(cdx)
        self.since, self.until = since, until
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in (cdx, self.replay)})
        self._source_id: int | None = None
        self._tried: set[str] = set()
        self._article_re = profile.article_re if profile.article_pattern else None
        self._listing_re = profile.listing_re if profile.listing_pattern else None

    @property
    def _database_url(self) -> str | None:
        url = self.settings.get("PARKWATCH_DATABASE_URL")
        return str(url) if url else None

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self._database_url:
            with session_scope(self._database_url, write=True) as session:
                self._source_id = get_or_create_source(session, self.source_name).id
                self._tried = {url for kind, url in
                               crawl_states(session, self._source_id, [STATE_KIND])}
        yield self._listing(None)

    def _listing(self, resume_key: str | None) -> scrapy.Request:
        url = query_url(self.cdx, self.profile.base_url, self.since, self.until, resume_key,
                        limit=self.settings.getint("PARKWATCH_ARCHIVE_PAGE_SIZE", 0) or None)
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                              dont_filter=True, meta={"parkwatch_kind": "cdx"})

    def _wanted(self, capture: CdxCapture) -> bool:
        year = int(capture.timestamp[:4]) if capture.timestamp[:4].isdigit() else 0
        return (is_page(capture) and same_site(capture.original, self.profile.host)
                and (not self.since or year >= self.since)
                and (not self.until or year <= self.until)
                and classify_url(capture.original, self._article_re,
                                 self._listing_re) == ARTICLE)

    async def parse_listing(self, response: Response) -> AsyncIterator[scrapy.Request]:
        stats = self.crawler.stats
        stats.inc_value("parkwatch/listing_pages")
        try:
            found, resume = parse_listing(response.text if isinstance(response, TextResponse)
                                          else "")
        except CdxError as exc:
            stats.inc_value("parkwatch/errors")
            self.logger.warning("the CDX listing %s cannot be read: %s", response.url, exc)
            return
        stats.inc_value("parkwatch/archive_captures", len(found))
        newest = newest_per_url([c for c in found if self._wanted(c)], canonical_url)
        stats.inc_value("parkwatch/listing_links", len(newest))
        known = await _in_thread(_known, self._database_url, [canonical_url(c.original)
                                                              for c in newest])
        for capture in newest:
            key = canonical_url(capture.original)
            if key in known or key in self._tried:
                stats.inc_value("parkwatch/archive_known")
                continue
            self._tried.add(key)
            yield scrapy.Request(capture.replay_url(self.replay), callback=self.parse_capture,
                                 errback=self.on_error,
                                 meta={KEEP_KEY: True,
                                       CAPTURE_KEY: (capture.original, capture.timestamp)})
        if resume:
            yield self._listing(resume)

    async def parse_capture(self, response: Response) -> AsyncIterator[ArticleItem]:
        original, _stamp = response.meta[CAPTURE_KEY]
        stats = self.crawler.stats
        stats.inc_value("parkwatch/article_pages")
        result = await pool_of(self.crawler).run(response.body, original, self.profile,
                                                 charset_of(response))
        item = result.item
        if item is not None and item.url_date is None:
            item.url_date = url_date(original)
        if item is None or (item.published is None and item.url_date is None):
            stats.inc_value("parkwatch/skipped")
            reason = result.skipped or NOT_AN_ARTICLE
            self.logger.warning("skipped %s (captured %s): %s", original, _stamp, reason)
            if not result.error:  # a page that is no article is not asked for again
                self._mark(canonical_url(original), reason)
            return
        item.url = original
        yield item

    def _mark(self, key: str, note: str) -> None:
        if self._source_id is None or not self._database_url:
            return
        writer_of(self.crawler).submit_logged(f"the state of {key}", _save_state,
                                              self._database_url, self._source_id, key,
                                              note[:200])

    def on_error(self, failure: Failure) -> None:
        from scrapy.exceptions import IgnoreRequest

        request = getattr(failure, "request", None)
        if isinstance(failure.value, IgnoreRequest):
            self.crawler.stats.inc_value("parkwatch/robots_denied")
            return
        self.crawler.stats.inc_value("parkwatch/errors")
        self.logger.warning("failed %s: %s", request.url if request else "?",
                            failure.getErrorMessage() or type(failure.value).__name__)


def _known(database_url: str | None, canonicals: list[str]) -> set[str]:
    if not database_url or not canonicals:
        return set()
    with session_scope(database_url) as session:
        return known_urls(session, canonicals)


def _save_state(database_url: str, source_id: int, key: str, note: str) -> None:
    with session_scope(database_url, write=True) as session:
        save_crawl_state(session, source_id, STATE_KIND, key, note=note, last_seen=utcnow())


async def _in_thread(function: Callable[..., T], *args: object) -> T:
    """`await _in_thread(f, *args)`: f run in Twisted's thread pool, off the event loop."""
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet.threads import deferToThread

    result: T = await maybe_deferred_to_future(deferToThread(function, *args))
    return result



