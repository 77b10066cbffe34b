"""Matching and the outbox in process, on SQLite and PostgreSQL: each new article matches a
watch once, whatever the order of runs; filters, queries and metric bounds; backoff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from archive.db import session_scope
from archive.models import Notification, WatchMatch, utcnow
from tests.query.conftest import fact, fill, insert
from tests.support.desk import Receiver
from watches.match import match_new
from watches.outbox import backoff, deliver_due, watch_health
from watches.store import WatchError, WatchSpec, add_watch, remove_watch

LATER = [
    ("newpark", "Pingfang aviation park opens", "The Pingfang aviation industrial park opened "
     "a hangar for drone makers.", date(2024, 5, 1), "Industrial Parks", ["industrial-parks"],
     None),
    ("festival", "Ice festival extends its season", "Tourists kept coming to the ice "
     "festival.", date(2024, 2, 1), "news", ["tourism"], None),
    ("copy", "Pingfang aviation park opens (copy)", "The Pingfang aviation industrial park "
     "opened a hangar for drone makers, a copy.", date(2024, 5, 2), "news",
     ["industrial-parks"], "newpark"),
]
LATER_FACTS = {"newpark": [fact(62.5e9, "CNY", "2024-H1", "output value", "Pingfang park")],
               "festival": [fact(3e9, "CNY", "2024", "output value", "tourism")]}


@pytest.fixture
def receiver():
    server = Receiver().start()
    try:
        yield server
    finally:
        server.stop()


def matched(url: str, name: str) -> list[int]:
    with session_scope(url) as session:
        from archive.models import Watch

        watch_id = session.query(Watch.id).filter_by(name=name).scalar()
        return sorted(r.article_id for r in session.query(WatchMatch).filter_by(
            watch_id=watch_id))


def test_new_articles_match_once(db_url: str, receiver) -> None:
    archive = fill(db_url)
    target = f"json://127.0.0.1:{receiver.port}/ok"
    add_watch(db_url, WatchSpec("parks", topic="industrial-parks", targets=[target]))
    add_watch(db_url, WatchSpec("aviation", query="aviation AND park"))
    add_watch(db_url, WatchSpec("big", metric="output value", above=1e10))
    add_watch(db_url, WatchSpec("section", section="Industrial Parks"))
    assert match_new(db_url) == {"parks": 0, "aviation": 0, "big": 0, "section": 0}
    ids = dict(archive.ids)
    insert(db_url, LATER, ids, LATER_FACTS)
    assert match_new(db_url) == {"parks": 1, "aviation": 1, "big": 1, "section": 1}
    assert match_new(db_url) == {"parks": 0, "aviation": 0, "big": 0, "section": 0}
    for name in ("parks", "aviation", "big", "section"):
        assert matched(db_url, name) == [ids["newpark"]], name  # not the copy, not old ones
    assert deliver_due(db_url) == {"sent": 1, "failed": 0, "given_up": 0}
    assert deliver_due(db_url)["sent"] == 0
    (message,) = receiver.to("/ok")
    assert message["title"] == "[parks] Pingfang aviation park opens"
    assert "http://e.my399.com/system/newpark.shtml" in message["message"]


def test_failures_back_off_and_degrade(db_url: str, receiver) -> None:
    fill(db_url)
    target = f"json://127.0.0.1:{receiver.port}/fail"
    add_watch(db_url, WatchSpec("parks", topic="industrial-parks", targets=[target]))
    insert(db_url, LATER[:1], {}, {})
    match_new(db_url)
    now = utcnow()
    assert deliver_due(db_url, now=now)["failed"] == 1
    assert deliver_due(db_url, now=now + timedelta(seconds=30))["failed"] == 0  # backing off
    assert deliver_due(db_url, now=now + backoff(1) + timedelta(minutes=6))["failed"] == 1
    with session_scope(db_url) as session:
        note = session.query(Notification).one()
        assert (note.status, note.attempts) == ("pending", 2)
        assert watch_health(session, note.watch_id)["health"] == "ok"
    deliver_due(db_url, now=now + timedelta(hours=8))
    with session_scope(db_url) as session:
        health = watch_health(session, session.query(Notification).one().watch_id)
    assert health["health"] == "degraded" and "fail" in health["reasons"][0]
    assert len(receiver.to("/fail")) == 3
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff(30) == timedelta(hours=6)
    remove_watch(db_url, "parks")
    with session_scope(db_url) as session:
        assert session.query(Notification).count() == 0


def test_bad_specs(sqlite_url: str) -> None:
    fill(sqlite_url)
    add_watch(sqlite_url, WatchSpec("one", topic="x"))
    for spec, text in [(WatchSpec("one", topic="y"), "exists"),
                       (WatchSpec("Two", topic="y"), "watch name"),
                       (WatchSpec("two"), "at least one"),
                       (WatchSpec("two", topic="y", below=3), "--metric"),
                       (WatchSpec("two", topic="y", targets=["nope://x"]), "apprise")]:
        with pytest.raises(WatchError, match=text):
            add_watch(sqlite_url, spec)
