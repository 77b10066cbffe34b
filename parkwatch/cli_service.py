"""`parkwatch serve`, `status`, `runs`, `jobs`: the background service and its run history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape

from parkwatch.console import UserError, out, print_json, settings
from parkwatch.tables import fitted_table


def _settings():
    return settings()


def serve(
    interval: Annotated[str | None, typer.Option(
        help="Crawl every source at this interval (e.g. 20s, 6h), overriding all schedules.",
        show_default=False)] = None,
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", help="Scrapy setting NAME=VALUE for every crawl (repeatable).")] = None,
    distributed: Annotated[bool, typer.Option(
        "--distributed", help="Seed each due run into Redis for `parkwatch worker`s instead "
        "of crawling it here.")] = False,
    max_parallel: Annotated[int | None, typer.Option(
        "--max-parallel", min=1, help="Crawls at once (default: max_parallel_crawls, 4).",
        show_default=False)] = None,
) -> None:
    """Run the scheduler in the foreground (logs to stderr; SIGTERM stops it)."""
    from crawler.run import parse_overrides
    from scheduler.lock import ServiceRunning
    from scheduler.schedules import parse_interval
    from scheduler.service import Service, setup_logging

    config = _settings()
    parse_overrides(setting)
    every = parse_interval(interval) if interval else None
    if distributed:
        from crawler.distributed.keys import RedisUnavailable, connect, redis_url

        try:
            connect(redis_url({**config.scrapy, **parse_overrides(setting)}))
        except RedisUnavailable as exc:
            raise UserError(str(exc)) from None
    setup_logging()
    try:
        code = Service(config, interval=every, settings=setting or [], distributed=distributed,
                       max_parallel=max_parallel).serve()
    except ServiceRunning as exc:
        raise UserError(str(exc)) from None
    raise typer.Exit(code)


def status(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    failing: Annotated[bool, typer.Option(
        "--failing", help="Only sources that are degraded or whose last run failed.")] = False,
    source: Annotated[str | None, typer.Option(
        "--source", help="Only sources whose name matches this pattern (e.g. 'gov-*').",
        show_default=False)] = None,
    summary_only: Annotated[bool, typer.Option(
        "--summary", help="Only the summary counts.")] = False,
) -> None:
    """Each source's last run, next run and health, with summary counts."""
    from archive.db import open_archive
    from scheduler.history import source_status

    config = _settings()
    open_archive(config.database_url)
    rows = source_status(config)
    totals = status_summary(rows)
    if source and not any(_matches(r, False, source) for r in rows):
        from parkwatch.choices import refuse_unknown

        refuse_unknown("source", source, [r["source"] for r in rows])
    rows = [r for r in rows if _matches(r, failing, source)]
    if as_json:
        print_json(rows)
        return
    if summary_only:
        out.print(summary_line(totals), markup=False)
        return
    table = fitted_table("source", "health", "last run", "next run", "schedule", "now",
                         wrap=["source", "health"])
    for r in rows:
        last = r["last_run"]
        last_text = (f"{last['id']} {last['status']} {_short_time(last['finished_at'])[:11]} "
                     f"+{last['new']}" if last else "-")
        now = [f"running (run {r['running_run']})"] if r["running_run"] else []
        if r["queued"]:
            now.append(f"{r['queued']} queued")
        health = r["health"] + (": " + "; ".join(r["reasons"]) if r["reasons"] else "")
        table.add_row(escape(f"{r['source']}\n{r['base_url']}"), escape(health), last_text,
                      _short_time(r["next_run"])[:11], r["schedule"], ", ".join(now) or "idle")
    out.print(table)
    from watches.store import degraded  # a failing notification target is never silent

    for line in degraded(config.database_url):
        out.print(f"watch degraded: {line}", markup=False)
    shown = f"{len(rows)} shown · " if failing or source else ""
    out.print(shown + summary_line(totals), markup=False)


def _failing(row: dict) -> bool:
    last = row["last_run"]
    return row["health"] == "degraded" or bool(last and last["status"] == "failed")


def _matches(row: dict, failing: bool, pattern: str | None) -> bool:
    from fnmatch import fnmatchcase

    if failing and not _failing(row):
        return False
    return not pattern or fnmatchcase(row["source"], pattern) or pattern == row["source"]


def status_summary(rows: list[dict]) -> dict[str, int]:
    """Counts over all sources: by health, failing, running, queued, never run."""
    totals = {"sources": len(rows), "ok": 0, "degraded": 0, "unknown": 0, "failing": 0,
              "running": 0, "queued": 0, "never_run": 0}
    for r in rows:
        totals[r["health"]] = totals.get(r["health"], 0) + 1
        totals["failing"] += _failing(r)
        totals["running"] += bool(r["running_run"])
        totals["queued"] += r["queued"]
        totals["never_run"] += r["last_run"] is None
    return totals


def summary_line(t: dict[str, int]) -> str:
    return (f"{t['sources']} source(s): {t['ok']} ok, {t['degraded']} degraded, "
            f"{t['unknown']} unknown · {t['failing']} failing · {t['running']} running · "
            f"{t['queued']} queued request(s) · {t['never_run']} never run")


def runs(
    as_json: Annotated[bool, typer.Option("--json", help="JSON array of runs.")] = False,
    source: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=1_000_000)] = 20,
) -> None:
    """List crawl runs, newest first, with their counts."""
    from archive.db import open_archive
    from parkwatch.choices import check_source
    from scheduler.history import list_runs

    config = _settings()
    open_archive(config.database_url)
    check_source(config, source)
    rows = list_runs(config.database_url, source, limit)
    if as_json:
        print_json(rows)
        return
    table = fitted_table("id", "source", "trigger", "status", "started (UTC)", "took", "pages",
                         "new", "upd", "dup", "skip", "err", wrap=["source"])
    for r in rows:
        table.add_row(str(r["id"]), escape(r["source"]), r["trigger"], r["status"],
                      _short_time(r["started_at"]), _took(r["started_at"], r["finished_at"]),
                      str(r["pages"]), str(r["new"]), str(r["updated"]), str(r["duplicates"]),
                      str(r["skipped"]), str(r["errors"]))
    out.print(table)
    for r in rows:  # a run's error is free text: on lines of its own, below the table
        if r["error"]:
            out.print(f"run {r['id']}: [red]{escape(r['error'])}[/red]")
    out.print(f"{len(rows)} run(s)")


def _short_time(stamp: str | None) -> str:
    """2026-11-28T18:48:15.26+00:00 → 11-28 18:48:15"""
    return stamp[5:19].replace("T", " ") if stamp else "-"


def _took(started: str | None, finished: str | None) -> str:
    if not (started and finished):
        return "-"
    seconds = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    return f"{seconds:.0f}s" if seconds < 120 else f"{seconds / 60:.0f}m"


def jobs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The service's stored schedules and their next run times."""
    from archive.db import open_archive
    from scheduler.jobtable import stored_jobs

    config = _settings()
    open_archive(config.database_url)
    rows = [{"id": j.id, "schedule": j.schedule, "function": j.func_ref, "args": j.args,
             "next_run": j.next_run.isoformat() if j.next_run else None}
            for j in stored_jobs(config.database_url)]
    if as_json:
        print_json(rows)
        return
    table = fitted_table("source", "schedule", "next run", "function",
                         wrap=["source", "function"])
    for r in rows:
        table.add_row(r["id"], r["schedule"], r["next_run"] or "paused", r["function"])
    out.print(table)
    if not rows:
        out.print("no jobs stored yet: `parkwatch serve` creates them")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `parkwatch` app."""
    for command in (serve, status, runs, jobs):
        app.command()(command)
