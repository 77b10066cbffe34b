"""Migration 0012 (series by names): fact_names filled on upgrade from the facts there are and
kept by the facts' triggers after; its indexes built (ix_articles_id_url until 0013 drops it);
all gone on downgrade; SQLite untouched."""

from __future__ import annotations

from sqlalchemy import inspect, text

from archive.db import current_revision, downgrade, ensure_schema, get_engine, upgrade

SERIES_INDEXES = {"ix_facts_series", "ix_facts_series_long", "ix_articles_id_url"}
AT_HEAD = SERIES_INDEXES - {"ix_articles_id_url"}  # dropped by 0013


def _indexes(url: str) -> set[str]:
    engine = get_engine(url)
    return {ix["name"] for table in ("facts", "articles")
            for ix in inspect(engine).get_indexes(table)}


def _store(url: str, key: str, metric: str, subject: str | None) -> None:
    from archive.db import session_scope
    from archive.store import get_or_create_source, insert_article

    url_ = f"http://e.my399.com/{key}.html"
    with session_scope(url) as session:
        source = get_or_create_source(session, "e-my399")
        # Core statements of the given columns: the same at an older schema (the ORM reads
        # every column the model has, some of them made by later migrations)
        insert_article(session, source.id, {
            "url": url_, "canonical_url": url_, "title": key, "text": f"{metric} text",
            "text_hash": key * 8}, [{
                "value": 1, "unit": "billion yuan", "kind": "level", "qualifier": "exact",
                "period": "2022", "metric": metric, "subject": subject,
                "sentence": "s", "start": 0, "end": 1}], "1")


def _names(url: str) -> set[tuple[str, str]]:
    with get_engine(url).connect() as conn:
        return set(conn.execute(text("SELECT field, name FROM fact_names")).all())


def test_upgrade_fills_and_downgrade_removes(postgres_url: str) -> None:
    ensure_schema(postgres_url)
    assert _indexes(postgres_url) >= AT_HEAD
    assert "ix_articles_id_url" not in _indexes(postgres_url)
    downgrade(postgres_url, "0010")
    assert current_revision(postgres_url) == "0010"
    assert not SERIES_INDEXES & _indexes(postgres_url)
    assert "fact_names" not in inspect(get_engine(postgres_url)).get_table_names()
    _store(postgres_url, "before", "GDP", "Songbei district")
    upgrade(postgres_url, "0012")
    assert _indexes(postgres_url) >= SERIES_INDEXES
    upgrade(postgres_url)
    assert _names(postgres_url) == {("metric", "GDP"), ("subject", "Songbei district")}
    _store(postgres_url, "after", "tax revenue", None)
    _store(postgres_url, "again", "GDP", "Songbei district")
    assert _names(postgres_url) == {("metric", "GDP"), ("subject", "Songbei district"),
                                    ("metric", "tax revenue")}
    with get_engine(postgres_url).begin() as conn:
        conn.execute(text("UPDATE facts SET subject = 'Daoli district' WHERE metric = 'GDP'"))
    assert ("subject", "Daoli district") in _names(postgres_url)


def test_sqlite_gets_none_of_it(sqlite_url: str) -> None:
    ensure_schema(sqlite_url)
    assert not SERIES_INDEXES & _indexes(sqlite_url)
    assert "fact_names" not in inspect(get_engine(sqlite_url)).get_table_names()
