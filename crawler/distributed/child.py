"""One worker's crawl of one run: `python -m crawler.distributed.child SOURCE --run-id N`.

A Twisted reactor cannot restart, so a worker starts one of these per run it joins. It takes
requests from the run's frontier and adds the ones it discovers there; it ends when the run is
retired (drained or stopped), and its unfinished requests go back to the frontier.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from datetime import date

from scrapy.crawler import CrawlerProcess

from archive.db import StorageError, ensure_schema, url_password
from crawler.distributed import registry
from crawler.distributed.keys import RedisUnavailable, RunKeys, connect, redis_prefix, redis_url
from crawler.distributed.settings import worker_settings
from crawler.run import counts_from_stats, guard_log_records, parse_overrides, scrapy_settings
from crawler.spiders.news import NewsSpider
from foundation.settings import ConfigError, load_settings


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def crawl_share(config, keys: RunKeys, overrides: dict[str, str]) -> dict[str, int]:
    """Crawl this worker's share of the run to its end; return the counts of this share."""
    url = redis_url({**config.scrapy, **overrides})
    server = connect(url)
    info = registry.read_meta(server, keys)
    if info is None:
        raise ConfigError(f"run {keys.run_id} of {keys.source} is not in Redis (finished?)")
    profile = config.source(keys.source)
    ensure_schema(config.database_url)
    settings = scrapy_settings(config, profile, {**parse_overrides(info.settings), **overrides})
    settings.setdict(worker_settings(keys, worker_id(), url), priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    guard_log_records(one_line=not settings.getbool("PARKWATCH_LOG_TRACEBACKS"),
                      secrets=tuple(x for x in (url_password(url),
                                                url_password(config.database_url)) if x))
    opts = info.options
    since = date.fromisoformat(opts["since"]) if opts.get("since") else None
    process.crawl(crawler, profile=profile, max_articles=opts.get("max_articles"), since=since,
                  full=bool(opts.get("full")), refresh=bool(opts.get("refresh")), frontier=True)
    process.start()
    return counts_from_stats(crawler.stats.get_stats() if crawler.stats else {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.distributed.child")
    parser.add_argument("source")
    parser.add_argument("--run-id", type=int, required=True)
    parser.add_argument("-s", "--set", action="append", default=[], dest="settings")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--parent-pid", type=int, help="end this crawl when that process ends")
    args = parser.parse_args(argv)
    try:
        config = load_settings()
        if args.parent_pid:
            from crawler.run import watch_parent

            watch_parent(config, args.parent_pid, None)
        overrides = {"LOG_LEVEL": args.log_level, **parse_overrides(args.settings)}
        keys = RunKeys(redis_prefix({**config.scrapy, **overrides}), args.source, args.run_id)
        counts = crawl_share(config, keys, overrides)
    except (ConfigError, StorageError, RedisUnavailable) as exc:
        print(f"parkwatch: error: {exc}", file=sys.stderr)
        return 2
    print(f"run {args.run_id} share of {worker_id()}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
