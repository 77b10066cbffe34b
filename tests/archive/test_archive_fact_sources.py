"""Migration 0013 (each fact's copy of its article's date and URL, PostgreSQL): filled on
upgrade, kept by the triggers whoever writes (the ORM's save_article, the batch writer's
insert_article, re-extraction, a plain UPDATE of an article), a long URL left out; the
series read from the copies answers as the plain way; downgrade removes it; SQLite has none."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import inspect, text

from archive.db import downgrade, ensure_schema, get_engine, session_scope, upgrade
from archive.store import get_or_create_source, insert_article, save_article
from tests.query.conftest import series_both_ways

COLUMNS = {"article_published", "article_url"}
TEXT = "Songbei district GDP reached 120.5 billion yuan in 2022."  # one fact when re-read


def _fact(metric: str = "GDP", period: str = "2022") -> dict:
    return {"value": 7, "unit": "billion yuan", "kind": "level", "qualifier": "exact",
            "period": period, "metric": metric, "subject": "Songbei district",
            "sentence": "s", "start": 0, "end": 1}


def _data(key: str, published: date | None, text_: str = TEXT, url: str = "") -> dict:
    url = url or f"http://e.my399.com/{key}.html"
    return {"url": url, "canonical_url": url, "title": key, "text": text_,
            "text_hash": hashlib.sha256((key + text_).encode()).hexdigest(),
            "published": published}


def _save(db: str, key: str, published: date | None, text_: str = TEXT,
          url: str = "") -> int:
    with session_scope(db) as session:
        source = get_or_create_source(session, "e-my399")
        _, article = save_article(session, source.id, _data(key, published, text_, url),
                                  [_fact(), _fact("tax revenue")], "1")
        session.flush()
        return article.id


def _insert(db: str, key: str, published: date) -> None:
    """An article stored by Core statements of its columns alone (as at an older schema: the
    ORM reads every column of the model, some made by later migrations)."""
    with session_scope(db) as session:
        source = get_or_create_source(session, "e-my399")
        insert_article(session, source.id, _data(key, published), [_fact()], "1")


def _copies(db: str) -> dict[int, set[tuple]]:
    """{article id: {(its published, its url, each fact's copies)}}: one element when in step."""
    with get_engine(db).connect() as conn:
        rows = conn.execute(text(
            "SELECT a.id, a.published, CASE WHEN octet_length(a.url) <= 500 THEN a.url END, "
            "f.article_published, f.article_url FROM facts f JOIN articles a "
            "ON a.id = f.article_id")).all()
    found: dict[int, set[tuple]] = {}
    for article_id, published, url, copied_published, copied_url in rows:
        found.setdefault(article_id, set()).add(
            (published, url) if (published, url) == (copied_published, copied_url)
            else ("out of step", copied_published, copied_url))
    return found


def _in_step(db: str) -> None:
    copies = _copies(db)
    assert copies and all(len(v) == 1 and "out of step" not in next(iter(v))
                          for v in copies.values()), copies


def test_upgrade_fills_and_downgrade_removes(postgres_url: str) -> None:
    ensure_schema(postgres_url)
    downgrade(postgres_url, "0012")
    columns = {c["name"] for c in inspect(get_engine(postgres_url)).get_columns("facts")}
    assert not COLUMNS & columns
    _insert(postgres_url, "before", date(2022, 5, 1))
    upgrade(postgres_url)
    columns = {c["name"] for c in inspect(get_engine(postgres_url)).get_columns("facts")}
    assert columns >= COLUMNS
    _in_step(postgres_url)
    indexes = {ix["name"] for table in ("facts", "articles")
               for ix in inspect(get_engine(postgres_url)).get_indexes(table)}
    assert {"ix_facts_series", "ix_facts_series_long"} <= indexes
    assert "ix_articles_id_url" not in indexes  # only series read it
    downgrade(postgres_url, "0012")
    assert "ix_articles_id_url" in {
        ix["name"] for ix in inspect(get_engine(postgres_url)).get_indexes("articles")}


def test_every_writer_keeps_the_copies_in_step(postgres_url: str, monkeypatch) -> None:
    from pipelines.reextract import reextract

    ensure_schema(postgres_url)
    first = _save(postgres_url, "a", date(2022, 5, 1))
    with session_scope(postgres_url) as session:  # the batch writer's Core path
        source = get_or_create_source(session, "e-my399")
        insert_article(session, source.id, _data("b", date(2021, 2, 2)), [_fact()], "1")
    _in_step(postgres_url)
    # a changed page with a changed date: the facts are replaced and the date moves
    _save(postgres_url, "a", date(2023, 7, 7), text_=TEXT.replace("120.5", "121.5"))
    _in_step(postgres_url)
    with get_engine(postgres_url).begin() as conn:  # any other writer of the article
        conn.execute(text("UPDATE articles SET published = NULL WHERE id = :id"),
                     {"id": first})
        conn.execute(text("UPDATE articles SET url = 'http://e.my399.com/moved.html', "
                          "published = '2020-01-01' WHERE title = 'b'"))
    _in_step(postgres_url)
    reextract(postgres_url)  # facts written again from the texts
    _in_step(postgres_url)
    for filters in ({"metric": "gdp"}, {"metric": "gdp", "since": date(2022, 6, 1)},
                    {"metric": "gdp", "until": date(2022, 6, 1)}):
        fast, plain = series_both_ways(postgres_url, monkeypatch, **filters)
        assert fast == plain


def test_a_long_url_is_not_copied_and_read_by_primary_key(postgres_url: str,
                                                           monkeypatch) -> None:
    ensure_schema(postgres_url)
    long_url = "http://e.my399.com/" + "x" * 600 + ".html"
    _save(postgres_url, "long", date(2022, 5, 1), url=long_url)
    _save(postgres_url, "short", date(2022, 6, 1))
    with get_engine(postgres_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM facts WHERE article_url IS NULL")
                            ).scalar_one() == 2
    _in_step(postgres_url)
    fast, plain = series_both_ways(postgres_url, monkeypatch, metric="gdp")
    assert fast == plain
    assert any(s["url"] == long_url for p in fast for v in p["values"] for s in v["sources"])


def test_sqlite_gets_none_of_it(sqlite_url: str) -> None:
    ensure_schema(sqlite_url)
    columns = {c["name"] for c in inspect(get_engine(sqlite_url)).get_columns("facts")}
    assert not COLUMNS & columns
