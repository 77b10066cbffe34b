"""A one-off crawl from the command line: this process runs it, rich shows its progress."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.text import Text

from archive.db import ensure_schema
from crawler.run import RunResult, parse_overrides, run_crawl, start_run
from foundation.profile import Profile
from foundation.settings import ConfigError, Settings
from scheduler import leases
from watches.run import after_run

log = logging.getLogger(__name__)


def _line(source: str, counts: dict[str, int]) -> Text:
    return Text.assemble(
        ("crawling ", "dim"), (source, "bold"),
        f"  pages {counts.get('pages', 0)}  new {counts.get('new', 0)}"
        f"  updated {counts.get('updated', 0)}  unchanged {counts.get('unchanged', 0)}"
        f"  skipped {counts.get('skipped', 0)}  errors {counts.get('errors', 0)}",
    )


def announce_new_archive(config: Settings, console: Console | None) -> None:
    """One line when this crawl will create a new archive; ConfigError (nothing created) when
    a SQLite archive's folder does not exist, unless it is parkwatch's home (a first crawl)."""
    from archive.db import current_revision, mask_url, sqlite_path

    path = sqlite_path(config.database_url)
    if path is not None:
        if path.exists():
            return
        home = Path(config.home).expanduser().resolve()
        if not path.parent.is_dir() and path.parent.resolve() != home:
            raise ConfigError(f"the archive's folder {path.parent} does not exist: check the "
                              "database URL (PARKWATCH_DATABASE_URL or database_url) or create "
                              "the folder (nothing was created)")
        where = str(path)
    else:
        try:
            if current_revision(config.database_url) is not None:
                return
        except Exception:  # noqa: BLE001 - unreachable: ensure_schema says so in one line
            return
        where = mask_url(config.database_url)
    (console or Console(stderr=True)).print(
        f"parkwatch: no archive at {where} yet: this crawl creates a new one", markup=False)


def crawl_now(config: Settings, source: str, settings: list[str], *,
              max_articles: int | None = None, since: date | None = None, full: bool = False,
              refresh: bool = False, quiet: bool = False, console: Console | None = None,
              wait: bool = False) -> RunResult:
    """Validate, take the source's lease, then crawl it in this process.

    ConfigError/StorageError on bad input; SourceBusy when the source is being crawled
    elsewhere (unless `wait`, which waits for that crawl to end).
    """
    overrides = parse_overrides(settings)
    profile = config.source(source)
    overrides.setdefault("LOG_LEVEL", "WARNING")
    url, holder = config.database_url, leases.holder_id()
    announce_new_archive(config, console)
    ensure_schema(url)
    source_id = leases.source_id(url, profile.name)
    waiting = False
    while not leases.acquire(url, source_id, holder, config.lease_ttl):
        if not wait:
            raise leases.SourceBusy(leases.busy_message(url, profile.name, source_id))
        if not waiting:
            waiting = True
            (console or Console(stderr=True)).print(
                f"{profile.name} is being crawled: waiting for that crawl to end", markup=False)
        time.sleep(1.0)  # waiting for another process's crawl to release the lease
    try:
        run_id = start_run(config, profile.name, "cli")
        leases.set_run(url, source_id, holder, run_id)
        with leases.Heartbeat(url, source_id, holder, config.lease_ttl, run_id):
            result = _crawl(config, source, profile, overrides, run_id,
                            max_articles=max_articles, since=since, full=full,
                            refresh=refresh, quiet=quiet, console=console)
    finally:
        try:
            leases.release(url, source_id, holder)
        except Exception as exc:  # noqa: BLE001 - the lease expires by itself (TTL)
            from archive.db import storage_error

            log.warning("cannot release the lease of %s: %s", profile.name,
                        storage_error(exc, url))
    after_run(url)  # watches: match what the run stored, deliver the outbox (never raises)
    return result


def _crawl(config: Settings, source: str, profile: Profile, overrides: dict, run_id: int, *,
           max_articles: int | None, since: date | None, full: bool, refresh: bool,
           quiet: bool, console: Console | None) -> RunResult:
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        return run_crawl(config, source, overrides=overrides, max_articles=max_articles,
                         since=since, full=full, refresh=refresh, profile=profile,
                         run_id=run_id)
    with Live(_line(source, {}), console=console, refresh_per_second=8,
              transient=True) as live:
        return run_crawl(config, source, overrides=overrides, max_articles=max_articles,
                         since=since, full=full, refresh=refresh, profile=profile,
                         run_id=run_id,
                         on_progress=lambda counts: live.update(_line(source, counts)))
