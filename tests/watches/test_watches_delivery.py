"""Watches end to end: a crawl stores new articles, a json:// target on a local server gets
exactly one notification per new matching article; a failing target is retried with backoff
and marks its watch degraded; each watch's Atom feed lists the new articles."""

from __future__ import annotations

import json
from datetime import timedelta

import feedparser
import pytest
from fastapi.testclient import TestClient

from archive.db import session_scope
from archive.models import Notification, NotificationAttempt, utcnow
from foundation.settings import load_settings
from parkwatch.api import create_app
from tests.support.desk import DESK_RECORDS, Receiver
from tests.support.sites import serve
from tests.support.workspace import Workspace
from watches.outbox import DEGRADE_AFTER, deliver_due
from watches.store import WatchSpec, add_watch, watch_rows

HELD_BACK = {6810, 7080, 7100}  # industrial-park stories that appear after the watch is added


@pytest.fixture
def receiver():
    server = Receiver().start()
    try:
        yield server
    finally:
        server.stop()


def crawl_twice(workspace: Workspace, between) -> None:
    """Crawl the site without the held-back stories, call `between`, then crawl it whole."""
    early = [r for r in DESK_RECORDS if r["id"] not in HELD_BACK]
    site = serve("classic", records=early)
    try:
        workspace.point(site.url)
        workspace.crawl()
        between()
        from parkwatch.samplesite import build_site

        site.pages.update(build_site(DESK_RECORDS, variant="classic", base_url=site.url))
        workspace.crawl("--full")
    finally:
        site.stop()


def listing(workspace: Workspace) -> dict[str, dict]:
    with session_scope(workspace.database_url) as session:
        return {row["name"]: row for row in watch_rows(session)}


def app_for(workspace: Workspace, **more) -> TestClient:
    config = load_settings(workspace.config).model_copy(
        update={"database_url": workspace.database_url, "home": workspace.root, **more})
    return TestClient(create_app(config))


@pytest.mark.timeout(300)  # two crawls and a few commands, each in a child process
def test_one_notification_per_new_matching_article_and_a_feed(workspace, receiver) -> None:
    ok = f"json://127.0.0.1:{receiver.port}/ok"
    fail = f"json://127.0.0.1:{receiver.port}/fail"

    def add_watches() -> None:  # `watch add` itself is run as a command below
        url = workspace.database_url
        add_watch(url, WatchSpec("parks", topic="industrial-parks", targets=[ok]))
        add_watch(url, WatchSpec("broken", query="park", targets=[fail]))
        add_watch(url, WatchSpec("big", metric="output value", above=5e10))

    crawl_twice(workspace, add_watches)
    articles = workspace.articles()
    held = {a["id"]: a for a in articles if a["duplicate_of"] is None
            and a["url"].rsplit("/", 1)[1].split(".")[0].isdigit()
            and int(a["url"].rsplit("/", 1)[1].split(".")[0]) in HELD_BACK}
    assert len(held) == len(HELD_BACK)
    new_parks = {a["title"] for a in held.values() if "industrial-parks" in a["topics"]}
    assert new_parks

    # Exactly one message per new matching article, naming it.
    got = receiver.to("/ok")
    assert sorted(m["title"].removeprefix("[parks] ") for m in got) == sorted(new_parks)
    assert all(m["message"].count("http://") == 1 for m in got)

    # A later run (here: delivering again) sends nothing twice.
    workspace.run("watch", "deliver", check=True)
    assert len(receiver.to("/ok")) == len(got)

    # The failing target was tried once at the end of the run; retried with backoff.
    tried = len(receiver.to("/fail"))
    assert tried >= 1
    listed = listing(workspace)
    assert listed["parks"]["health"] == "ok" and listed["parks"]["sent"] == len(got)
    assert listed["broken"]["health"] == "ok"  # one failure is not yet "keeps failing"
    assert listed["broken"]["targets"] == [f"json://127.0.0.1:{receiver.port}/fail"]
    assert deliver_due(workspace.database_url)["failed"] == 0  # not due yet: backoff
    later = utcnow()
    for _ in range(DEGRADE_AFTER - 1):
        later += timedelta(hours=7)  # past any backoff
        assert deliver_due(workspace.database_url, now=later)["failed"] == tried
    assert len(receiver.to("/fail")) == tried * DEGRADE_AFTER
    with session_scope(workspace.database_url) as session:
        attempts = session.query(NotificationAttempt).count()
        pending = session.query(Notification).filter_by(status="pending").count()
    assert attempts == len(got) + tried * DEGRADE_AFTER and pending == tried
    listed = {w["name"]: w for w in json.loads(workspace.run("watch", "list", "--json",
                                                             check=True).stdout)}
    assert listed["broken"]["health"] == "degraded"
    assert "500" in listed["broken"]["reasons"][0] or "fail" in listed["broken"]["reasons"][0]
    status = workspace.run("status", check=True).stdout
    assert "broken" in status and "degraded" in status

    # The metric watch matched the new article whose output value tops 50 billion yuan.
    assert listed["big"]["matches"] >= 1

    client = app_for(workspace)
    page = client.get("/watches").text
    assert "degraded" in page and "broken" in page

    # The Atom feed: valid, newest first, the new articles in it; conditional GET.
    response = client.get("/feeds/parks.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert set(titles) == new_parks
    dates = [e.published for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    etag, modified = response.headers["etag"], response.headers["last-modified"]
    assert client.get("/feeds/parks.atom", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/feeds/parks.atom",
                      headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/feeds/parks.atom",
                      headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/feeds/nowhere.atom").status_code == 404


def test_feeds_need_the_token_when_one_is_set(workspace) -> None:
    workspace.run("watch", "add", "parks", "--topic", "industrial-parks", check=True)
    client = app_for(workspace, api_token="s3cret")
    assert client.get("/feeds/parks.atom").status_code == 401
    assert client.get("/").status_code == 401
    assert client.get("/feeds/parks.atom?token=wrong").status_code == 401
    ok = client.get("/feeds/parks.atom?token=s3cret")
    assert ok.status_code == 200 and not feedparser.parse(ok.content).bozo
    assert client.get("/feeds/parks.atom",
                      headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_watch_commands_in_one_line_without_secrets(workspace, receiver) -> None:
    bad = workspace.run("watch", "add", "Bad Name", "--topic", "x")
    assert bad.returncode == 2 and "watch name" in bad.stderr and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0
    secret = f"json://user:hunter2@127.0.0.1:{receiver.port}/ok"
    added = workspace.run("watch", "add", "s", "--topic", "industrial-parks", "--section",
                          "business/parks",
                          "--notify", secret, check=True)
    assert "hunter2" not in added.stdout and "/feeds/s.atom" in added.stdout
    assert listing(workspace)["s"]["section"] == "Industrial Parks"  # the path's name
    listed = workspace.run("watch", "list", check=True).stdout
    assert "hunter2" not in listed and "s" in listed
    sample = workspace.run("watch", "test", "s", check=True)
    assert "sent" in sample.stdout and "hunter2" not in sample.stdout
    assert receiver.to("/ok")[0]["title"] == "[s] parkwatch test"
    workspace.run("watch", "remove", "s", check=True)
    gone = workspace.run("watch", "remove", "s")
    assert gone.returncode == 2 and "no watch named s" in gone.stderr
