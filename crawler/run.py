"""Run one crawl of one source in this process and record it in crawl_runs.

A Twisted reactor cannot restart, so every crawl needs a fresh process: the CLI is one, and the
service starts `python -m crawler.run SOURCE --run-id N` as a child for each run.
"""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import signal as os_signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from archive.db import StorageError, ensure_schema, redact, url_password
from crawler.runs import (  # noqa: F401 - start_run is imported from here by callers
    EVERY_START_PAGE_FAILED,
    Ballast,
    fail_dead_runs,
    finish_run,
    start_run,
    start_run_at,
)
from crawler.spiders.news import START_ERROR, START_FAILED, START_PAGES, NewsSpider
from foundation.profile import Profile
from foundation.settings import ConfigError, Settings, load_settings

log = logging.getLogger(__name__)

STOPPING = "stopping after in-flight pages… (Ctrl-C again to stop now)"


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
    check_overrides(overrides)
    environment_settings()  # a bad value there fails here too, before any crawl starts
    return overrides


# Scrapy settings that the environment may set too (above the config file, below -s): what an
# operator tunes per machine rather than per archive.
FROM_ENVIRONMENT = ("PARKWATCH_PARSE_WORKERS",)


def environment_settings() -> dict[str, int]:
    """{name: value} of FROM_ENVIRONMENT set in the environment; ConfigError on a bad one."""
    found = {}
    for name in FROM_ENVIRONMENT:
        value = os.environ.get(name, "").strip()
        if value:
            found[name] = _processes(name, value, "environment ")
    return found


def _processes(name: str, value: str, where: str = "") -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigError(f"bad {where}setting {name}={value!r}: expected a whole number of "
                          "processes, 0 or more (0: parse in the crawl's own process)")
    return number


# Numeric Scrapy settings that must be at least 1; the others must be >= 0 unless they are
# priorities (which may be negative).
AT_LEAST_ONE = {"CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_ITEMS",
                "REACTOR_THREADPOOL_MAXSIZE", "DOWNLOAD_TIMEOUT"}
TRUE_FALSE = {"1", "0", "true", "false", "yes", "no", "on", "off"}


def _default(name: str) -> Any:
    from scrapy.settings import default_settings

    from crawler import settings as ours

    return getattr(ours, name, getattr(default_settings, name, None))


# Settings parkwatch sets or reads without a default in crawler/settings.py (the run's own
# and scrapy-redis's, see crawler/distributed/settings.py).
SET_AT_RUN_TIME = ("PARKWATCH_DATABASE_URL", "PARKWATCH_SOURCE", "PARKWATCH_RUN_ID",
                   "PARKWATCH_WORKER_ID", "PARKWATCH_HEARTBEAT_EVERY", "REDIS_URL",
                   "SCHEDULER_QUEUE_CLASS", "SCHEDULER_QUEUE_KEY", "SCHEDULER_DUPEFILTER_KEY",
                   "SCHEDULER_PERSIST", "SCHEDULER_FLUSH_ON_START", "SCHEDULER_IDLE_BEFORE_CLOSE")


@cache
def known_settings() -> frozenset[str]:
    """Every setting name a crawl knows: Scrapy's defaults, parkwatch's (crawler/settings.py,
    the environment's) and those set at run time."""
    from scrapy.settings import default_settings

    from crawler import settings as ours

    names = {n for module in (default_settings, ours) for n in dir(module) if n.isupper()}
    return frozenset(names | set(FROM_ENVIRONMENT) | set(SET_AT_RUN_TIME))


def check_name(name: str) -> None:
    """ConfigError for a setting no part of a crawl reads, with the closest known name."""
    known = known_settings()
    if name in known:
        return
    close = difflib.get_close_matches(name.upper(), sorted(known), n=1, cutoff=0.75)
    hint = (f"did you mean {close[0]}?" if close
            else "not one of Scrapy's or parkwatch's settings")
    raise ConfigError(f"unknown setting {name} ({hint})")


