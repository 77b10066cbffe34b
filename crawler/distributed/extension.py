"""FrontierExtension: keeps a worker's crawl of one run open while the run is active, beats
its heartbeat, releases finished requests, and wakes the engine when the frontier refills."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawler.distributed.keys import RunKeys, active_runs_key

if TYPE_CHECKING:  # scrapy_redis is loaded by the worker's scheduler, not by a plain crawl
    from crawler.distributed.frontier import FrontierScheduler

log = logging.getLogger(__name__)


class FrontierExtension:
    """On in a worker's crawl (PARKWATCH_WORKER_ID set), off everywhere else."""

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.keys = RunKeys(settings.get("PARKWATCH_REDIS_PREFIX"),
                            settings.get("PARKWATCH_SOURCE"), settings.getint("PARKWATCH_RUN_ID"))
        self.worker = settings.get("PARKWATCH_WORKER_ID")
        self.ttl_ms = int(settings.getfloat("PARKWATCH_WORKER_TTL") * 1000)
        self.tick = settings.getfloat("PARKWATCH_FRONTIER_TICK")
        self.active_key = active_runs_key(self.keys.prefix)
        self._stop = threading.Event()
        self._loop: task.LoopingCall | None = None
        self._beat: threading.Thread | None = None
        self.closing = False
        self.server = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("PARKWATCH_WORKER_ID"):
            raise NotConfigured  # silent: only a worker's crawl uses it
        return cls(crawler)

    @property
    def scheduler(self) -> FrontierScheduler:
        return self.crawler.engine._slot.scheduler  # the engine's scheduler of this crawl

    def opened(self, spider) -> None:
        server = self.server = self.scheduler.server
        pipe = server.pipeline(transaction=True)  # alive before it holds anything
        pipe.set(self.keys.alive(self.worker), "1", px=self.ttl_ms)
        pipe.sadd(self.keys.workers, self.worker)
        pipe.execute()
        self._beat = threading.Thread(target=self._heartbeat, args=(server,),
                                      name="worker-heartbeat", daemon=True)
        self._beat.start()
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(self.tick, now=False)

    def _heartbeat(self, server) -> None:
        """A thread, so a page that keeps the reactor busy does not make the worker look dead."""
        while not self._stop.wait(self.ttl_ms / 4000):
            try:
                if not server.set(self.keys.alive(self.worker), "1", px=self.ttl_ms, xx=True):
                    log.warning("run %s: this worker was declared dead; leaving the run",
                                self.keys.run_id)
                    self.scheduler.evicted = True
                    return
            except Exception as exc:  # Redis blinked: the next beat retries
                log.warning("worker heartbeat failed: %s", exc)

    def _tick(self) -> None:
        try:
            scheduler = self.scheduler
            scheduler.sweep()
            engine = self.crawler.engine
            if self.closing:
                return
            active = scheduler.server.sismember(self.active_key, self.keys.token)
            if not active or scheduler.evicted:
                self.closing = True
                reason = "finished" if not active else "evicted"
                deferred_from_coro(engine.close_spider_async(reason=reason))
                return
            if not engine.needs_backout() and len(scheduler.queue):
                # Scrapy looks at an idle scheduler every 5 s; the frontier is shared, so it
                # can refill at any time: ask now.
                engine._slot.nextcall.schedule()
        except Exception as exc:  # Redis blinked: the next tick retries
            log.warning("frontier tick failed: %s: %s", type(exc).__name__, exc)

    def idle(self, spider) -> None:
        """An empty frontier is not the end: other workers may add to it until the run drains."""
        if not self.closing:
            raise DontCloseSpider

    def closed(self, spider, reason) -> None:
        self._stop.set()
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        try:
            self.server.delete(self.keys.alive(self.worker))
        except Exception as exc:  # the key expires by itself
            log.warning("cannot leave run %s cleanly: %s", self.keys.run_id, exc)
