"""`backfill` from a web archive, in this process (one reactor per process): ArchiveSpider with
the crawl's settings, its politeness made strict for an archive that serves many users — at
most PARKWATCH_ARCHIVE_RATE requests a second (default 1; no random shortening of the delay),
one at a time — and the run recorded as a crawl's is (RunRecorderExtension).

`python -m crawler.history.backfill SOURCE [--cdx URL] [--replay URL] [--from YYYY]
[--to YYYY] [--rate R] [-s NAME=VALUE]`; the CDX endpoint defaults to PARKWATCH_ARCHIVE_CDX
(the Wayback Machine's)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from archive.db import StorageError, ensure_schema
from crawler.history.cdx import WAYBACK_CDX, CdxError
from crawler.history.spider import ArchiveSpider
from crawler.run import counts_from_stats, parse_overrides, scrapy_settings
from foundation.settings import ConfigError, Settings, load_settings


def archive_settings(rate: float) -> dict[str, Any]:
    """What an archive crawl changes of the crawl's settings."""
    if not rate > 0:
        raise ConfigError(f"bad rate {rate!r}: expected requests per second above 0")
    return {"DOWNLOAD_DELAY": 1.0 / rate, "RANDOMIZE_DOWNLOAD_DELAY": False,
            "AUTOTHROTTLE_START_DELAY": 1.0 / rate,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "CONCURRENT_REQUESTS": 1,
            # the requests go to the archive, not to the source's origin
            "PARKWATCH_ORIGIN_POLICY": False}


def run_backfill(config: Settings, source: str, cdx: str | None = None,
                 replay: str | None = None, since: int | None = None,
                 until: int | None = None, rate: float | None = None,
                 overrides: dict[str, Any] | None = None,
                 on_progress: Callable[[dict[str, int]], None] | None = None) -> dict[str, int]:
    """Backfill one source from a web archive to completion → the run's counts (a crawl's,
    and `captures` listed, `known` of them stored already, `fetched`)."""
    profile = config.source(source)
    ensure_schema(config.database_url)
    settings = scrapy_settings(config, profile, overrides or {})
    rate = rate or settings.getfloat("PARKWATCH_ARCHIVE_RATE", 1.0)
    for name, value in archive_settings(rate).items():
        settings.set(name, value, priority="cmdline")
    endpoint = cdx or settings.get("PARKWATCH_ARCHIVE_CDX") or WAYBACK_CDX
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ArchiveSpider)
    if on_progress is not None:
        def notify(*_args: Any, **_kwargs: Any) -> None:
            on_progress(_counts(crawler.stats.get_stats() if crawler.stats else {}))

        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(notify, signal=signal, weak=False)
    process.crawl(crawler, profile=profile, cdx=endpoint,
                  replay=replay or settings.get("PARKWATCH_ARCHIVE_REPLAY") or None,
                  since=since, until=until)
    process.start()
    return _counts(crawler.stats.get_stats() if crawler.stats else {})


def _counts(stats: dict[str, Any]) -> dict[str, int]:
    """A crawl's counts, and what the archive listed, of it what the archive holds already,
    and what was fetched."""
    counts = counts_from_stats(stats)
    counts.update({name: int(stats.get(f"parkwatch/{key}", 0) or 0) for name, key in (
        ("captures", "archive_captures"), ("known", "archive_known"),
        ("fetched", "article_pages"))})
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.history.backfill")
    parser.add_argument("source")
    parser.add_argument("--cdx")
    parser.add_argument("--replay")
    parser.add_argument("--from", dest="since", type=int)
    parser.add_argument("--to", dest="until", type=int)
    parser.add_argument("--rate", type=float)
    parser.add_argument("-s", "--set", action="append", default=[], dest="settings")
    args = parser.parse_args(argv)
    try:
        counts = run_backfill(load_settings(), args.source, args.cdx, args.replay, args.since,
                              args.until, args.rate, parse_overrides(args.settings))
    except (ConfigError, StorageError, CdxError) as exc:
        print(f"parkwatch: error: {exc}", file=sys.stderr)
        return 2
    print(f"backfill of {args.source}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