def check_overrides(overrides: dict[str, str]) -> None:
    """Check -s names against the known settings and values against the type of the
    setting's default, before any crawl starts: ConfigError with one line
    (DOWNLAOD_DELAY=0, DOWNLOAD_DELAY=abc, CONCURRENT_REQUESTS=-1, LOG_LEVEL=LOUD)."""
    for name, value in overrides.items():
        check_name(name)
        default = _default(name)
        bad = f"bad Scrapy setting {name}={value!r}: "
        if name in FROM_ENVIRONMENT:
            _processes(name, value, "Scrapy ")
        elif name == "LOG_LEVEL":
            if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
                raise ConfigError(bad + "expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        elif isinstance(default, bool):
            if value.lower() not in TRUE_FALSE:
                raise ConfigError(bad + "expected True or False")
        elif isinstance(default, int | float):
            try:
                number = float(value) if isinstance(default, float) else int(value)
            except ValueError:
                kind = "a number" if isinstance(default, float) else "a whole number"
                raise ConfigError(bad + f"expected {kind}") from None
            if number != number or number in (float("inf"), float("-inf")):
                raise ConfigError(bad + "expected a finite number")
            least = 1 if name in AT_LEAST_ONE else 0
            if number < least and "PRIORITY" not in name:
                raise ConfigError(bad + f"must be at least {least}")


def scrapy_settings(
    config: Settings, profile: Profile, overrides: dict[str, Any]
) -> ScrapySettings:
    settings = ScrapySettings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("USER_AGENT", config.user_agent, priority="project")
    settings.setdict(config.scrapy, priority="project")
    settings.setdict(environment_settings(), priority="project")
    settings.set("PARKWATCH_DATABASE_URL", config.database_url, priority="project")
    settings.set("PARKWATCH_SOURCE", profile.name, priority="project")
    if not settings.get("PARKWATCH_PAGES_DIR"):  # the archive's own home, as reread reads it
        settings.set("PARKWATCH_PAGES_DIR", str(config.home / "pages"), priority="project")
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
        "skipped": get("parkwatch/skipped") + get("item_dropped_count")
        + get("parkwatch/origin_refused") + get("parkwatch/guard_skipped"),
        "errors": get("parkwatch/errors"),
    }


def drop_tracebacks(record: logging.LogRecord) -> bool:
    """Log lines stay one line each: a failing page is reported, not dumped."""
    if isinstance(record.msg, str) and TRACEBACK in record.msg:  # Scrapy pastes some in
        record.msg = record.msg.split(TRACEBACK, 1)[0].rstrip()
    if record.exc_info and record.exc_info[1] is not None:
        record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    return True


TRACEBACK = "Traceback (most recent call last):"


