"""The coordinator of a distributed run: seed the frontier, announce the run, re-queue the
requests of dead workers, and fold the workers' counts once the run has drained."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from crawler.distributed import registry
from crawler.distributed.frontier import ENQUEUE, dead_workers, pending, queue_once, requeue
from crawler.distributed.keys import RunKeys, connect, redis_prefix, redis_url
from crawler.distributed.settings import seed_settings
from crawler.distributed.stats import folded
from crawler.run import counts_from_stats, parse_overrides, scrapy_settings, start_pages_failed
from crawler.spiders.news import START_PAGES, NewsSpider
from foundation.profile import Profile
from foundation.settings import Settings

log = logging.getLogger(__name__)

POLL = 0.2  # seconds between looks at the run's progress
COORDINATOR_TTL = 30.0  # workers leave a run whose coordinator has not beaten for this long


@dataclass
class Outcome:
    status: str  # succeeded | failed
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    seeded: int = 0
    requeued: int = 0
    workers: int = 0


def seed(server, config: Settings, profile: Profile, keys: RunKeys, options: dict[str, Any],
         overrides: dict[str, Any]) -> int:
    """Put the spider's own start requests (listing pages with their validators) into the
    run's frontier through scrapy-redis's queue and duplicate filter; return how many."""
    settings = scrapy_settings(config, profile, overrides)
    settings.setdict(seed_settings(keys, redis_url({**config.scrapy, **overrides})),
                     priority="cmdline")
    crawler = Crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, profile=profile, **options)
    queue = PriorityQueue(server, spider, keys.requests)
    dupefilter = RFPDupeFilter(server, keys.dupefilter)

    async def collect() -> list:
        return [request async for request in spider.start()]

    enqueue = server.register_script(ENQUEUE)
    seeder = keys.inflight("seed")  # nothing is held: the step releases no member
    requests = asyncio.run(collect())
    if starts := sum(bool(r.meta.get("parkwatch_start")) for r in requests):
        server.hincrby(keys.counts, START_PAGES, starts)  # the workers count their failures
    return sum(queue_once(enqueue, dupefilter, queue, request, seeder) for request in requests)


def coordinate(config: Settings, source: str, run_id: int, *, options: dict[str, Any],
               settings: list[str], should_stop: Callable[[], str | None] = lambda: None,
               on_progress: Callable[[dict[str, int], int], None] | None = None,
               timeout: float | None = None) -> Outcome:
    """Run `source`'s run `run_id` on the workers to its end (drained, stopped or timed out).

    `should_stop()` returns a reason once the run must end early; `on_progress(counts,
    workers)` is called about every POLL seconds.
    """
    overrides = parse_overrides(settings)
    scrapy = {**config.scrapy, **overrides}
    server = connect(redis_url(scrapy))
    keys = RunKeys(redis_prefix(scrapy), source, run_id)
    profile = config.source(source)
    spider_options = {k: v for k, v in options.items()
                      if k in ("max_articles", "since", "full", "refresh") and v}
    info = registry.RunInfo(keys, {k: str(v) if k == "since" else v
                                   for k, v in spider_options.items()}, list(settings))
    registry.write_meta(server, info, COORDINATOR_TTL)
    outcome = Outcome("failed")
    started = time.monotonic()
    try:
        outcome.seeded = seed(server, config, profile, keys, spider_options, overrides)
        registry.announce(server, keys)
        log.info("run %s of %s: %d request(s) seeded", run_id, source, outcome.seeded)
        while True:
            server.set(keys.coordinator, "1", px=int(COORDINATOR_TTL * 1000))
            for worker in dead_workers(server, keys):
                count = requeue(server, keys, worker)
                outcome.requeued += count
                log.warning("run %s: worker %s is gone; %d request(s) back in the frontier",
                            run_id, worker, count)
            outcome.workers = max(outcome.workers, server.scard(keys.workers))
            if pending(server, keys) == 0:
                break
            reason = should_stop()
            if reason is None and timeout is not None and time.monotonic() - started > timeout:
                reason = f"timed out after {timeout:g}s"
            if reason:
                outcome.error = reason
                break
            if on_progress is not None:
                on_progress(counts_from_stats(folded(server, keys)), server.scard(keys.workers))
            time.sleep(POLL)  # the run's progress is polled; workers do the work
    finally:
        registry.retire(server, keys)
        stats = folded(server, keys)
        outcome.counts = counts_from_stats(stats)
        registry.forget(server, keys)
    if outcome.error is None:
        outcome.status, outcome.error = _status(outcome.counts, profile.base_url, stats)
    return outcome


def _status(counts: dict[str, int], site: str,
            stats: dict[str, int] | None = None) -> tuple[str, str | None]:
    if counts["pages"] == 0 and counts["errors"] > 0:
        return "failed", f"could not fetch any page of {site}"
    if error := start_pages_failed(counts, stats or {}, site):
        return "failed", error
    return "succeeded", None
