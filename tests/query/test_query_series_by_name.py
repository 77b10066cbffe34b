"""A series read by exact names (PostgreSQL: fact_names and the index-only scans of migration
0012) answers exactly as the plain way through the full-text match, on both backends; and
falls back to the plain way when the partial indexes leave rows out."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from archive import queries
from archive.db import session_scope
from archive.models import SERIES_LONG
from archive.queries import FactFilter, metric_series
from archive.search import SearchSyntaxError
from tests.query.conftest import fact, fill, insert, series_both_ways

FILTERS = [
    {"metric": "gdp"}, {"metric": "GDP", "subject": "songbei"}, {"metric": "regional gdp"},
    {"metric": "indust outp"}, {"metric": "dp"}, {"metric": "gdp", "subject": "nowhere"},
    {"metric": "gdp", "subject": "hulan"}, {"metric": "g", "subject": "s d"},
    {"metric": "output", "unit": "percent"}, {"metric": "output", "unit": "billion yuan"},
    {"metric": "gdp", "kind": "level", "period": "2022"},
    {"metric": "gdp", "since": date(2022, 6, 1)}, {"metric": "gdp", "until": date(2022, 6, 1)},
    {"metric": "gdp", "since": date(2021, 6, 1), "until": date(2022, 6, 1)},
    {"metric": "tourist", "subject": "harbin"}, {"metric": "国内生产总值"},
    {"metric": "工业", "subject": "松北"}, {"metric": "gdp songbei"},
    {"metric": "eco", "subject": "eco"},
]

EXTRA = {"extra": [
    fact(7, "billion yuan", "2022", "国内生产总值", "松北区", start=date(2022, 1, 1),
         end=date(2022, 12, 31)),
    fact(3, "percent", "2023", "工业增加值", "松北区", kind="change"),
    fact(4, "billion yuan", "2024", "GDP", None),
    fact(5, "billion yuan", None, "GDP", "Songbei district"),
    fact(6, "billion yuan", "2020", "Eco-industrial output", "Daoli Eco-Industrial Park"),
]}


@pytest.fixture(scope="module")
def bigger(module_db_url):
    """The small archive and a few more facts, written once per backend (only read here)."""
    archive = fill(module_db_url)
    insert(archive.url, [("extra", "松北区 GDP", "松北区国内生产总值 7 billion yuan.",
                          None, "news", [], None)], archive.ids, EXTRA)
    return archive


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: " ".join(map(str, f.values())))
def test_by_name_answers_as_the_plain_way(bigger, monkeypatch, filters) -> None:
    fast, plain = series_both_ways(bigger.url, monkeypatch, **filters)
    assert fast == plain


def test_the_names_way_is_taken_on_postgresql_only(bigger) -> None:
    with session_scope(bigger.url) as session:
        rows = queries._series_rows_by_name(session, FactFilter(metric="gdp", subject="songbei"))
        postgres = session.get_bind().dialect.name == "postgresql"
        assert (rows is not None) is postgres
        # no metric words: the plain way
        assert queries._series_rows_by_name(session, FactFilter(subject="songbei")) is None
        if postgres:
            assert rows and {r[9] for r in rows} == {"GDP", "gdp", "regional GDP"}
            session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table
            plan = "\n".join(session.connection().exec_driver_sql(
                "EXPLAIN SELECT id, article_id, value, unit, kind, basis, period, "
                "period_start, period_end, metric, subject, subject_key, article_url, "
                "article_published FROM facts WHERE metric = ANY(ARRAY['GDP']) "
                "AND subject = ANY(ARRAY['Songbei district']) AND period IS NOT NULL "
                f"AND NOT ({SERIES_LONG}) ORDER BY article_id, position").scalars())
            assert "Index Only Scan using ix_facts_series" in plan, plan
            assert "articles" not in plan, plan  # the sources come with the facts (0013)


def test_syntax_errors_stay(archive) -> None:
    with session_scope(archive.url) as session, pytest.raises(SearchSyntaxError):
        metric_series(session, FactFilter(metric="gdp", subject="%%"))


def test_rows_too_long_for_the_index_are_read_the_plain_way(postgres_url, monkeypatch) -> None:
    from tests.query.conftest import fill

    archive = fill(postgres_url)
    long_subject = "Songbei " + "very long name " * 200
    insert(postgres_url, [("long", "Long", "A long subject.", date(2022, 2, 2), "news", [],
                           None)], archive.ids,
           {"long": [fact(9, "billion yuan", "2022", "GDP", long_subject)]})
    with session_scope(postgres_url) as session:
        assert queries._series_rows_by_name(session, FactFilter(metric="gdp")) is None
    fast, plain = series_both_ways(postgres_url, monkeypatch, metric="gdp", subject="songbei")
    assert fast == plain
    assert any(v["subject"] == long_subject for p in fast for v in p["values"])


def test_long_urls_are_read_by_primary_key(postgres_url, monkeypatch) -> None:
    from archive.store import get_or_create_source, save_article
    from tests.query.conftest import fill

    archive = fill(postgres_url)
    url = "http://e.my399.com/" + "松" * 900 + ".html"  # 2,700 bytes in 925 characters
    with session_scope(postgres_url) as session:
        source = get_or_create_source(session, "e-my399")
        save_article(session, source.id, {"url": url, "canonical_url": url, "title": "Long",
                                          "text": "GDP.", "text_hash": "x" * 40,
                                          "published": date(2022, 3, 3)},
                     [fact(11, "billion yuan", "2022", "GDP", "Songbei district")], "test")
    assert archive
    fast, plain = series_both_ways(postgres_url, monkeypatch, metric="gdp", subject="songbei")
    assert fast == plain
    assert any(s["url"] == url for p in fast for v in p["values"] for s in v["sources"])
