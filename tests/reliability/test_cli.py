"""The first hour with the `parkwatch` command (parkwatch/cli.py, demo, crawling), each case
driving the real command in a child process."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from crawler.run import STOPPING


def test_demo_refuses_a_folder_it_did_not_make(workspace) -> None:
    home = workspace.root / "mine"
    home.mkdir()
    (home / "thesis.txt").write_text("four years of work")
    proc = workspace.run("demo", "--home", str(home))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "not empty and was not made by `parkwatch demo`" in lines[0]
    assert (home / "thesis.txt").read_text() == "four years of work"
    assert sorted(p.name for p in home.iterdir()) == ["thesis.txt"]


@pytest.mark.parametrize(("setting", "expect"), [
    ("DOWNLOAD_DELAY=abc", "expected a number"),
    ("CONCURRENT_REQUESTS=-1", "must be at least 1"),
    ("CONCURRENT_REQUESTS=two", "expected a whole number"),
    ("DOWNLOAD_TIMEOUT=0", "must be at least 1"),
    ("ROBOTSTXT_OBEY=maybe", "expected True or False"),
    ("LOG_LEVEL=LOUD", "expected DEBUG"),
    ("RETRY_TIMES=nan", "expected a whole number"),
])
def test_bad_settings_are_refused_before_the_crawl_starts(workspace, site, setting,
                                                          expect) -> None:
    workspace.point(site.url)
    proc = workspace.run("crawl", "-s", setting)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert expect in lines[0] and setting.split("=")[0] in lines[0]
    assert site.requests == []  # nothing was fetched
    assert "Traceback" not in proc.stderr


def _lines(stream) -> queue.Queue:
    """The stream's lines, read by a thread, to wait on output with a timeout."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for(lines: queue.Queue, text: str, timeout: float) -> list[str]:
    """Read lines until one contains `text`; AssertionError after `timeout` seconds."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no {text!r} within {timeout}s: {''.join(seen)[-2000:]}") \
                from None
        if line is None:
            raise AssertionError(f"ended before {text!r}: {''.join(seen)[-2000:]}")
        seen.append(line)
        if text in line:
            return seen


def start_crawl(workspace, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "crawl", "-s", "DOWNLOAD_DELAY=0.3",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=DEBUG", *extra],
        cwd=workspace.root, env=workspace.env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_first_ctrl_c_is_acknowledged_at_once_and_the_run_is_failed(workspace,
                                                                         site) -> None:
    workspace.point(site.url)
    child = start_crawl(workspace)
    try:
        lines = _lines(child.stderr)
        wait_for(lines, "Crawled (200)", 60)
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        wait_for(lines, STOPPING, 5)
        assert time.monotonic() - sent < 2
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    runs = json.loads(workspace.run("runs", "--json", check=True).stdout)
    assert runs[0]["status"] == "failed"
    assert "interrupted: stopped by Ctrl-C" in runs[0]["error"]


def test_a_killed_crawl_is_failed_and_status_never_shows_it_running(workspace, site) -> None:
    workspace.point(site.url)
    child = start_crawl(workspace)
    try:
        wait_for(_lines(child.stderr), "Crawled (200)", 60)
        child.kill()  # kill -9: nothing of it runs afterwards
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    status = json.loads(workspace.run("status", "--json", check=True).stdout)
    mine = next(row for row in status if row["source"] == "e-my399")
    assert mine["running_run"] is None
    assert mine["last_run"]["status"] == "failed"
    assert mine["last_run"]["error"] == f"interrupted: process {child.pid} is gone"
    # the next crawl takes the dead process's lease and completes
    proc = workspace.crawl()
    assert "succeeded" in proc.stdout
