"""Many sources on one service: at most max_parallel_crawls crawls at once, due runs oldest
first with none starved, and never two crawls of one host at the same time."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import pytest

from parkwatch.samplesite import SiteServer, build_site, generate_records
from scheduler.due import DueRuns
from scheduler.runs import RunPlan
from tests.service.service_support import (
    FAST,
    ServeProcess,
    configure_many,
    finished,
    max_overlap,
    wait_for,
)


def plan(source: str) -> RunPlan:
    return RunPlan(source, "schedule")


def test_due_runs_start_oldest_first_up_to_the_free_slots() -> None:
    line = DueRuns()
    for i, source in enumerate(["c", "a", "b", "d"]):
        assert line.add(plan(source), f"host-{source}", due=float(i))
    assert not line.add(plan("a"), "host-a", due=9.0)  # already waiting: coalesced
    assert [d.plan.source for d in line.take(2, set(), set())] == ["c", "a"]
    assert [d.plan.source for d in line.take(5, set(), set())] == ["b", "d"]
    assert len(line) == 0


def test_a_busy_host_keeps_its_runs_place_without_blocking_others() -> None:
    line = DueRuns()
    line.add(plan("x1"), "x.test", due=1.0)
    line.add(plan("x2"), "x.test", due=2.0)
    line.add(plan("y1"), "y.test", due=3.0)
    # A crawl of x.test is running: its sources wait, y.test goes first.
    assert [d.plan.source for d in line.take(3, {"x0"}, {"x.test"})] == ["y1"]
    # Two sources of one host never start together.
    assert [d.plan.source for d in line.take(3, set(), set())] == ["x1"]
    assert [d.plan.source for d in line.take(3, set(), set())] == ["x2"]


def test_a_source_being_crawled_is_not_started_twice() -> None:
    line = DueRuns()
    line.add(plan("a"), "a.test", due=1.0)
    assert line.take(4, {"a"}, set()) == []
    assert "a" in line


@pytest.mark.timeout(300)
def test_many_sources_share_few_slots_and_every_due_run_happens(workspace) -> None:
    """9 sources on 3 hosts, 2 slots: every source crawled, ≤ 2 at once, ≤ 1 per host."""
    servers, sites = [], {}
    try:
        for h in range(3):
            server = SiteServer(host=f"127.0.0.{h + 1}").start()
            records = generate_records(3, start_id=20000 + 100 * h, seed=h)
            server.pages.update(build_site(records, base_url=server.url))
            servers.append(server)
            for s in range(3):
                sites[f"site-{h}-{s}"] = server.url
        configure_many(workspace, sites, schedule="every 1h", max_parallel_crawls=2,
                       jitter=0.0)
        with ServeProcess(workspace, *FAST) as service:
            runs = wait_for(lambda: len(done := finished(workspace)) >= len(sites) and done,
                            240, "a run of every source")
            assert service.terminate() == 0
        log = service.output()
    finally:
        for server in servers:
            server.stop()
    assert sorted(r["source"] for r in runs) == sorted(sites), log  # none starved or doubled
    assert all(r["status"] == "succeeded" for r in runs), runs
    spans = [(datetime.fromisoformat(r["started_at"]), datetime.fromisoformat(r["finished_at"]))
             for r in runs]
    assert max_overlap(spans) <= 2
    assert max_overlap(spans) == 2  # the slots were used: runs did run side by side
    for h in range(3):
        host = f"127.0.0.{h + 1}"
        same = [span for r, span in zip(runs, spans, strict=True)
                if urlsplit(sites[r["source"]]).hostname == host]
        assert max_overlap(same) == 1, f"two crawls of {host} at once"
    assert "at most 2 crawl(s) at once" in log
