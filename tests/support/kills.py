"""Kill -9 a child at a moment chosen by its observed progress (never by a timer alone), and
check an archive afterwards: integrity, no duplicates, every article's kept page readable."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from archive.warc import OPEN, read_page


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def killed_when(argv: list[str], cwd: Path, env: dict[str, str],
                reached: Callable[[], bool], timeout: float = 120) -> bool:
    """Run argv; SIGKILL it once `reached()` holds. False when it finished first."""
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    killed = threading.Event()

    def watch() -> None:
        while proc.poll() is None:
            if reached():
                os.kill(proc.pid, signal.SIGKILL)
                killed.set()
                return
            killed.wait(0.002)  # polling the observed progress

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    proc.wait(timeout=timeout)
    watcher.join(timeout=5)
    return killed.is_set()


def archive_intact(db: Path, pages_root: Path) -> dict[str, int]:
    """Integrity ok, no URL twice, every article's record readable, no file left open →
    {url path: article id}."""
    from urllib.parse import urlsplit

    assert not list(pages_root.rglob(f"*{OPEN}")), "a WARC file left open"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT a.id, a.url, a.page_record, p.warc_file, p.warc_offset FROM articles a "
            "LEFT JOIN pages p ON p.record_id = a.page_record").fetchall()
    paths = [urlsplit(url).path for _, url, _, _, _ in rows]
    assert len(paths) == len(set(paths)), "an article stored twice"
    for _, url, record_id, warc_file, offset in rows:
        assert warc_file, f"{url} names no kept page"
        assert read_page(pages_root, warc_file, offset).record_id == record_id
    return {urlsplit(url).path: article_id for article_id, url, _, _, _ in rows}
