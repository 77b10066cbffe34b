"""Run one crawl of one source in this process and record it in crawl_runs.

A Twisted reactor cannot restart, so every crawl needs a fresh process: the CLI is one, and the
service starts `python -m crawler.run SOURCE --run-id N` as a child for each run.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from archive.db import StorageError, ensure_schema, session_scope
from archive.models import CrawlRun, utcnow
from archive.store import get_or_create_source
from crawler.config import ConfigError, Profile, Settings, load_settings
from crawler.spiders.news import NewsSpider


@dataclass
class RunResult:
    run_id: int
    source: str
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    finish_reason: str | None = None


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    """["DOWNLOAD_DELAY=0", ...] → {"DOWNLOAD_DELAY": "0"}; ConfigError on a malformed pair."""
    overrides = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name or not name.replace("_", "").isalnum():
            raise ConfigError(f"bad Scrapy setting {pair!r}: expected NAME=VALUE")
        overrides[name] = value.strip()
    return overrides


def scrapy_settings(
    config: Settings, profile: Profile, overrides: dict[str, Any]
) -> ScrapySettings:
    settings = ScrapySettings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("USER_AGENT", config.user_agent, priority="project")
    settings.setdict(config.scrapy, priority="project")
    settings.set("PARKWATCH_DATABASE_URL", config.database_url, priority="project")
    settings.set("PARKWATCH_SOURCE", profile.name, priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def counts_from_stats(stats: dict[str, Any]) -> dict[str, int]:
    get = lambda key: int(stats.get(key, 0) or 0)  # noqa: E731
    listing, articles = get("parkwatch/listing_pages"), get("parkwatch/article_pages")
    return {
        "pages": listing + articles,
        "listing_pages": listing,
        "listing_changed": get("parkwatch/listing_changed"),
        "listing_read": get("parkwatch/listing_read"),
        "listing_links": get("parkwatch/listing_links"),
        "new": get("parkwatch/new"),
        "updated": get("parkwatch/updated"),
        "unchanged": get("parkwatch/unchanged"),
        "duplicates": get("parkwatch/duplicate"),
        "skipped": get("parkwatch/skipped") + get("item_dropped_count"),
        "errors": get("parkwatch/errors"),
    }


def drop_tracebacks(record: logging.LogRecord) -> bool:
    """Log lines stay one line each: a failing page is reported, not dumped."""
    if record.exc_info and record.exc_info[1] is not None:
        record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    return True


def one_line_log_records() -> None:
    """Every log record of this process drops its traceback (Scrapy re-installs its handler
    per crawl, so a handler filter would not stay)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "parkwatch", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        drop_tracebacks(record)
        return record

    factory.parkwatch = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def start_run(config: Settings, source: str, trigger: str) -> int:
    with session_scope(config.database_url, write=True) as session:
        source_row = get_or_create_source(session, source)
        run = CrawlRun(source_id=source_row.id, trigger=trigger, status="running",
                       started_at=utcnow(), heartbeat_at=utcnow(), pid=os.getpid())
        session.add(run)
        session.flush()
        return run.id


def finish_run(config: Settings, run_id: int, status: str, counts: dict[str, int],
               error: str | None) -> None:
    with session_scope(config.database_url, write=True) as session:
        run = session.get(CrawlRun, run_id)
        if run is None:
            return
        run.status, run.error, run.finished_at = status, error, utcnow()
        for name, value in counts.items():
            setattr(run, name, value)


def _status(counts: dict[str, int], reason: str | None, site: str) -> tuple[str, str | None]:
    if reason not in ("finished", "closespider_itemcount", "closespider_pagecount"):
        return "failed", f"crawl ended early: {reason or 'unknown reason'}"
    if counts["pages"] == 0 and counts["errors"] > 0:
        return "failed", f"could not fetch any page of {site}"
    return "succeeded", None


def run_crawl(
    config: Settings,
    source: str,
    *,
    overrides: dict[str, Any] | None = None,
    max_articles: int | None = None,
    since: date | None = None,
    full: bool = False,
    refresh: bool = False,
    trigger: str = "cli",
    run_id: int | None = None,
    profile: Profile | None = None,
    on_progress: Callable[[dict[str, int]], None] | None = None,
) -> RunResult:
    """Crawl one source to completion in this process (call once per process)."""
    profile = profile or config.source(source)
    ensure_schema(config.database_url)
    if run_id is None:
        run_id = start_run(config, profile.name, trigger)
    settings = scrapy_settings(config, profile, overrides or {})
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    if not settings.getbool("PARKWATCH_LOG_TRACEBACKS"):
        one_line_log_records()
    if on_progress is not None:
        def notify(*_args, **_kwargs) -> None:
            on_progress(counts_from_stats(crawler.stats.get_stats()))

        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(notify, signal=signal, weak=False)
    error: str | None = None
    try:
        process.crawl(crawler, profile=profile, max_articles=max_articles, since=since,
                      full=full, refresh=refresh)
        process.start()
    except Exception as exc:  # recorded on the run; the caller prints one line
        error = f"{type(exc).__name__}: {exc}"
    stats = crawler.stats.get_stats() if crawler.stats else {}
    counts = counts_from_stats(stats)
    status, reason_error = _status(counts, stats.get("finish_reason"), profile.base_url)
    error = error or reason_error
    if error:
        status = "failed"
    finish_run(config, run_id, status, counts, error)
    return RunResult(run_id, profile.name, status, counts, error, stats.get("finish_reason"))


def watch_parent(config: Settings, parent_pid: int, run_id: int | None,
                 every: float = 1.0) -> None:
    """A child of the service ends itself (its run marked failed) when the service dies."""
    import contextlib
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(every)
        if run_id is not None:
            # If this fails too, the service marks the run failed when it restarts.
            with contextlib.suppress(Exception):
                finish_run(config, run_id, "failed", {}, "interrupted: the service died")
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    """Child-process entry point: `python -m crawler.run SOURCE [--run-id N] [-s K=V]`."""
    parser = argparse.ArgumentParser(prog="python -m crawler.run")
    parser.add_argument("source")
    parser.add_argument("--run-id", type=int)
    parser.add_argument("--trigger", default="schedule")
    parser.add_argument("-s", "--set", action="append", default=[], dest="settings")
    parser.add_argument("--max-articles", type=int)
    parser.add_argument("--since", type=date.fromisoformat)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--parent-pid", type=int, help="end this crawl when that process ends")
    args = parser.parse_args(argv)
    try:
        config = load_settings()
        if args.parent_pid:
            watch_parent(config, args.parent_pid, args.run_id)
        overrides = {"LOG_LEVEL": args.log_level, **parse_overrides(args.settings)}
        result = run_crawl(config, args.source, overrides=overrides,
                           max_articles=args.max_articles, since=args.since, full=args.full,
                           refresh=args.refresh, trigger=args.trigger, run_id=args.run_id)
    except (ConfigError, StorageError) as exc:
        print(f"parkwatch: error: {exc}", file=sys.stderr)
        return 2
    print(f"run {result.run_id} {result.status}: {result.counts}", file=sys.stderr)
    return 0 if result.status == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
