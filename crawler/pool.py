"""The CPU-bound work of an article page — parsing, facts, fingerprints — in a pool of worker
processes fed from the spider: bounded pages in flight (back-pressure on downloads), a time
limit per page (an overrunning worker is killed and replaced, the page skipped with its
reason) and bounded memory (each worker is replaced after a number of pages)."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from pebble import ProcessExpired, ProcessPool
from scrapy import signals
from scrapy.http import Response

from foundation.profile import Profile
from pipelines.items import ArticleItem

logger = logging.getLogger(__name__)
# What a worker needs, imported once in the fork server. The crawl's own process does not
# import them while the workers parse (trafilatura, lxml.html, the metric rules, numpy: about
# 0.5 s of start-up and 40 MiB in a process that only downloads and stores).
PRELOAD = ["crawler.parsing.article", "pipelines.metrics.extract", "pipelines.dedup",
           "pipelines.stages", "pipelines.dedup_stage", "numpy"]


@dataclass
class PageResult:
    """A parsed article, or why the page was skipped (`error`: not the page's fault alone)."""

    item: ArticleItem | None = None
    skipped: str | None = None
    error: bool = False
    kind: str | None = None  # what failed, for the run's counts (an exception's type)


def process_page(body: bytes, url: str, profile: Profile, charset: str | None = None,
                 facts: bool = True, fingerprints: bool = True) -> PageResult:
    """Page bytes → article with its topics, facts and fingerprint (in a worker or in-process)."""
    from crawler.parsing.article import ParseError, ReadError, parse_article
    from pipelines.dedup_stage import fingerprint_item
    from pipelines.stages import facts_of, topics_of
    from pipelines.topics import rules_for
    from pipelines.urls import canonical_url

    try:
        item = parse_article(body, url, profile, charset)
        item.canonical_url = canonical_url(url)
        topics_of(item, rules_for(profile.topics))
        if facts:
            facts_of(item)
        if fingerprints:
            fingerprint_item(item)
    except ReadError as exc:
        return PageResult(skipped=str(exc), error=True, kind=exc.kind)
    except ParseError as exc:
        return PageResult(skipped=str(exc))
    except Exception as exc:  # noqa: BLE001 - a hostile page must not end the crawl
        return PageResult(skipped=f"cannot process ({type(exc).__name__}: {str(exc)[:200]})",
                          error=True, kind=type(exc).__name__)
    return PageResult(item=item)


def default_workers() -> int:
    return min(2, os.cpu_count() or 1)


def charset_of(response: Response) -> str | None:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    return content_type.split("charset=", 1)[1].strip() if "charset=" in content_type else None


class PagePool:
    """`await pool.run(body, url, profile, charset)` → PageResult, in `workers` processes
    (0: in this process, without a time limit), at most `in_flight` pages at a time."""

    def __init__(self, workers: int, timeout: float, in_flight: int | None = None,
                 max_tasks: int = 500, facts: bool = True, fingerprints: bool = True,
                 task=process_page) -> None:
        self.workers, self.timeout, self.max_tasks, self.task = workers, timeout, max_tasks, task
        self.in_flight = in_flight or max(1, 4 * workers)
        self.facts, self.fingerprints = facts, fingerprints
        self._pool: ProcessPool | None = None
        self._slots: asyncio.Semaphore | None = None
        self._starting = threading.Lock()
        self._warming: asyncio.Future | None = None

    def _start(self) -> ProcessPool:
        with self._starting:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(PRELOAD)  # a replaced worker starts warm
                self._pool = ProcessPool(max_workers=self.workers, max_tasks=self.max_tasks,
                                         context=context)
            return self._pool

    def _warm(self, loop: asyncio.AbstractEventLoop, started: asyncio.Future) -> None:
        try:
            self._start().schedule(os.getpid)  # Pebble starts its workers at the first task
            logger.info("%d parse workers started", self.workers)
        except Exception as exc:  # noqa: BLE001 - the first page will say what is wrong
            logger.warning("parse workers did not start: %s", exc)
        finally:
            loop.call_soon_threadsafe(lambda: started.done() or started.set_result(None))

    def warm_up(self) -> None:
        """Start the workers now, while the first article pages download: in a daemon thread
        (starting them takes a second or more; nothing waits for it at exit)."""
        if self.workers > 0 and self._warming is None:
            loop = asyncio.get_event_loop()
            self._warming = loop.create_future()
            threading.Thread(target=self._warm, args=(loop, self._warming), daemon=True,
                             name="parkwatch-pool-start").start()

    async def run(self, body: bytes, url: str, profile: Profile,
                  charset: str | None = None) -> PageResult:
        args = (body, url, profile, charset, self.facts, self.fingerprints)
        if self.workers <= 0:
            return self.task(*args)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.in_flight)
        async with self._slots:  # waiting here holds the response: downloads slow down
            self.warm_up()  # a page from elsewhere (another worker's frontier) comes first
            if not self._warming.done():
                await asyncio.wait([self._warming])  # not blocking the loop meanwhile
            future = self._start().schedule(self.task, args=args, timeout=self.timeout)
            try:
                return await asyncio.wrap_future(future)
            except FutureTimeout:
                return PageResult(skipped=f"parsing took over {self.timeout:g} s "
                                          "(worker replaced)", error=True, kind="timeout")
            except ProcessExpired as exc:  # the worker died (killed, out of memory)
                return PageResult(skipped=f"parser process died ({exc})", error=True,
                                  kind="worker_died")
            except Exception as exc:  # e.g. a result that cannot be sent back
                return PageResult(skipped=f"cannot parse ({type(exc).__name__}: {exc})",
                                  error=True, kind=type(exc).__name__)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)
            self._pool = None


