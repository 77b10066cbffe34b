"""Database leases: at most one crawl of a source at a time, across processes and machines.

A lease row per source (PK source_id) is taken by INSERT, or by UPDATE when it has expired or its
holder is a dead process on this host; a heartbeat extends it. Works the same on SQLite and
PostgreSQL because both serialise the competing writes on that one row.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from archive.db import session_scope
from archive.models import CrawlRun, Lease, utcnow
from archive.store import get_or_create_source
from crawler.runs import fail_dead_runs, fail_run, pid_alive

log = logging.getLogger(__name__)

# A running run that holds no lease and whose heartbeat is older than this was interrupted
# (the default lease TTL; runs on this host are judged by their pid first).
STALE_AFTER = 30.0


class SourceBusy(Exception):
    """The source is being crawled by someone else; the message is one line."""


@dataclass(frozen=True)
class LeaseInfo:
    source_id: int
    holder: str
    run_id: int | None
    acquired_at: datetime
    expires_at: datetime


def holder_id() -> str:
    """This process, as a lease holder: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def holder_dead(holder: str) -> bool:
    """True only when the holder is a process on this host that no longer runs."""
    host, _, pid = holder.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not pid_alive(int(pid))


def source_id(url: str, source: str) -> int:
    with session_scope(url, write=True) as session:
        return get_or_create_source(session, source).id


def current(url: str, source_id: int) -> LeaseInfo | None:
    with session_scope(url) as session:
        lease = session.get(Lease, source_id)
        if lease is None:
            return None
        return LeaseInfo(lease.source_id, lease.holder, lease.run_id, aware(lease.acquired_at),
                         aware(lease.expires_at))


def _abandoned(url: str, lease: LeaseInfo, now: datetime) -> bool:
    """Expired, or held by a dead process on this host whose run's process is dead too."""
    if lease.expires_at < now:
        return True
    if not holder_dead(lease.holder):
        return False
    if lease.run_id is None:
        return True
    with session_scope(url) as session:
        run = session.get(CrawlRun, lease.run_id)
        return run is None or run.status != "running" or not pid_alive(run.pid)


def acquire(url: str, source_id: int, holder: str, ttl: float, run_id: int | None = None) -> bool:
    """Take the source's lease for `ttl` seconds; False when someone else holds it."""
    now = utcnow()
    values = {"holder": holder, "run_id": run_id, "acquired_at": now,
              "expires_at": now + timedelta(seconds=ttl)}
    before = current(url, source_id)
    with session_scope(url, write=True) as session:
        taken = session.execute(
            update(Lease).where(Lease.source_id == source_id,
                                or_(Lease.expires_at < now, Lease.holder == holder))
            .values(**values)).rowcount
    if taken == 1:
        if before is not None and before.holder != holder and before.run_id is not None:
            fail_run(url, before.run_id, f"interrupted: its lease was taken over by {holder} "
                                         f"({before.holder} stopped renewing it)")
        return True
    lease = current(url, source_id)
    if lease is None:
        try:
            with session_scope(url, write=True) as session:
                session.add(Lease(source_id=source_id, **values))
            return True
        except IntegrityError:
            return False
    if not _abandoned(url, lease, now):
        return False
    with session_scope(url, write=True) as session:  # compare-and-swap on the dead holder
        taken = session.execute(
            update(Lease).where(Lease.source_id == source_id, Lease.holder == lease.holder,
                                Lease.acquired_at == lease.acquired_at)
            .values(**values)).rowcount
    if taken == 1:
        log.warning("took over the lease of source %s from %s (gone)", source_id, lease.holder)
        if lease.run_id is not None:
            fail_run(url, lease.run_id, f"interrupted: its lease was taken over by {holder} "
                                        f"({lease.holder} stopped renewing it)")
    return taken == 1


def set_run(url: str, source_id: int, holder: str, run_id: int) -> None:
    with session_scope(url, write=True) as session:
        session.execute(update(Lease).where(Lease.source_id == source_id,
                                            Lease.holder == holder).values(run_id=run_id))


def renew(url: str, source_id: int, holder: str, ttl: float, run_id: int | None = None) -> bool:
    """Heartbeat: extend the lease (and stamp the run); False when the lease was lost."""
    now = utcnow()
    with session_scope(url, write=True) as session:
        kept = session.execute(
            update(Lease).where(Lease.source_id == source_id, Lease.holder == holder)
            .values(expires_at=now + timedelta(seconds=ttl))).rowcount
        if run_id is not None:
            session.execute(update(CrawlRun).where(CrawlRun.id == run_id)
                            .values(heartbeat_at=now))
    return kept == 1


def release(url: str, source_id: int, holder: str) -> None:
    with session_scope(url, write=True) as session:
        session.execute(delete(Lease).where(Lease.source_id == source_id,
                                            Lease.holder == holder))


def busy_message(url: str, source: str, source_id: int) -> str:
    lease = current(url, source_id)
    if lease is None:
        return f"{source} is being crawled; try again"
    run = f"run {lease.run_id}" if lease.run_id else "a crawl"
    return (f"{source} is being crawled ({run} by {lease.holder}); wait for it, use --wait, "
            "or --queue")


def reap(url: str, ttl: float = STALE_AFTER) -> list[int]:
    """Drop abandoned leases and mark their runs, and runs whose process is gone, failed.

    Returns the ids of the runs marked failed.
    """
    now = utcnow()
    with session_scope(url) as session:
        leases = [LeaseInfo(x.source_id, x.holder, x.run_id, aware(x.acquired_at),
                            aware(x.expires_at)) for x in session.scalars(select(Lease))]
    failed: list[int] = []
    for lease in leases:
        if not _abandoned(url, lease, now):
            continue
        with session_scope(url, write=True) as session:
            gone = session.execute(delete(Lease).where(
                Lease.source_id == lease.source_id, Lease.holder == lease.holder,
                Lease.acquired_at == lease.acquired_at)).rowcount
        why = (f"interrupted: {lease.holder} is gone" if holder_dead(lease.holder) else
               f"interrupted: the lease of {lease.holder} expired without a heartbeat")
        if gone and lease.run_id is not None and fail_run(url, lease.run_id, why):
            failed.append(lease.run_id)
    failed += list(fail_dead_runs(url, ttl))
    return failed


class Heartbeat:
    """A thread that renews a lease every ttl/3 seconds until stopped (for in-process crawls)."""

    def __init__(self, url: str, source_id: int, holder: str, ttl: float,
                 run_id: int | None = None) -> None:
        self.url, self.source_id, self.holder, self.ttl = url, source_id, holder, ttl
        self.run_id = run_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="lease-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                if not renew(self.url, self.source_id, self.holder, self.ttl, self.run_id):
                    log.warning("lost the lease of source %s", self.source_id)
            except Exception as exc:  # the database may blink; the next beat retries
                log.warning("lease heartbeat failed: %s", exc)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
