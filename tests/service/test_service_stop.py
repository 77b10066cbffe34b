"""SIGTERM ends the service within its grace period with exit 0; after kill -9 a restart marks
the interrupted run failed, never overlaps runs, and stores every article once."""

from __future__ import annotations

import time

import pytest

from tests.service.service_support import (
    ServeProcess,
    assert_no_overlap,
    configure,
    finished,
    pid_gone,
    runs,
    wait_for,
)
from tests.support.sites import CRAWLED, article_path, by_path

pytestmark = pytest.mark.parse_workers  # crawls as a user's: through the parse workers

# About 0.3 s per page: a first crawl takes several seconds, long enough to interrupt.
SLOW = ("-s", "DOWNLOAD_DELAY=0.3", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
GRACE = 2.0


def running_run(workspace):
    return next((r for r in runs(workspace) if r["status"] == "running" and r["pid"]), None)


def test_sigterm_stops_within_the_grace_period_with_exit_0(workspace, site) -> None:
    configure(workspace, site.url, grace_period=GRACE)
    with ServeProcess(workspace, "--interval", "2s", *SLOW) as serve:
        run = wait_for(lambda: running_run(workspace), 60, "a running crawl")
        wait_for(lambda: runs(workspace)[-1]["pid"] != serve.pid and runs(workspace), 10,
                 "the child's pid")
        started = time.monotonic()
        code = serve.terminate(timeout=GRACE + 15)
        took = time.monotonic() - started
    assert code == 0
    # grace period, then SIGTERM to the child (which stops at once, its parse workers with
    # it), plus slack for process start-up and teardown on a loaded 2-core machine
    assert took < GRACE + 10, f"took {took:.1f}s"
    stopped = next(r for r in runs(workspace) if r["id"] == run["id"])
    assert stopped["status"] == "failed" and "shut down" in stopped["error"]
    assert wait_for(lambda: pid_gone(stopped["pid"]), 10, "the crawl process to end")
    assert "parkwatch serve stopped" in serve.output()


def test_kill_9_then_restart_never_overlaps_nor_duplicates(workspace, site) -> None:
    configure(workspace, site.url)
    first = ServeProcess(workspace, "--interval", "2s", *SLOW)
    try:
        run = wait_for(lambda: running_run(workspace), 60, "a running crawl")
        child = wait_for(lambda: (r := runs(workspace)[-1])["pid"] != first.pid and r["pid"],
                         10, "the child's pid")
        first.kill()  # SIGKILL: no chance to clean up
    finally:
        first.close()
    # The orphaned crawl notices its service is gone and ends itself.
    wait_for(lambda: pid_gone(child), 15, "the orphaned crawl to end")
    with ServeProcess(workspace, "--interval", "2s", *SLOW) as second:
        wait_for(lambda: [r for r in finished(workspace) if r["id"] > run["id"]
                          and r["status"] == "succeeded"], 90, "a run after the restart")
        assert second.terminate() == 0
    interrupted = next(r for r in runs(workspace) if r["id"] == run["id"])
    assert interrupted["status"] == "failed" and "interrupted" in interrupted["error"]
    assert not [r for r in runs(workspace) if r["status"] == "running"]
    assert_no_overlap(runs(workspace))
    assert sorted(by_path(workspace.articles())) == sorted(article_path(r) for r in CRAWLED)


def test_a_crawl_over_its_time_limit_is_a_failed_run_not_a_dead_service(workspace, site):
    configure(workspace, site.url, crawl_timeout=1.0)
    with ServeProcess(workspace, "--interval", "2s", *SLOW) as serve:
        done = wait_for(lambda: len(finished(workspace)) >= 2 and finished(workspace), 60,
                        "two timed-out runs")
        assert serve.proc.poll() is None
        assert serve.terminate() == 0
    assert [(r["status"], r["error"]) for r in done[:2]] == [
        ("failed", "timed out after 1s")] * 2
    assert all(pid_gone(r["pid"]) for r in done[:2])
