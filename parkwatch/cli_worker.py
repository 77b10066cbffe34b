"""`parkwatch worker` and `crawl --distributed`: crawls shared by workers through Redis."""

from __future__ import annotations

import signal
import sys
from typing import Annotated, Any

import typer

from parkwatch.console import UserError, settings


def worker(
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", help="Scrapy setting NAME=VALUE for every crawl (repeatable).")] = None,
    max_runs: Annotated[int, typer.Option(
        min=1, help="Runs this worker joins at once (one crawl process each).")] = 4,
) -> None:
    """Crawl for the active distributed runs in Redis (PARKWATCH_REDIS_URL) until SIGTERM."""
    from crawler.distributed.keys import RedisUnavailable, redis_prefix, redis_url
    from crawler.distributed.worker import Worker
    from crawler.run import parse_overrides
    from scheduler.service import setup_logging

    config = settings()
    overrides = parse_overrides(setting)
    scrapy = {**config.scrapy, **overrides}
    setup_logging()
    try:
        process = Worker(redis_url(scrapy), redis_prefix(scrapy), setting or [],
                         max_runs=max_runs)
    except RedisUnavailable as exc:
        raise UserError(str(exc)) from None
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, process.stop)
    raise typer.Exit(process.run())


def crawl_distributed(config, source: str, settings: list[str], options: dict[str, Any],
                      quiet: bool, console):
    """Seed a run of `source` into the frontier and wait until the workers have drained it."""
    from crawler.distributed.keys import RedisUnavailable, connect, redis_url
    from crawler.run import parse_overrides
    from crawler.runs import fail_if_running
    from parkwatch.crawling import announce_new_archive
    from scheduler import leases
    from scheduler.distributed import INTERRUPTED, run_claimed
    from scheduler.runs import RunPlan, claim

    overrides = parse_overrides(settings)
    profile = config.source(source)
    try:
        connect(redis_url({**config.scrapy, **overrides}))
    except RedisUnavailable as exc:
        raise UserError(str(exc)) from None
    announce_new_archive(config, console)
    from archive.db import ensure_schema

    ensure_schema(config.database_url)
    holder = leases.holder_id()
    claimed = claim(config, RunPlan(profile.name, "cli", list(settings), options), holder)
    if claimed is None:
        url = config.database_url
        raise UserError(leases.busy_message(url, profile.name, leases.source_id(url, source)))
    last = [0.0]

    def progress(counts: dict[str, int], workers: int) -> None:
        import time

        if quiet or time.monotonic() - last[0] < 5:
            return
        last[0] = time.monotonic()
        hint = "" if workers else " — no worker yet: start `parkwatch worker`"
        console.print(f"run {claimed.run_id}: {workers} worker(s), {counts['pages']} pages, "
                      f"{counts['new']} new{hint}", markup=False)

    try:
        result = run_claimed(config, claimed, on_progress=progress)
    except KeyboardInterrupt:  # the run is closed (failed), wherever the interrupt came: say so
        fail_if_running(config.database_url, claimed.run_id, INTERRUPTED)
        # Plain stderr, not the console: the interrupt may have landed inside one of its prints
        # and left it holding its buffer, so that nothing it prints after would show.
        sys.stderr.write(f"parkwatch: interrupted: run {claimed.run_id} of {profile.name} "
                         "closed (failed: stopped by Ctrl-C)\n")
        raise typer.Exit(130) from None
    if not quiet:
        console.print(f"run {result.run_id} drained on {result.workers} worker(s); "
                      f"{result.requeued} request(s) re-queued from lost workers", markup=False)
    return result


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `parkwatch` app."""
    app.command()(worker)