def redact_record(record: logging.LogRecord, secrets: tuple[str, ...]) -> None:
    """The record's message with URL passwords and the known secrets masked."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a record whose args do not fit its format
        message = f"{record.msg} {record.args}"
    cleaned = redact(message, *secrets)
    if cleaned != message or record.args:
        record.msg, record.args = cleaned, ()


def lowest_handler_level(name: str) -> int:
    """The lowest level any handler that a record of logger `name` reaches writes."""
    logger: logging.Logger | None = logging.getLogger(name)
    lowest = logging.CRITICAL + 1
    while logger is not None:
        for handler in logger.handlers:
            lowest = min(lowest, handler.level)
        if not logger.propagate:
            break
        logger = logger.parent
    return lowest


def guard_log_records(one_line: bool = True, secrets: tuple[str, ...] = ()) -> None:
    """Every log record of this process has its secrets masked and, when `one_line`, drops its
    traceback (Scrapy re-installs its handler per crawl, so a handler filter would not stay)."""
    make_record = logging.getLogRecordFactory()
    base = getattr(make_record, "parkwatch_base", make_record)

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = base(*args, **kwargs)
        if record.levelno < lowest_handler_level(record.name):
            return record  # no handler will write it (Scrapy's per-item DEBUG lines)
        if one_line:
            drop_tracebacks(record)
        redact_record(record, secrets)
        return record

    factory.parkwatch_base = base  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def one_line_log_records() -> None:
    guard_log_records(one_line=True)


class CrawlProcess(CrawlerProcess):
    """CrawlerProcess that says at once what the first Ctrl-C does and remembers it."""

    interrupted: str | None = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.interrupted = os_signal.Signals(signum).name
        if signum == os_signal.SIGINT:
            os.write(2, f"\n{STOPPING}\n".encode())
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        if signum == os_signal.SIGINT:
            os.write(2, b"stopping now\n")
        super()._signal_kill(signum, frame)


def _status(counts: dict[str, int], reason: str | None, site: str,
            stats: dict[str, Any] | None = None) -> tuple[str, str | None]:
    stats = stats or {}
    if reason == "database_error":
        return "failed", f"storage failed: {stats.get('parkwatch/storage_error', 'unknown')}"
    if reason not in ("finished", "closespider_itemcount", "closespider_pagecount"):
        return "failed", f"crawl ended early: {reason or 'unknown reason'}"
    if counts["pages"] == 0 and stats.get("parkwatch/robotstxt_unreachable"):
        return "failed", (f"could not fetch any page of {site}: its robots.txt is "
                          "unreachable (RFC 9309: nothing else is fetched until it answers)")
    if counts["pages"] == 0 and counts["errors"] > 0:
        return "failed", f"could not fetch any page of {site}"
    if counts["pages"] == 0 and stats.get("robotstxt/forbidden"):
        return "failed", f"robots.txt of {site} disallows every page parkwatch would fetch"
    if error := start_pages_failed(counts, stats, site):
        return "failed", error
    return "succeeded", None


def start_pages_failed(counts: dict[str, int], stats: dict[str, Any], site: str) -> str | None:
    """The reason a run failed when every start page failed and it stored nothing, else None
    (a crawl's or a distributed run's summed stats)."""
    started, failed = int(stats.get(START_PAGES) or 0), int(stats.get(START_FAILED) or 0)
    stored = counts["new"] + counts["updated"] + counts["unchanged"]
    if not started or failed < started or stored or stats.get("parkwatch/article_pages"):
        return None
    first = f"; first: {stats[START_ERROR]}" if stats.get(START_ERROR) else ""
    return (f"{EVERY_START_PAGE_FAILED} of {site} failed ({failed} of {started}{first}): "
            "check the source's base_url, sections and start_pages")


def record_outcome(url: str, run_id: int, status: str, counts: dict[str, int],
                   error: str | None, ballast: Ballast | None = None, tries: int = 3,
                   wait: float = 1.0, keep_reason: bool = False) -> None:
    """finish_run, tried again after 1 s and 2 s: a database that blinked gets the outcome;
    a full disk gets the ballast's room back first."""
    import time

    for attempt in range(tries):
        try:
            finish_run(url, run_id, status, counts, error, keep_reason=keep_reason)
            return
        except Exception:
            if attempt == tries - 1:
                raise
            if ballast is not None:
                ballast.drop()
            time.sleep(wait * 2 ** attempt)  # waiting for the database to come back


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
    settings.set("PARKWATCH_RUN_ID", run_id, priority="cmdline")
    settings.set("PARKWATCH_HEARTBEAT_EVERY", config.lease_ttl / 3, priority="project")
    process = CrawlProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    guard_log_records(one_line=not settings.getbool("PARKWATCH_LOG_TRACEBACKS"),
                      secrets=tuple(x for x in (url_password(config.database_url),
                                                config.api_token) if x))
    if on_progress is not None:
        def notify(*_args, **_kwargs) -> None:
            on_progress(counts_from_stats(crawler.stats.get_stats()))

        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(notify, signal=signal, weak=False)
    error: str | None = None
    ballast = Ballast(config.database_url).make()
    try:
        process.crawl(crawler, profile=profile, max_articles=max_articles, since=since,
                      full=full, refresh=refresh)
        process.start()
    except Exception as exc:  # recorded on the run; the caller prints one line
        error = redact(f"{type(exc).__name__}: {exc}", url_password(config.database_url))
    stats = crawler.stats.get_stats() if crawler.stats else {}
    counts = counts_from_stats(stats)
    status, reason_error = _status(counts, stats.get("finish_reason"), profile.base_url,
                                   stats)
    if process.interrupted:
        how = "Ctrl-C" if process.interrupted == "SIGINT" else process.interrupted
        reason_error = f"interrupted: stopped by {how} before the crawl finished"
    error = error or reason_error
    if error:
        status = "failed"
    try:
        record_outcome(config.database_url, run_id, status, counts, error, ballast,
                       keep_reason=bool(process.interrupted))
    except Exception as exc:  # the database is gone: the next start marks the run failed
        error = f"{error or 'crawl ended'}; cannot record the run: " + \
            redact(str(exc).splitlines()[0] if str(exc) else repr(exc),
                   url_password(config.database_url))
        status = "failed"
    finally:
        ballast.drop()
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
