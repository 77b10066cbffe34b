"""A topic filter (archive.queries.has_topic) matches whole names in an article's topics on both
backends — names with LIKE's wildcards, quotes, slashes or Chinese in them too — and on
PostgreSQL a search with one asks the search index for the words and the topic at once
(migration 0016)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from archive import search_pg
from archive.db import session_scope
from archive.filters import ArticleFilter
from archive.queries import list_articles
from archive.search import parse, search
from tests.query.conftest import fill

NAMES = ["industrial-parks", "50%_growth", "a/b", 'say "zone"', "开发区", "parks"]
# (key, title, text, published, section, topics, duplicate-of key)
ROWS = [
    ("plain", "Park one", "A harbour park opened.", date(2024, 1, 1), "news",
     ["industrial-parks"], None),
    ("wild", "Park two", "A harbour park grew.", date(2024, 1, 2), "news",
     ["50%_growth", "a/b"], None),
    ("quoted", "Park three", "A harbour park zone.", date(2024, 1, 3), "news",
     ['say "zone"'], None),
    ("chinese", "Park four", "A harbour park in 开发区.", date(2024, 1, 4), "news",
     ["开发区", "parks"], None),
    ("none", "Park five", "A harbour park, no topic.", date(2024, 1, 5), "news", [], None),
    # names a text match could confuse with the ones above
    ("lookalike", "Park six", "A harbour park again.", date(2024, 1, 6), "news",
     ["50x1growth", "a-b", "industrial-parks-east", "say", "开发"], None),
]


@pytest.fixture
def topical(db_url: str):
    return fill(db_url, ROWS, {})


def _listed(url: str, topic: str) -> set[int]:
    with session_scope(url) as session:
        return {a.id for a in list_articles(session, ArticleFilter(topic=topic), limit=100)}


def _searched(url: str, topic: str) -> set[int]:
    with session_scope(url) as session:
        return {h.id for h in search(session, "harbour", ArticleFilter(topic=topic), limit=100)}


def test_a_topic_matches_whole_names_only(topical) -> None:
    expected = {name: {topical.ids[key] for key, *_, topics, _dup in ROWS if name in topics}
                for name in NAMES}
    assert all(expected.values())  # each name is held by some article: not vacuous
    for name in [*NAMES, "growth", "%", "_", "a", "开", "industrial"]:
        want = expected.get(name, set())
        assert _listed(topical.url, name) == want, name
        assert _searched(topical.url, name) == want, name


def test_a_topic_search_asks_the_search_index_for_words_and_topic_together(postgres_url,
                                                                           monkeypatch) -> None:
    """The search of a broad page whose walk found too few: one scan of the search index
    holds both conditions (forced here: a table this small would be read whole)."""
    fill(postgres_url, ROWS, {})
    filters = ArticleFilter(topic="industrial-parks", since=date(2020, 1, 1))
    with session_scope(postgres_url) as session:
        session.execute(text("ANALYZE articles"))
        stmt = search_pg.every_match(parse("harbour"), filters).limit(5)
        sql = str(stmt.compile(session.bind, compile_kwargs={"literal_binds": True}))
        with search_pg.pg_settings(session, enable_seqscan="off"):
            plan = "\n".join(session.connection().exec_driver_sql(f"EXPLAIN {sql}").scalars())
        indexdef = session.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_search_vector'"
        )).scalar()
    assert "(search_vector, ((topics)::jsonb) jsonb_path_ops)" in indexdef
    scan = next(line for line in plan.splitlines() if "ix_articles_search_vector" in line)
    cond = plan.splitlines()[plan.splitlines().index(scan) + 1]
    assert "search_vector @@" in cond and "@>" in cond, plan

    monkeypatch.setattr(search_pg, "PG_WALK", 1)  # the page comes from every_match
    monkeypatch.setattr(search_pg, "PG_WALK_FACTOR", 1)
    monkeypatch.setattr("archive.search.BROAD_MATCHES", 1)
    with session_scope(postgres_url) as session:
        hits = search(session, "harbour", filters, limit=5)
    assert [h.title for h in hits] == ["Park one"]
