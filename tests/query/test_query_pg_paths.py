"""PostgreSQL's shortcuts at scale give the same answers as the plain way: a query the
statistics or a sample call broad without counting, the ranked page and the count from one
pass, a broad page from the bounded walk or from the sort of every match, metric / subject
prefixes looked up in fact_terms (migration 0010)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, literal_column, select, text

import archive.search
from archive import search_pg
from archive.db import session_scope
from archive.filters import ARTICLE_ORDER, ArticleFilter, apply_filters
from archive.models import Article
from archive.queries import FactFilter, list_facts, metric_series
from archive.search import parse, search, to_tsquery
from archive.store import get_or_create_source
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


def _never(session, node, broad_matches) -> bool:
    return False


def test_statistics_call_broad_what_their_sample_surely_puts_past_the_threshold() -> None:
    """A million articles, threshold 20,000: a word in 2.3 % of them is 23,000 articles, 3.5
    standard errors past it in a sample of 30,000 rows (the default target) and 13 in one of
    300,000 (migration 0014's)."""
    million, broad = 1_000_000, 20_000
    shares = {"cathedral": 0.023, "wetland": 0.0203, "park": 0.6, "port": 0.5}

    def verdict(query: str, target: int = 1000) -> bool:
        return search_pg.broad_by_statistics(parse(query), shares, million, target, broad)

    assert verdict("cathedral") and not verdict("cathedral", target=100)
    assert not verdict("wetland")  # 1.4 standard errors past it: could be under
    assert verdict("cath*") and verdict("zebra OR cathedral") and not verdict("zebra")
    assert verdict("park AND port")  # at least 10 % of the rows have both
    assert not verdict("cathedral AND park")  # 0.023 + 0.6 - 1 < 0: nothing sure
    for query in ("cathedral NOT park", '"cathedral park"'):
        assert not verdict(query)
    # a small table is its own sample: the share is exact, past the threshold or not
    assert search_pg.broad_by_statistics(parse("harbour"), {"harbour": 0.5}, 10, 1000, 4)
    assert not search_pg.broad_by_statistics(parse("harbour"), {"harbour": 0.5}, 10, 1000, 5)


def test_statistics_shortcut_gives_the_counted_answer(harbour_pg, monkeypatch) -> None:
    monkeypatch.setattr(search_pg, "BROAD_SIGMAS", 0.0)  # the tiny table's share as it is
    with session_scope(harbour_pg.url) as session:
        assert search_pg.surely_broad(session, parse("harbour"), 3)
        assert search_pg.surely_broad(session, parse("zebra OR harbour"), 3)
        assert not search_pg.surely_broad(session, parse("zebra"), 3)
        # never inside an AND, a NOT or a phrase (their matches are fewer than a word's)
        for query in ("harbour AND zebra", "harbour NOT ferries", '"harbour cranes"'):
            assert not search_pg.surely_broad(session, parse(query), 3)
    shortcut = answers(harbour_pg.url)
    monkeypatch.setattr(search_pg, "surely_broad", _never)
    assert answers(harbour_pg.url) == shortcut
    assert any(shortcut)


def test_without_statistics_nothing_is_called_broad(postgres_url: str) -> None:
    fill_harbour(postgres_url)
    with session_scope(postgres_url) as session:
        session.execute(text("DELETE FROM pg_statistic WHERE starelid = 'articles'::regclass"))
        assert not search_pg.surely_broad(session, parse("harbour"), 3)


def _match_counts(url: str, queries: list[str]) -> dict[str, int]:
    with session_scope(url) as session:
        return {q: session.execute(text(
            "SELECT count(*) FROM articles WHERE search_vector @@ to_tsquery('simple', :q)"),
            {"q": to_tsquery(parse(q))}).scalar_one() for q in queries}


def test_the_sample_calls_broad_only_what_counts_as_broad(harbour_pg, monkeypatch) -> None:
    # The whole table as the sample, no margin: the sample's verdict is the count's.
    monkeypatch.setattr(search_pg, "PG_SAMPLE_ROWS", 10**9)
    monkeypatch.setattr(search_pg, "PG_SAMPLE_MORE", 10**9)
    monkeypatch.setattr(search_pg, "PG_SAMPLE_MIN", 1)
    monkeypatch.setattr(search_pg, "PG_SAMPLE_SIGMAS", 0.0)
    monkeypatch.setattr(search_pg, "PG_SAMPLE_MARGIN", 1.0)
    counts = _match_counts(harbour_pg.url, QUERIES + ['"harbour cranes"', "zebra"])
    with session_scope(harbour_pg.url) as session:
        verdicts = {q: search_pg.sampled_broad(session, parse(q), 3) for q in counts}
    assert verdicts == {q: n > 3 for q, n in counts.items()}
    assert any(verdicts.values()) and not all(verdicts.values())
    sampled = answers(harbour_pg.url)
    monkeypatch.setattr(search_pg, "sampled_broad", _never)
    monkeypatch.setattr(search_pg, "surely_broad", _never)
    assert answers(harbour_pg.url) == sampled


def test_a_small_table_is_never_sampled(harbour_pg) -> None:
    with session_scope(harbour_pg.url) as session:  # fewer rows than PG_SAMPLE_MIN
        assert not search_pg.sampled_broad(session, parse("harbour"), 3)


def _plain_page(session, query: str, filters: ArticleFilter, limit: int, offset: int,
                broad_matches: int) -> list[tuple[int, float]]:
    """The page as the plain statements give it: every match counted, then ranked (or,
    past broad_matches, sorted newest first) with the filters."""
    node = parse(query)
    vector = literal_column("articles.search_vector")
    matching = vector.op("@@")(search_pg.tsquery(node))
    total = session.scalar(select(func.count()).select_from(Article).where(matching))
    score = search_pg.rank(node).label("score")
    stmt = apply_filters(select(Article.id, score).where(matching), filters)
    if total > broad_matches:
        stmt = stmt.order_by(*ARTICLE_ORDER)
    else:
        stmt = stmt.order_by(score.desc(), *ARTICLE_ORDER)
    return [(row.id, float(row.score)) for row in
            session.execute(stmt.limit(limit).offset(offset))]


@pytest.mark.parametrize(("broad_matches", "factor"), [(3, 1), (3, 2), (20_000, 2)])
def test_one_pass_pages_are_the_plain_pages(harbour_pg, monkeypatch, broad_matches,
                                            factor) -> None:
    """Ranked pages, broad pages sorted from the pass (filtered, within the cap) and broad
    pages of the walk (past the cap) are the plain statements' pages."""
    monkeypatch.setattr(archive.search, "BROAD_MATCHES", broad_matches)
    monkeypatch.setattr(search_pg, "PG_PASS_FACTOR", factor)
    monkeypatch.setattr(search_pg, "surely_broad", _never)  # every query takes the one pass
    with session_scope(harbour_pg.url) as session:
        for query in QUERIES + ['"harbour cranes"', "zebra", "songhua OR dairy"]:
            for filters in FILTERS + [ArticleFilter(source="nowhere"),
                                      ArticleFilter(with_duplicates=True)]:
                for offset in (0, 1, 2, 5):
                    fast = [(h.id, h.score) for h in search(session, query, filters, limit=2,
                                                            offset=offset)]
                    plain = _plain_page(session, query, filters, 2, offset, broad_matches)
                    assert fast == plain, (query, filters, offset)


def test_broad_page_from_a_starved_walk_is_the_page_of_the_full_sort(harbour_pg,
                                                                     monkeypatch) -> None:
    walked = answers(harbour_pg.url)
    monkeypatch.setattr(search_pg, "PG_WALK", 1)
    monkeypatch.setattr(search_pg, "PG_WALK_FACTOR", 1)  # every page falls back
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
    monkeypatch.setattr(search_pg, "PG_PREFIX_EXPANSION", 0)  # every prefix kept as is
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


@pytest.mark.parametrize(("filters", "index"), [
    (ArticleFilter(source="e-my399"), "ix_articles_source_published_id"),
    (ArticleFilter(source="e-my399", since=date(2022, 1, 1)), "ix_articles_source_published_id"),
    (ArticleFilter(section="News"), "ix_articles_section_published_id"),
    (ArticleFilter(sections=("news",)), "ix_articles_section_published_id"),
    (ArticleFilter(), "ix_articles_published_id"),
])
def test_a_broad_page_walks_its_source_or_section_down_their_own_index(harbour_pg, filters,
                                                                        index) -> None:
    """Migration 0015: a source's or a section's newest rows are read in the list's order from
    an index of their own (here forced: a table this small would be read whole)."""
    with session_scope(harbour_pg.url) as session:
        stmt = search_pg.walk_rows(filters).limit(5)
        sql = str(stmt.compile(session.bind, compile_kwargs={"literal_binds": True}))
        with search_pg.pg_settings(session, enable_seqscan="off", enable_bitmapscan="off",
                                   enable_sort="off"):
            plan = "\n".join(session.connection().exec_driver_sql(f"EXPLAIN {sql}").scalars())
    assert f"Index Only Scan using {index}" in plan or f"Index Scan using {index}" in plan, plan
    assert "Sort" not in plan, plan


def test_a_broad_page_of_a_small_source_is_the_plain_page(postgres_url, monkeypatch) -> None:
    """A source whose articles are too few among the newest for the archive-wide walk: its
    own walk gives the page the plain statements give."""
    fill_harbour(postgres_url)
    with session_scope(postgres_url) as session:
        get_or_create_source(session, "small-port")
        session.flush()
        session.execute(text(
            "UPDATE articles SET source_id = (SELECT id FROM sources WHERE name = 'small-port') "
            "WHERE id IN (SELECT id FROM articles ORDER BY published ASC NULLS FIRST, id LIMIT 3)"))
        session.execute(text("ANALYZE articles"))
    monkeypatch.setattr(archive.search, "BROAD_MATCHES", 1)
    monkeypatch.setattr(search_pg, "PG_WALK", 2)  # the archive's newest 2 hold none of it
    monkeypatch.setattr(search_pg, "PG_WALK_FACTOR", 1)
    small = ArticleFilter(source="small-port", with_duplicates=True)
    with session_scope(postgres_url) as session:
        walked = [h.id for h in search(session, "harbour OR river OR port OR the", small,
                                       limit=1)]
        plain = [i for i, _ in _plain_page(session, "harbour OR river OR port OR the", small,
                                           1, 0, 1)]
        fell_back = []
        real_scalars = session.scalars
        session.scalars = lambda stmt, *a, **k: fell_back.append(stmt) or real_scalars(stmt, *a,
                                                                                       **k)
        search_pg.page_broad(session, parse("harbour OR river OR port OR the"), small, 1, 0)
    assert walked == plain and walked
    assert len(fell_back) == 1  # the walk held the page: no read of every match
