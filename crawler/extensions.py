"""Scrapy extensions of parkwatch: the run's record and heartbeat, and a crawl that stops on the
first storage failure instead of dropping every later article."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy.exc import InterfaceError, OperationalError

from archive.db import StorageError, redact, storage_error, url_password

log = logging.getLogger(__name__)


class RunRecorderExtension:
    """Keeps the run's heartbeat_at fresh while the crawl runs; records the run in crawl_runs
    when nobody else does (`scrapy crawl news`: crawler.run sets PARKWATCH_RUN_ID itself)."""

    def __init__(self, crawler, url: str, run_id: int | None, every: float, ttl: float) -> None:
        self.crawler, self.url, self.run_id = crawler, url, run_id
        self.every, self.ttl = every, ttl
        self.owned = run_id is None  # started here, so finished here
        self.heartbeat = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        url = settings.get("PARKWATCH_DATABASE_URL")
        if not url or not settings.getbool("PARKWATCH_RECORD_RUNS", True):
            raise NotConfigured
        ttl = settings.getfloat("PARKWATCH_LEASE_TTL", 30.0)
        every = settings.getfloat("PARKWATCH_HEARTBEAT_EVERY", ttl / 3)
        run_id = settings.getint("PARKWATCH_RUN_ID", 0) or None
        ext = cls(crawler, url, run_id, every, ttl)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        from crawler.runs import RunHeartbeat, start_run_at

        if self.run_id is None:
            from archive.db import ensure_schema

            ensure_schema(self.url)
            source = self.crawler.settings.get("PARKWATCH_SOURCE") or \
                getattr(spider, "source_name", spider.name)
            self.run_id = start_run_at(self.url, source, "scrapy", self.ttl)
            log.info("recording this crawl as run %s", self.run_id)
        self.heartbeat = RunHeartbeat(self.url, self.run_id, self.every).start()

    def spider_closed(self, spider, reason: str) -> None:
        from crawler.run import _status, counts_from_stats
        from crawler.runs import finish_run

        if self.heartbeat is not None:
            self.heartbeat.stop()
        if not self.owned or self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        counts = counts_from_stats(stats)
        base = getattr(getattr(spider, "profile", None), "base_url", spider.name)
        status, error = _status(counts, reason, base, stats)
        try:
            finish_run(self.url, self.run_id, status, counts, error)
        except Exception as exc:  # noqa: BLE001 - the next start marks it failed
            log.error("cannot record run %s: %s", self.run_id, storage_error(exc, self.url))


# The archive itself failing (disk full, server gone, file unwritable) — not one row refused.
STORAGE_FAILURES = (StorageError, OperationalError, InterfaceError, OSError)


class StorageGuardExtension:
    """The first article the archive refuses (disk full, database gone) ends the crawl with
    reason `database_error`; the one-line cause is kept in stats for the run record."""

    def __init__(self, crawler, url: str | None) -> None:
        self.crawler, self.url = crawler, url

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PARKWATCH_STOP_ON_STORAGE_ERROR", True):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.get("PARKWATCH_DATABASE_URL"))
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        return ext

    def item_error(self, item, response, spider, failure) -> None:
        exc = failure.value
        if not isinstance(exc, STORAGE_FAILURES):
            return
        stats = self.crawler.stats
        if stats.get_value("parkwatch/storage_error"):
            return
        message = str(storage_error(exc, self.url)) if not isinstance(exc, StorageError) \
            else str(exc)
        message = redact(message, url_password(self.url or ""))
        stats.set_value("parkwatch/storage_error", message)
        log.error("the archive refused an article, stopping the crawl: %s", message)
        from scrapy.utils.defer import deferred_from_coro

        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="database_error"))
