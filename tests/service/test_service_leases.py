"""Leases on SQLite and PostgreSQL: one holder at a time, heartbeat, expiry, dead holders; the
one-off `parkwatch crawl` refuses (or waits) while the source is being crawled."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from datetime import timedelta

from sqlalchemy import update

from archive.db import ensure_schema, session_scope
from archive.models import CrawlRun, Lease, utcnow
from scheduler import leases
from tests.service.service_support import FAST, runs, wait_for

HOST = socket.gethostname()


def test_one_holder_at_a_time_until_release_or_expiry(db_url) -> None:
    ensure_schema(db_url)
    sid = leases.source_id(db_url, "e-my399")
    assert leases.acquire(db_url, sid, "host-a:1", ttl=30)
    assert not leases.acquire(db_url, sid, "host-b:2", ttl=30)
    assert leases.acquire(db_url, sid, "host-a:1", ttl=30)  # re-entrant for its holder
    assert leases.renew(db_url, sid, "host-a:1", ttl=30)
    assert not leases.renew(db_url, sid, "host-b:2", ttl=30)
    leases.release(db_url, sid, "host-b:2")  # not the holder: no effect
    assert leases.current(db_url, sid).holder == "host-a:1"
    leases.release(db_url, sid, "host-a:1")
    assert leases.current(db_url, sid) is None
    assert leases.acquire(db_url, sid, "host-b:2", ttl=30)
    # A lease whose heartbeat stopped expires; then another holder may take it.
    with session_scope(db_url) as session:
        session.execute(update(Lease).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert leases.acquire(db_url, sid, "host-c:3", ttl=30)
    assert not leases.renew(db_url, sid, "host-b:2", ttl=30)  # the old holder lost it


def test_concurrent_acquire_has_exactly_one_winner(db_url) -> None:
    ensure_schema(db_url)
    sid = leases.source_id(db_url, "e-my399")
    start, won = threading.Barrier(8), []

    def contend(n: int) -> None:
        start.wait()
        if leases.acquire(db_url, sid, f"host-x:{n}", ttl=30):
            won.append(n)

    threads = [threading.Thread(target=contend, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(won) == 1 and leases.current(db_url, sid).holder == f"host-x:{won[0]}"


def test_a_dead_holder_on_this_host_is_reaped_and_its_run_failed(db_url) -> None:
    ensure_schema(db_url)
    sid = leases.source_id(db_url, "e-my399")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with session_scope(db_url) as session:
        run = CrawlRun(source_id=sid, trigger="schedule", status="running", pid=dead.pid,
                       heartbeat_at=utcnow())
        session.add(run)
        session.flush()
        run_id = run.id
    assert leases.acquire(db_url, sid, f"{HOST}:{dead.pid}", ttl=300, run_id=run_id)
    assert leases.reap(db_url) == [run_id]
    assert leases.current(db_url, sid) is None
    with session_scope(db_url) as session:
        failed = session.get(CrawlRun, run_id)
        assert failed.status == "failed" and "interrupted" in failed.error
    # acquire() also takes over from a dead holder without waiting for expiry.
    assert leases.acquire(db_url, sid, f"{HOST}:{dead.pid}", ttl=300)
    assert leases.acquire(db_url, sid, "elsewhere:1", ttl=30)
    leases.release(db_url, sid, "elsewhere:1")
    # A live holder (this process) is never reaped.
    assert leases.acquire(db_url, sid, leases.holder_id(), ttl=300)
    assert leases.reap(db_url) == [] and leases.current(db_url, sid) is not None


def test_crawl_refuses_in_one_line_while_the_source_is_leased(workspace, site) -> None:
    workspace.point(site.url)
    ensure_schema(workspace.database_url)
    sid = leases.source_id(workspace.database_url, "e-my399")
    assert leases.acquire(workspace.database_url, sid, leases.holder_id(), ttl=300, run_id=41)
    proc = workspace.run("crawl", "--source", "e-my399", *FAST)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "e-my399 is being crawled (run 41" in lines[0], proc.stderr
    assert runs(workspace) == []
    site.reset_log()
    assert site.requests == []


def test_crawl_wait_starts_once_the_lease_is_released(workspace, site) -> None:
    workspace.point(site.url)
    ensure_schema(workspace.database_url)
    url = workspace.database_url
    sid = leases.source_id(url, "e-my399")
    assert leases.acquire(url, sid, leases.holder_id(), ttl=300)
    log = workspace.root / "crawl.log"
    with open(log, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "parkwatch", "crawl", "--source", "e-my399", "--wait", "-q",
             *FAST], cwd=workspace.root, env=workspace.env(), stdout=sink, stderr=sink)
        try:
            wait_for(lambda: "waiting for that crawl to end" in log.read_text(), 60,
                     "the crawl to report that it waits")
            # While the lease is held, the waiting crawl neither starts a run nor exits.
            assert proc.poll() is None and runs(workspace) == [] and site.requests == []
            leases.release(url, sid, leases.holder_id())
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, log.read_text()
    assert [(r["trigger"], r["status"]) for r in runs(workspace)] == [("cli", "succeeded")]
    assert leases.current(url, sid) is None
