"""The real `parkwatch serve --interval 2s` crawls on schedule, stores each article once, keeps
its job as a stable "module:function" reference, and refuses a second service on one database
(SQLite: a lock file; PostgreSQL: an advisory lock)."""

from __future__ import annotations

import json

from tests.service.service_support import (
    FAST,
    ServeProcess,
    assert_no_overlap,
    configure,
    finished,
    wait_for,
)
from tests.support.sites import CRAWLED, article_path, by_path


def test_scheduled_runs_every_interval_and_store_each_article_once(workspace, site) -> None:
    from apscheduler.util import ref_to_obj

    from scheduler import jobs

    configure(workspace, site.url)
    with ServeProcess(workspace, "--interval", "2s", *FAST) as serve:
        wait_for(lambda: "serve started" in serve.output(), 30, "the service to start")
        second = workspace.run("serve", "--interval", "2s", timeout=30)
        assert second.returncode != 0
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "another parkwatch serve" in lines[0], second.stderr
        done = wait_for(lambda: len(finished(workspace, "schedule")) >= 2 and
                        finished(workspace, "schedule"), 60, "two scheduled runs")
        assert serve.proc.poll() is None
        assert serve.terminate() == 0
    assert [r["status"] for r in done[:2]] == ["succeeded"] * 2
    assert done[0]["new"] > 0 and done[1]["new"] == 0
    assert_no_overlap(finished(workspace))
    assert sorted(by_path(workspace.articles())) == sorted(article_path(r) for r in CRAWLED)

    listed = json.loads(workspace.run("runs", "--json", "--limit", "2", check=True).stdout)
    assert len(listed) == 2 and listed[0]["id"] > listed[1]["id"]
    assert {"id", "source", "trigger", "started_at", "finished_at", "status", "new",
            "updated", "skipped", "errors", "error", "pages"} <= set(listed[0])
    assert listed[0]["source"] == "e-my399" and listed[0]["trigger"] == "schedule"

    # The job survives in the database as a "module:function" text that still resolves.
    stored = json.loads(workspace.run("jobs", "--json", check=True).stdout)
    assert [(j["id"], j["schedule"], j["function"], j["args"]) for j in stored] == [
        ("e-my399", "every 2s", "scheduler.jobs:run_source", ["e-my399"])]
    assert ref_to_obj(stored[0]["function"]) is jobs.run_source
    assert stored[0]["next_run"] is not None


def test_bad_interval_is_one_line(workspace, site) -> None:
    configure(workspace, site.url)
    proc = workspace.run("serve", "--interval", "soon", timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "parkwatch: error: --interval: bad duration 'soon': expected e.g. 20s, 30m, 6h, 1d"]


def test_service_on_postgresql_runs_and_refuses_a_second_one(tmp_path, postgres_url, site):
    from tests.support.workspace import Workspace

    workspace = Workspace(tmp_path, postgres_url)
    configure(workspace, site.url)
    with ServeProcess(workspace, "--interval", "1h", *FAST) as serve:
        done = wait_for(lambda: finished(workspace), 60, "a run on PostgreSQL")
        second = workspace.run("serve", timeout=30)
        assert second.returncode != 0 and "another parkwatch serve" in second.stderr
        assert serve.terminate() == 0
    assert done[0]["status"] == "succeeded" and done[0]["new"] > 0
