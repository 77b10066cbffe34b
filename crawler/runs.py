"""Run records in crawl_runs: start, heartbeat, finish, and failing runs whose process is gone."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from archive.db import redact, session_scope, url_password
from archive.models import CrawlRun, utcnow
from archive.store import get_or_create_source
from foundation.settings import Settings

EVERY_START_PAGE_FAILED = "every start page"  # how such a run's error begins (health reads it)

log = logging.getLogger(__name__)


def pid_alive(pid: int | None) -> bool:
    """Is process `pid` on this host running (zombies count as dead)?"""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def process_started(pid: int) -> datetime | None:
    """When process `pid` started (from /proc), None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as f:
            boot = next(int(line.split()[1]) for line in f if line.startswith("btime"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def why_gone(pid: int | None, host: str | None, heartbeat: datetime | None, now: datetime,
             ttl: float) -> str | None:
    """Why a `running` run is not running any more, or None while it may still run.

    On this host its pid tells (a pid reused after a reboot started after the run's last
    heartbeat); elsewhere, or without a pid, a heartbeat older than the lease TTL does.
    """
    stale = heartbeat is None or _aware(heartbeat) < now - timedelta(seconds=ttl)
    if host == socket.gethostname() and pid:
        if not pid_alive(pid):
            return f"interrupted: process {pid} is gone"
        started = process_started(pid)
        if stale and heartbeat is not None and started is not None and \
                started > _aware(heartbeat) + timedelta(seconds=1):
            return f"interrupted: process {pid} is gone (its pid now belongs to another process)"
        return None
    if stale:
        since = _aware(heartbeat).isoformat(timespec="seconds") if heartbeat else "never"
        return (f"interrupted: no heartbeat from {host or 'its process'} since {since} "
                f"(lease TTL {ttl:g}s)")
    return None


def fail_dead_runs(url: str, ttl: float) -> dict[int, str]:
    """Mark runs left `running` whose process is gone failed, with the reason; {id: reason}."""
    now = utcnow()
    with session_scope(url) as session:
        running = session.execute(select(CrawlRun.id, CrawlRun.pid, CrawlRun.host,
                                         CrawlRun.heartbeat_at, CrawlRun.started_at)
                                  .where(CrawlRun.status == "running")).all()
    failed: dict[int, str] = {}
    for run_id, pid, host, heartbeat, started in running:
        reason = why_gone(pid, host, heartbeat or started, now, ttl)
        if reason and fail_run(url, run_id, reason):
            failed[run_id] = reason
            log.warning("run %s marked failed: %s", run_id, reason)
    return failed


def fail_run(url: str, run_id: int, reason: str) -> bool:
    """Mark one run failed if it is still `running`; True when it was."""
    with session_scope(url, write=True) as session:
        return session.execute(
            update(CrawlRun).where(CrawlRun.id == run_id, CrawlRun.status == "running")
            .values(status="failed", finished_at=utcnow(), error=reason)).rowcount == 1


def start_run(config: Settings, source: str, trigger: str) -> int:
    return start_run_at(config.database_url, source, trigger, config.lease_ttl)


def start_run_at(url: str, source: str, trigger: str, ttl: float) -> int:
    """A new `running` run row for this process; runs whose process is gone are failed first."""
    fail_dead_runs(url, ttl)
    with session_scope(url, write=True) as session:
        source_row = get_or_create_source(session, source)
        run = CrawlRun(source_id=source_row.id, trigger=trigger, status="running",
                       started_at=utcnow(), heartbeat_at=utcnow(), pid=os.getpid(),
                       host=socket.gethostname())
        session.add(run)
        session.flush()
        return run.id


def finish_run(config: Settings | str, run_id: int, status: str, counts: dict[str, int],
               error: str | None, *, keep_reason: bool = False) -> None:
    """Record the run's outcome. With `keep_reason` (a crawl stopped by a signal), a reason
    its stopper stamped on the row first (`stamp_reason`) stays the run's error."""
    url = config if isinstance(config, str) else config.database_url
    if error:
        error = redact(error, url_password(url))
    with session_scope(url, write=True) as session:
        run = session.get(CrawlRun, run_id)
        if run is None:
            return
        if keep_reason and run.status == "running" and run.error:
            error = run.error
        run.status, run.error, run.finished_at = status, error, utcnow()
        for name, value in counts.items():
            setattr(run, name, value)


def fail_if_running(url: str, run_id: int, error: str) -> None:
    """Close a run as failed unless it is closed already (an interrupt may come before or
    after the code that closes it)."""
    with session_scope(url, write=True) as session:
        session.execute(update(CrawlRun).where(CrawlRun.id == run_id,
                                               CrawlRun.status == "running")
                        .values(status="failed", error=redact(error, url_password(url)),
                                finished_at=utcnow()))


def stamp_reason(url: str, run_id: int, reason: str) -> None:
    """Say on a running run why it is about to be stopped, before its process is signalled,
    so that the run never reads as plainly interrupted, even for a moment."""
    with session_scope(url, write=True) as session:
        session.execute(update(CrawlRun).where(CrawlRun.id == run_id,
                                               CrawlRun.status == "running")
                        .values(error=redact(reason, url_password(url))))


class RunHeartbeat:
    """A thread that stamps the run's heartbeat_at every `every` seconds while a crawl runs."""

    def __init__(self, url: str, run_id: int, every: float) -> None:
        self.url, self.run_id, self.every = url, run_id, max(0.2, every)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="run-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with session_scope(self.url, write=True) as session:
                    session.execute(update(CrawlRun).where(CrawlRun.id == self.run_id)
                                    .values(heartbeat_at=utcnow()))
            except Exception as exc:  # noqa: BLE001 - the database may blink; beat again
                log.warning("heartbeat of run %s failed: %s", self.run_id,
                            redact(str(exc).splitlines()[0] if str(exc) else repr(exc)))

    def start(self) -> RunHeartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)


class Ballast:
    """A 256 KiB file beside a SQLite archive, made when a crawl starts and dropped when it
    ends: when the disk fills up mid-crawl, dropping it first leaves room to record the run."""

    SIZE = 256 * 1024

    def __init__(self, url: str) -> None:
        from archive.db import sqlite_path

        db = sqlite_path(url)
        self.path = db.with_name(db.name + "-parkwatch-ballast") if db else None

    def make(self) -> Ballast:
        if self.path is not None:
            try:
                self.path.write_bytes(b"\0" * self.SIZE)
            except OSError:  # no room even for that: nothing to give back later
                self.drop()
        return self

    def drop(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
