"""PostgreSQL's shortcuts at scale give the same answers as the plain way: a query the
statistics call broad without counting, a broad page from the bounded walk or from the sort of
every match, metric / subject prefixes looked up in fact_terms (migration 0010)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

import archive.search
from archive.db import session_scope
from archive.queries import ArticleFilter, FactFilter, list_facts, metric_series
from archive.search import search
from tests.query.conftest import fact, insert
from tests.query.test_query_broad import fill_harbour

QUERIES = ["harbour", "harbour OR park", "park*", '"industrial park"', "harbour NOT ferries",
           "songbei AND park"]
FILTERS = [ArticleFilter(), ArticleFilter(section="news"), ArticleFilter(topic="tourism"),
           ArticleFilter(since=date(2022, 1, 1)), ArticleFilter(until=date(2023, 1, 1))]


def answers(url: str, limit: int = 3) -> list:
    out = []
    with session_scope(url) as session:
        for query in QUERIES:
            for filters in FILTERS:
                for offset in (0, 2):
                    out.append([(h.id, h.score) for h in search(session, query, filters,
                                                               limit=limit, offset=offset)])
    return out


@pytest.fixture
def harbour_pg(postgres_url: str, monkeypatch):
    archive_ = fill_harbour(postgres_url)
    with session_scope(postgres_url) as session:
        session.execute(text("ANALYZE articles"))
    monkeypatch.setattr(archive.search, "BROAD_MATCHES", 3)
    return archive_


def test_statistics_shortcut_gives_the_counted_answer(harbour_pg, monkeypatch) -> None:
    monkeypatch.setattr(archive.search, "BROAD_CERTAIN", 1)  # 3 articles: "far past" it
    with session_scope(harbour_pg.url) as session:
        assert archive.search._surely_broad(session, archive.search.parse("harbour"))
        assert archive.search._surely_broad(session, archive.search.parse("zebra OR harbour"))
        assert not archive.search._surely_broad(session, archive.search.parse("zebra"))
        # never inside an AND, a NOT or a phrase (their matches are fewer than a word's)
        for query in ("harbour AND zebra", "harbour NOT ferries", '"harbour cranes"'):
            assert not archive.search._surely_broad(session, archive.search.parse(query))
    shortcut = answers(harbour_pg.url)
    monkeypatch.setattr(archive.search, "_surely_broad", lambda session, node: False)
    assert answers(harbour_pg.url) == shortcut
    assert any(shortcut)


def test_without_statistics_nothing_is_called_broad(postgres_url: str) -> None:
    fill_harbour(postgres_url)
    with session_scope(postgres_url) as session:
        session.execute(text("DELETE FROM pg_statistic WHERE starelid = 'articles'::regclass"))
        assert not archive.search._surely_broad(session, archive.search.parse("harbour"))


def test_broad_page_from_a_starved_walk_is_the_page_of_the_full_sort(harbour_pg,
                                                                     monkeypatch) -> None:
    walked = answers(harbour_pg.url)
    monkeypatch.setattr(archive.search, "PG_WALK", 1)
    monkeypatch.setattr(archive.search, "PG_WALK_FACTOR", 1)  # every page falls back
    assert answers(harbour_pg.url) == walked
    assert any(walked)


def test_broad_pages_match_sqlite(harbour_pg, sqlite_url: str) -> None:
    fill_harbour(sqlite_url)
    ids = [[i for i, _ in page] for page in answers(harbour_pg.url)]
    assert ids == [[i for i, _ in page] for page in answers(sqlite_url)]


SERIES = [("gdp", None), ("GDP", "songbei"), ("indust outp", "songb"), (None, "the song"),
          ("regional", "Songbei district"), ("tour vis", "harb"), ("gd", "hul"),
          ("zebra", None), ("gdp", "nowhere")]


def facts_seen(url: str) -> list:
    out = []
    with session_scope(url) as session:
        for metric, subject in SERIES:
            filters = FactFilter(metric=metric, subject=subject)
            out.append(([f["id"] for f in list_facts(session, filters, limit=100)],
                        metric_series(session, filters)))
    return out


def test_prefixes_looked_up_in_fact_terms_match_as_prefixes(postgres_url: str,
                                                            monkeypatch) -> None:
    fill_harbour(postgres_url)
    expanded = facts_seen(postgres_url)
    assert all(ids for ids, _ in expanded[:-2])  # each found something: not vacuous
    assert expanded[-1] == ([], []) and expanded[-2] == ([], [])
    monkeypatch.setattr(archive.search, "PG_PREFIX_EXPANSION", 0)  # every prefix kept as is
    assert facts_seen(postgres_url) == expanded


def test_words_of_new_facts_are_added_to_fact_terms(postgres_url: str) -> None:
    ids: dict[str, int] = {}
    fill_harbour(postgres_url)
    before = facts_seen(postgres_url)
    insert(postgres_url, [("zoo", "Zebra park", "A zebra enclosure opened.", date(2024, 5, 1),
                           "news", [], None)], ids,
           {"zoo": [fact(12, "count", "2024", "zebra foals", "Harbin zoo")]})
    with session_scope(postgres_url) as session:
        terms = set(session.execute(text("SELECT term FROM fact_terms")).scalars())
        found = list_facts(session, FactFilter(metric="zeb", subject="zo"))
    assert {"zebra", "foals", "zoo", "harbin"} <= terms
    assert [f["article_id"] for f in found] == [ids["zoo"]]
    assert facts_seen(postgres_url)[:-2] == before[:-2]