def _asyncio_reactor() -> bool:
    from scrapy.utils.reactor import is_asyncio_reactor_installed

    try:
        return is_asyncio_reactor_installed()
    except Exception:
        return False


class PagePoolExtension:
    """Owns the crawl's PagePool: PARKWATCH_PARSE_WORKERS processes (0 = in-process; the pool
    needs Scrapy's asyncio reactor, else pages are parsed in-process), PARKWATCH_PARSE_TIMEOUT
    seconds per page, PARKWATCH_PARSE_IN_FLIGHT pages at most in flight and
    PARKWATCH_PARSE_MAX_TASKS pages per worker before it is replaced."""

    def __init__(self, pool: PagePool) -> None:
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(pool_from_settings(crawler.settings))
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def request_scheduled(self, request, spider) -> None:
        """The workers start with the first article request, while it downloads: a run that
        finds nothing new (most scheduled runs) never starts them."""
        if request.callback == getattr(spider, "parse_article", None):
            self.pool.warm_up()

    def spider_closed(self, spider) -> None:
        self.pool.close()


def pool_from_settings(settings, workers: int | None = None) -> PagePool:
    """A PagePool as the crawl's settings describe it (`workers` overrides theirs)."""
    if workers is None:
        configured = settings.get("PARKWATCH_PARSE_WORKERS")
        workers = default_workers() if configured in (None, "") else int(configured)
    if workers and not _asyncio_reactor():
        workers = 0
    return PagePool(
        workers, settings.getfloat("PARKWATCH_PARSE_TIMEOUT", 30.0),
        settings.getint("PARKWATCH_PARSE_IN_FLIGHT", 0) or None,
        settings.getint("PARKWATCH_PARSE_MAX_TASKS", 500),
        facts=settings.getbool("PARKWATCH_METRICS_ENABLED", True),
        fingerprints=bool(settings.get("PARKWATCH_DATABASE_URL"))
        and settings.getbool("PARKWATCH_DEDUP_ENABLED", True))


def pool_of(crawler) -> PagePool:
    """The crawl's pool, or an in-process one where the extension is not enabled."""
    try:
        extension = crawler.get_extension(PagePoolExtension)
    except Exception:
        extension = None
    return extension.pool if extension is not None else pool_from_settings(crawler.settings, 0)


async def parse_response(spider, response: Response) -> PageResult:
    """The spider's article callback: the page through the pool, its outcome counted."""
    stats = spider.crawler.stats
    stats.inc_value("parkwatch/article_pages")
    result = await pool_of(spider.crawler).run(response.body, response.url, spider.profile,
                                               charset_of(response))
    if result.item is None:
        stats.inc_value("parkwatch/skipped")
        if result.error:
            stats.inc_value("parkwatch/parse_errors")
            stats.inc_value(f"parkwatch/parse_errors/{result.kind or 'unknown'}")
        if result.skipped and "took over" in result.skipped:
            stats.inc_value("parkwatch/parse_timeouts")
        spider.logger.warning("skipped %s: %s", response.url, result.skipped)
    return result
