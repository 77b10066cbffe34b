"""RunStatsCollector: Scrapy's stats, with parkwatch's run counts also added up in Redis, so the
counts of every worker of a run sum into one crawl_runs row when the run drains."""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector

from crawler.distributed.keys import RunKeys

COUNTED = ("parkwatch/",)
ALSO = frozenset({"item_dropped_count"})


def counted(key: str) -> bool:
    return key.startswith(COUNTED) or key in ALSO


class RunStatsCollector(MemoryStatsCollector):
    """HINCRBY on the run's counts hash for every counted increment (atomic across workers)."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        from crawler.distributed.keys import connect

        settings = crawler.settings
        self.counts_key = RunKeys(settings.get("PARKWATCH_REDIS_PREFIX"),
                                  settings.get("PARKWATCH_SOURCE"),
                                  settings.getint("PARKWATCH_RUN_ID")).counts
        self.server = connect(settings.get("REDIS_URL"))

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider=None) -> None:
        super().inc_value(key, count, start)
        if counted(key):
            self.server.hincrby(self.counts_key, key, count)


def folded(server, keys: RunKeys) -> dict[str, int]:
    """The run's summed counts, as Scrapy stats (`parkwatch/new`: 12, ...)."""
    return {k.decode(): int(v) for k, v in server.hgetall(keys.counts).items()}
