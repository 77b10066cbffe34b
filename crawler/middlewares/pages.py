"""Every fetched article page kept as WARC (archive.warc): its request and its response as
they crossed the wire, appended to the source's rotating series, and the record's reference
handed to the article read from it.

PageKeepingMiddleware (a downloader middleware next to the downloader: it sees the response
before decompression and redirects, and the request with every header the others added) writes
the records; PageReferenceMiddleware (a spider middleware) gives each article item the reference
of the response it was read from, so storage records it with the article.

Settings: PARKWATCH_KEEP_PAGES ("all" | "<N>d" | "none": keep every file, files of the last N
days, nothing), PARKWATCH_PAGES_DIR (the folder; unset: `pages/` in parkwatch's home),
PARKWATCH_PAGES_MAX_BYTES (a file rotates past this, and each day), PARKWATCH_KEEP_LISTINGS
(listing pages too)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from archive.warc import (
    MAX_FILE_BYTES,
    Exchange,
    KeepPagesError,
    KeptPage,
    PageSeries,
    keep_days,
    pack,
    parse_warc_date,
    prune,
)

logger = logging.getLogger(__name__)
META_KEY = "parkwatch_page"  # request.meta: the KeptPage of its response
KEEP_KEY = "parkwatch_keep"  # request.meta: keep this page whatever its callback
# request.meta: (original URL, 14-digit timestamp) of a web archive's capture being replayed:
# kept under its original URL and date, as from the archive, with the replay URL beside it
CAPTURE_KEY = "parkwatch_capture"


def header_pairs(headers: Any) -> tuple[tuple[str, str], ...]:
    """Scrapy's Headers (bytes, lists of values) as (name, value) text pairs, in order."""
    pairs = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            pairs.append((key, value.decode("latin-1") if isinstance(value, bytes)
                          else str(value)))
    return tuple(pairs)


def exchange_of(request: Request, response: Response,
                fetched_at: datetime | None = None) -> Exchange:
    """What was asked and answered, as archive.warc packs it."""
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    ip_address = getattr(response, "ip_address", None)
    return Exchange(
        url=response.url, status=response.status, reason=reason,
        response_headers=header_pairs(response.headers), body=response.body,
        fetched_at=fetched_at or datetime.now(UTC), method=request.method,
        request_headers=header_pairs(request.headers),
        protocol=protocol if protocol.startswith("HTTP/") else "HTTP/1.1",
        ip_address=str(ip_address) if ip_address is not None else None)


def pages_folder(settings: Any) -> Path:
    """PARKWATCH_PAGES_DIR, else `pages/` in parkwatch's home (config file, environment)."""
    configured = settings.get("PARKWATCH_PAGES_DIR")
    if configured:
        return Path(str(configured)).expanduser()
    from foundation.settings import load_settings

    return load_settings().home / "pages"


class PageKeepingMiddleware:
    """Writes the WARC records of every article page answered 200 (and of listing pages with
    PARKWATCH_KEEP_LISTINGS); prunes files past the retention when the spider opens."""

    def __init__(self, crawler: Crawler, root: Path, days: int | None, max_bytes: int,
                 listings: bool) -> None:
        self.crawler, self.root, self.days = crawler, root, days
        self.max_bytes, self.listings = max_bytes, listings
        self.series: PageSeries | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageKeepingMiddleware:
        settings = crawler.settings
        try:
            days = keep_days(settings.get("PARKWATCH_KEEP_PAGES", "all"))
        except KeepPagesError as exc:
            raise NotConfigured(str(exc)) from None
        if days == 0:
            raise NotConfigured("PARKWATCH_KEEP_PAGES is none")
        middleware = cls(crawler, pages_folder(settings), days,
                         settings.getint("PARKWATCH_PAGES_MAX_BYTES", MAX_FILE_BYTES),
                         settings.getbool("PARKWATCH_KEEP_LISTINGS", False))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        source = getattr(spider, "source_name", spider.name)
        self.series = PageSeries(self.root, source, self.max_bytes)
        if self.days is not None:
            self._prune(source)

    def _prune(self, source: str) -> None:
        removed = prune(self.root, source, self.days or 0)
        url = self.crawler.settings.get("PARKWATCH_DATABASE_URL")
        if removed and url:
            from pipelines.writer import writer_of

            writer_of(self.crawler).submit_logged("the pruned pages", _forget, url, removed)
        if removed:
            logger.info("pruned %d WARC files older than %d days", len(removed), self.days)

    def spider_closed(self, spider: Spider) -> None:
        if self.series is not None:
            self.series.close()

    def _keeps(self, request: Request) -> bool:
        if request.meta.get(KEEP_KEY):
            return True
        if request.callback is not None and \
                request.callback == getattr(self.crawler.spider, "parse_article", None):
            return True
        return self.listings and bool(request.meta.get("parkwatch_listing"))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 200 or self.series is None or not self._keeps(request):
            return response
        exchange, capture = exchange_of(request, response), request.meta.get(CAPTURE_KEY)
        if capture is not None:
            exchange = replace(exchange, url=capture[0], fetched_at=parse_warc_date(capture[1]))
        try:
            ref = self.series.write(pack(exchange))
        except OSError as exc:  # a full disk: the crawl goes on, the page is not kept
            self.crawler.stats.inc_value("parkwatch/pages_not_kept")
            logger.warning("could not keep %s: %s", response.url, exc)
            return response
        request.meta[META_KEY] = (KeptPage(ref, capture[0], "archive", response.url)
                                  if capture is not None else KeptPage(ref, response.url))
        self.crawler.stats.inc_value("parkwatch/pages_kept")
        return response


def _forget(database_url: str, files: list[str]) -> int:
    from archive.db import session_scope
    from archive.pages import forget_files

    with session_scope(database_url, write=True) as session:
        return forget_files(session, files)


class PageReferenceMiddleware:
    """Gives each article item the KeptPage of the response it was read from."""

    def process_spider_output(self, response: Response,
                              result: Iterable[Any]) -> Iterable[Any]:
        page = response.meta.get(META_KEY)
        for element in result:
            yield _with_page(element, page)

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        page = response.meta.get(META_KEY)
        async for element in result:
            yield _with_page(element, page)


def _with_page(element: Any, page: KeptPage | None) -> Any:
    if page is not None and hasattr(element, "page") and getattr(element, "page", None) is None:
        element.page = page
    return element
