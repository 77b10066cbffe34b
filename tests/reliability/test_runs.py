"""crawler/runs.py: runs left `running` whose process is gone are failed with their reason —
a killed CLI crawl, a service restart (a dead pid on this host), another machine that stopped
heartbeating, a lease taken over."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from archive.db import ensure_schema, session_scope
from archive.models import CrawlRun, utcnow
from archive.store import get_or_create_source
from crawler.runs import fail_dead_runs, start_run_at, why_gone
from scheduler import leases


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _run(url: str, **values) -> int:
    with session_scope(url, write=True) as session:
        source = get_or_create_source(session, "e-my399")
        run = CrawlRun(source_id=source.id, trigger="cli", status="running",
                       started_at=utcnow(), **values)
        session.add(run)
        session.flush()
        return run.id


def _state(url: str, run_id: int) -> tuple[str, str | None]:
    with session_scope(url) as session:
        run = session.get(CrawlRun, run_id)
        return run.status, run.error


def test_why_gone() -> None:
    now, here = utcnow(), socket.gethostname()
    fresh, stale = now - timedelta(seconds=1), now - timedelta(seconds=120)
    pid = dead_pid()
    assert why_gone(pid, here, fresh, now, 30) == f"interrupted: process {pid} is gone"
    import os

    from crawler.runs import process_started

    started = process_started(os.getpid())
    beat = started + timedelta(seconds=2)  # this process heartbeat once, then went quiet
    assert why_gone(os.getpid(), here, beat, beat + timedelta(minutes=5), 30) is None
    before = started - timedelta(minutes=5)  # a heartbeat older than this process: pid reused
    assert "pid now belongs to another process" in why_gone(os.getpid(), here, before, now, 30)
    assert why_gone(1234, "elsewhere", fresh, now, 30) is None
    assert "no heartbeat from elsewhere" in why_gone(1234, "elsewhere", stale, now, 30)
    assert why_gone(None, None, stale, now, 30).startswith("interrupted: no heartbeat")


def test_dead_and_silent_runs_are_failed_with_their_reason(db_url) -> None:
    ensure_schema(db_url)
    here = socket.gethostname()
    pid = dead_pid()
    killed = _run(db_url, pid=pid, host=here, heartbeat_at=utcnow())
    silent = _run(db_url, pid=99999, host="other-machine",
                  heartbeat_at=utcnow() - timedelta(minutes=5))
    alive_elsewhere = _run(db_url, pid=99999, host="other-machine", heartbeat_at=utcnow())
    import os

    alive_here = _run(db_url, pid=os.getpid(), host=here, heartbeat_at=utcnow())
    failed = fail_dead_runs(db_url, ttl=30)
    assert set(failed) == {killed, silent}
    assert _state(db_url, killed) == ("failed", f"interrupted: process {pid} is gone")
    assert _state(db_url, silent)[1].startswith("interrupted: no heartbeat from other-machine")
    assert _state(db_url, alive_elsewhere) == ("running", None)
    assert _state(db_url, alive_here) == ("running", None)


def test_starting_a_run_settles_the_dead_ones_first(db_url) -> None:
    ensure_schema(db_url)
    old = _run(db_url, pid=dead_pid(), host=socket.gethostname(), heartbeat_at=utcnow())
    new = start_run_at(db_url, "e-my399", "cli", ttl=30)
    assert _state(db_url, old)[0] == "failed" and _state(db_url, new)[0] == "running"
    with session_scope(db_url) as session:
        run = session.get(CrawlRun, new)
        assert run.host == socket.gethostname() and run.pid == os_pid()


def os_pid() -> int:
    import os

    return os.getpid()


def test_a_lease_taken_over_fails_the_run_that_held_it(db_url) -> None:
    ensure_schema(db_url)
    source_id = leases.source_id(db_url, "e-my399")
    run_id = _run(db_url, pid=99999, host="other-machine", heartbeat_at=utcnow())
    assert leases.acquire(db_url, source_id, "other-machine:99999", ttl=0.01, run_id=run_id)
    import time

    time.sleep(0.05)  # the lease's TTL (10 ms) runs out: the clock, not synchronisation
    assert leases.acquire(db_url, source_id, leases.holder_id(), ttl=30)
    status, error = _state(db_url, run_id)
    assert status == "failed" and "its lease was taken over" in error


def test_the_service_reaper_uses_the_same_reasons(db_url) -> None:
    ensure_schema(db_url)
    pid = dead_pid()
    run_id = _run(db_url, pid=pid, host=socket.gethostname(), heartbeat_at=utcnow())
    assert run_id in leases.reap(db_url)
    with session_scope(db_url) as session:
        assert session.scalar(select(CrawlRun.error).where(CrawlRun.id == run_id)) == \
            f"interrupted: process {pid} is gone"


def test_a_stoppers_stamped_reason_outlives_the_signalled_crawls_own(db_url) -> None:
    """The service stamps why it stops a crawl before it signals it; the crawl, recording its
    outcome, keeps that reason instead of a plain 'interrupted' — and only then."""
    from crawler.runs import finish_run, stamp_reason

    ensure_schema(db_url)
    stamped = _run(db_url)
    stamp_reason(db_url, stamped, "timed out after 1s")
    assert _state(db_url, stamped) == ("running", "timed out after 1s")
    finish_run(db_url, stamped, "failed", {}, "interrupted: stopped by SIGTERM",
               keep_reason=True)
    assert _state(db_url, stamped) == ("failed", "timed out after 1s")

    unstamped = _run(db_url)  # a user's own SIGTERM: nothing was stamped
    finish_run(db_url, unstamped, "failed", {}, "interrupted: stopped by SIGTERM",
               keep_reason=True)
    assert _state(db_url, unstamped) == ("failed", "interrupted: stopped by SIGTERM")

    finished = _run(db_url)  # a stamp never reopens nor rewrites a finished run
    finish_run(db_url, finished, "succeeded", {}, None)
    stamp_reason(db_url, finished, "timed out after 1s")
    assert _state(db_url, finished) == ("succeeded", None)

    normal = _run(db_url)  # a crawl that ended on its own records its own outcome
    stamp_reason(db_url, normal, "stopped: the service shut down before the crawl finished")
    finish_run(db_url, normal, "succeeded", {}, None)
    assert _state(db_url, normal) == ("succeeded", None)
