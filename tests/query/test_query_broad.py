"""Broad queries (more than BROAD_MATCHES articles, lowered here): newest first, both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

import archive.search
from archive.db import session_scope
from archive.filters import ArticleFilter
from archive.search import search
from tests.query.conftest import Archive, fill, insert

HARBOUR = [  # (key, title, text, published, section, topics, duplicate_of key)
    ("old-title", "Harbour harbour harbour: the river port in 2019",
     "The harbour of Harbin on the Songhua handles grain barges and harbour cranes.",
     date(2019, 5, 1), "business/parks", ["industrial-parks"], None),
    ("new-text", "Ferries resume on the Songhua",
     "Passenger ferries left the harbour again after the ice melted along the embankment.",
     date(2024, 4, 20), "news", ["tourism"], None),
    ("same-day-a", "Cold-chain warehouse opens near the harbour",
     "A refrigerated warehouse for frozen dumplings and dairy opened in Daoli district.",
     date(2022, 9, 9), "business/parks", ["industrial-parks"], None),
    ("same-day-b", "Shipyard apprentices graduate",
     "Ninety welders trained at the river shipyard and harbour workshops graduated today.",
     date(2022, 9, 9), "news", [], None),
    ("undated", "Harbour museum collection",
     "Photographs of steamers, lanterns and harbour pilots from the Russian era.",
     None, "news", [], None),
    ("copy", "Ferries resume on the Songhua (reprint)",
     "Passenger ferries left the harbour again after the ice melted, a reprint.",
     date(2024, 4, 21), "news", ["tourism"], "new-text"),
]
# newest first (undated last; same date: higher id first); `copy` is a near-duplicate
NEWEST = ["new-text", "same-day-b", "same-day-a", "old-title", "undated"]


def fill_harbour(url: str) -> Archive:
    archive = fill(url)
    insert(url, HARBOUR, archive.ids)
    return archive


@pytest.fixture
def harbour(db_url: str) -> Archive:
    return fill_harbour(db_url)


@pytest.fixture
def broad(monkeypatch):
    """A query matching more than 3 articles (before filters) is broad."""
    monkeypatch.setattr(archive.search, "BROAD_MATCHES", 3)


def hit_ids(url: str, query: str, limit: int = 100, offset: int = 0, **filters) -> list[int]:
    with session_scope(url) as session:
        return [h.id for h in search(session, query, ArticleFilter(**filters), limit=limit,
                                     offset=offset)]


def keys(archive: Archive, *names: str) -> list[int]:
    return [archive.ids[n] for n in names]


def test_a_broad_query_lists_its_hits_newest_first(harbour, broad) -> None:
    assert hit_ids(harbour.url, "harbour") == keys(harbour, *NEWEST)
    with session_scope(harbour.url) as session:
        hits = search(session, "harbour", limit=100)
    assert all(hit.score > 0 for hit in hits)  # still reported, for the page's rows
    assert hits[0].snippet and "<mark>" in hits[0].snippet.lower()
    assert hit_ids(harbour.url, "harbour", with_duplicates=True) == keys(
        harbour, "copy", *NEWEST)


def test_below_the_threshold_the_ranked_order_is_unchanged(harbour, broad,
                                                            monkeypatch) -> None:
    # 5 matches, threshold 3: newest first; with the default threshold: best first
    assert hit_ids(harbour.url, "harbour") == keys(harbour, *NEWEST)
    monkeypatch.setattr(archive.search, "BROAD_MATCHES", 20_000)
    ranked = hit_ids(harbour.url, "harbour")
    assert ranked[0] == harbour.ids["old-title"]  # the title says it three times
    assert set(ranked[:3]) == set(keys(harbour, "old-title", "undated", "same-day-a"))
    monkeypatch.setattr(archive.search, "BROAD_MATCHES", 3)
    # 2 matches is not broad: the title hit of 2019 before the text hit of 2022
    assert hit_ids(harbour.url, "river") == keys(harbour, "old-title", "same-day-b")
    # 4 matches (3 + a near-duplicate, counted before filters) is
    assert hit_ids(harbour.url, "park") == keys(harbour, "songbei", "tourism", "robots")


def test_filters_apply_to_a_broad_query(harbour, broad) -> None:
    url = harbour.url
    assert hit_ids(url, "harbour", section="news") == keys(harbour, "new-text", "same-day-b",
                                                           "undated")
    assert hit_ids(url, "harbour", since=date(2022, 1, 1)) == keys(harbour, "new-text",
                                                                   "same-day-b", "same-day-a")
    assert hit_ids(url, "harbour", until=date(2022, 9, 9)) == keys(harbour, "same-day-b",
                                                                   "same-day-a", "old-title")
    assert hit_ids(url, "harbour", topic="industrial-parks") == keys(harbour, "same-day-a",
                                                                     "old-title")
    assert hit_ids(url, "harbour", source="e-my399") == keys(harbour, *NEWEST)
    assert hit_ids(url, "harbour", source="elsewhere") == []
    # the threshold counts matches before filters: 2 hits left, still newest first
    assert hit_ids(url, "harbour NOT ferries", topic="industrial-parks") == keys(
        harbour, "same-day-a", "old-title")


def test_paging_a_broad_query(harbour, broad) -> None:
    everything = hit_ids(harbour.url, "harbour")
    pages = [hit_ids(harbour.url, "harbour", limit=2, offset=o) for o in (0, 2, 4, 6)]
    assert pages == [everything[0:2], everything[2:4], everything[4:], []]
    assert hit_ids(harbour.url, "harbour", limit=2, offset=1, section="news") == keys(
        harbour, "same-day-b", "undated")
    assert hit_ids(harbour.url, "harbour", limit=0) == []


def test_broad_scores_are_fts5_bm25_of_the_page_rows(sqlite_url, broad) -> None:
    harbour = fill_harbour(sqlite_url)
    for query in ("harbour", "harbour NOT ferries", '"the harbour" OR harb*',
                  "(harbour OR river) NOT (ice AND dairy)", "(harbour AND ice) OR harbour*",
                  "harbour NOT (dairy OR steamers)", "harbour (river OR ice OR the)"):
        with session_scope(harbour.url) as session:
            hits = search(session, query, limit=100)
            match = archive.search.to_fts5(archive.search.parse(query))
            expected = dict(session.execute(text(
                "SELECT rowid, -bm25(articles_fts, 4.0, 1.0) FROM articles_fts "
                "WHERE articles_fts MATCH :m"), {"m": match}).all())
        assert len(hits) >= 3, query
        for hit in hits:
            assert hit.score == pytest.approx(expected[hit.id], rel=1e-12), (query, hit.id)


def test_sqlite_and_postgresql_give_the_same_pages(sqlite_url, postgres_url, broad) -> None:
    lite, pg = fill_harbour(sqlite_url), fill_harbour(postgres_url)
    cases = [("harbour", {}), ("harbour", {"section": "news"}),
             ("harbour", {"since": date(2022, 1, 1), "limit": 2, "offset": 1}),
             ("harbour OR park", {"with_duplicates": True}),
             ('"the harbour" OR harb*', {}), ("park", {})]
    name_of = {v: k for k, v in lite.ids.items()}
    for query, options in cases:
        on_lite = [name_of[i] for i in hit_ids(lite.url, query, **options)]
        on_pg = [{v: k for k, v in pg.ids.items()}[i] for i in hit_ids(pg.url, query, **options)]
        assert on_lite == on_pg, (query, options)
