"""One stored article that no XML can hold (a control character in its title, stored before
text was cleaned at reading) is left out of its watch's Atom feed and logged; the feed still
answers 200 and parses, with every other entry in it."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from foundation.settings import Settings
from parkwatch.api import create_app
from tests.query.conftest import fill
from watches.match import match_watch
from watches.store import WatchSpec, add_watch

# (key, title, text, published, section, topics, duplicate-of key), as tests/query stores them
ROWS: list[tuple[str, str, str, date, str, list[str], None]] = [
    ("clean", "Songbei park signs 12 projects", "The Songbei park signed 12 projects.",
     date(2024, 3, 1), "news", [], None),
    ("backspace", "Songbei\x08 park\x1b[31m doubles output", "Its output doubled.\x00",
     date(2024, 3, 2), "news\x0b", [], None),
    ("later", "Hulan dairy park expands", "The Hulan dairy park expanded.",
     date(2024, 3, 3), "news", [], None),
]


def test_an_entry_that_cannot_be_written_is_left_out_not_the_feed(
        sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fill(sqlite_url, rows=[])
    watch = add_watch(sqlite_url, WatchSpec("all", source="e-my399"))
    archive = fill(sqlite_url, rows=ROWS, facts={})
    assert match_watch(sqlite_url, watch.id) == 3
    client = TestClient(create_app(Settings(database_url=sqlite_url, home=tmp_path)))
    with caplog.at_level(logging.WARNING, logger="watches.feed"):
        response = client.get("/feeds/all.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Hulan dairy park expands",
                                               "Songbei park signs 12 projects"]
    left_out = [r.getMessage() for r in caplog.records if r.name == "watches.feed"]
    assert len(left_out) == 1 and f"article {archive.ids['backspace']}" in left_out[0]
