"""The Scrapy settings that turn one crawl into a worker's share of a distributed run."""

from __future__ import annotations

from typing import Any

from crawler.distributed.keys import RunKeys


def worker_settings(keys: RunKeys, worker: str, redis_url: str) -> dict[str, Any]:
    """scrapy-redis's scheduler and duplicate filter on the run's keys, plus parkwatch's
    in-flight tracking, summed counts and shared host limits."""
    return {
        "SCHEDULER": "crawler.distributed.frontier.FrontierScheduler",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "SCHEDULER_PERSIST": True,  # a worker leaving must not clear the shared frontier
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on an empty frontier
        "REDIS_URL": redis_url,
        "STATS_CLASS": "crawler.distributed.stats.RunStatsCollector",
        "PARKWATCH_REDIS_PREFIX": keys.prefix,
        "PARKWATCH_RUN_ID": keys.run_id,
        "PARKWATCH_WORKER_ID": worker,
    }


def seed_settings(keys: RunKeys, redis_url: str) -> dict[str, Any]:
    """What the coordinator needs to build the run's first requests the way a worker would."""
    return {"SCHEDULER_DUPEFILTER_KEY": keys.dupefilter, "REDIS_URL": redis_url,
            "PARKWATCH_REDIS_PREFIX": keys.prefix, "PARKWATCH_RUN_ID": keys.run_id}
