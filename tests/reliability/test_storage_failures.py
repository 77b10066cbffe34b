"""The archive failing mid-crawl (crawler/extensions.py StorageGuardExtension, crawler/run.py):
a full disk (a real, size-limited tmpfs) and PostgreSQL refusing connections mid-crawl on a
database of the test's own. One clear error, the run failed, nothing half-written, the next run
completes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.runs import Ballast
from tests.reliability.test_cli import _lines, wait_for
from tests.support.workspace import Workspace


def facts_by_url(rows) -> dict[str, int]:
    return {url: n for url, n in rows}


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MiB tmpfs (needs root and mount; skipped with the reason otherwise)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def reference_facts(tmp_path: Path, site) -> dict[str, int]:
    """Facts per article URL of an uninterrupted crawl of the same site."""
    (tmp_path / "ref").mkdir()
    ref = Workspace(tmp_path / "ref", f"sqlite:///{tmp_path / 'ref' / 'ref.db'}")
    ref.point(site.url)
    ref.crawl()
    with sqlite3.connect(tmp_path / "ref" / "ref.db") as db:
        return facts_by_url(db.execute(
            "SELECT a.url, COUNT(f.id) FROM articles a LEFT JOIN facts f ON f.article_id = a.id "
            "GROUP BY a.url"))


def test_a_full_disk_fails_the_run_cleanly_and_the_next_run_completes(tmp_path, site,
                                                                      small_disk) -> None:
    expected = reference_facts(tmp_path, site)
    path = small_disk / "archive.db"
    workspace = Workspace(tmp_path, f"sqlite:///{path}")
    workspace.point(site.url)
    workspace.run("db", "upgrade", check=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = small_disk / "filler"
    import os

    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    # ~96 KiB left for the crawl once its ballast (crawler/runs.py) is made: a few articles
    filler.write_bytes(b"\0" * max(0, free - 96 * 1024 - Ballast.SIZE))
    proc = workspace.run("crawl", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("parkwatch: error")]
    assert len(errors) == 1 and "disk is full" in errors[0], proc.stderr[-3000:]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        run = db.execute("SELECT status, error FROM crawl_runs").fetchall()
        partial = facts_by_url(db.execute(
            "SELECT a.url, COUNT(f.id) FROM articles a LEFT JOIN facts f ON f.article_id = a.id "
            "GROUP BY a.url"))
    assert run == [("failed", run[0][1])] and "disk is full" in run[0][1]
    assert len(partial) < len(expected)
    for url, n in partial.items():  # an article is stored with all its facts, or not at all
        assert n == expected[url], url
    filler.unlink()
    workspace.crawl()
    with sqlite3.connect(path) as db:
        final = facts_by_url(db.execute(
            "SELECT a.url, COUNT(f.id) FROM articles a LEFT JOIN facts f ON f.article_id = a.id "
            "GROUP BY a.url"))
        statuses = [s for (s,) in db.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["failed", "succeeded"]
    assert final == expected


def _admin(sql: str) -> None:
    import psycopg

    from tests.conftest import POSTGRES_ADMIN_URL

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def test_postgresql_going_away_mid_crawl(tmp_path, site, postgres_url) -> None:
    expected = reference_facts(tmp_path, site)
    name = postgres_url.rsplit("/", 1)[1]
    workspace = Workspace(tmp_path, postgres_url)
    workspace.point(site.url)
    child = subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "crawl", "-s", "DOWNLOAD_DELAY=0.3",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=DEBUG"],
        cwd=workspace.root, env=workspace.env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = _lines(child.stderr)
        wait_for(lines, "Scraped from", 60)
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        seen = wait_for(lines, "stopping the crawl", 60)
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')  # back while it closes
        child.wait(timeout=90)
        rest = "".join(seen) + "".join(iter(lambda: lines.get(timeout=5) or "", ""))
    finally:
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    assert "Traceback" not in rest
    errors = [line for line in rest.splitlines() if line.startswith("parkwatch: error")]
    assert len(errors) == 1 and "storage failed" in errors[0], rest[-3000:]
    runs = json.loads(workspace.run("runs", "--json", check=True).stdout)
    assert runs[0]["status"] == "failed" and "storage failed" in runs[0]["error"]
    workspace.crawl()
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        final = facts_by_url(conn.execute(text(
            "SELECT a.url, COUNT(f.id) FROM articles a LEFT JOIN facts f ON f.article_id = a.id "
            "GROUP BY a.url")).all())
        statuses = [s for (s,) in conn.execute(text("SELECT status FROM crawl_runs ORDER BY id"))]
    engine.dispose()
    assert statuses == ["failed", "succeeded"]
    assert final == expected
