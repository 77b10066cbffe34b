"""Migration 0010 (indexes for a million articles): built on upgrade, gone on downgrade, and
the same on both backends as archive.models declares (PostgreSQL-only indexes included)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from archive.db import (
    current_revision,
    downgrade,
    ensure_schema,
    get_engine,
    session_scope,
    upgrade,
)
from archive.models import POSTGRESQL_INDEXES, Article


def _indexes(url: str) -> dict[str, str]:
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return dict(conn.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles'")).all())
    return {ix["name"]: "" for ix in inspect(engine).get_indexes("articles")}


def test_upgrade_and_downgrade(db_url: str) -> None:
    ensure_schema(db_url)
    postgres = get_engine(db_url).dialect.name == "postgresql"
    indexes = _indexes(db_url)
    if postgres:
        assert "(published DESC NULLS LAST, id DESC)" in indexes["ix_articles_published_id"]
    else:
        assert "ix_articles_published_id" not in indexes
    assert "ix_articles_published" in indexes  # the plain one stays (date ranges, SQLite)
    downgrade(db_url, "0009")
    assert current_revision(db_url) == "0009"
    assert "ix_articles_published_id" not in _indexes(db_url)
    upgrade(db_url)
    assert ("ix_articles_published_id" in _indexes(db_url)) is postgres


def _toasted(url: str) -> int:
    with get_engine(url).connect() as conn:
        toast = conn.execute(text("SELECT reltoastrelid::regclass::text FROM pg_class "
                                  "WHERE relname = 'articles'")).scalar()
        return conn.execute(text(f"SELECT count(*) FROM {toast}")).scalar()


def _store(url: str, key: str, words: int) -> None:
    from archive.store import get_or_create_source, insert_article
    from pipelines.storage import text_hash

    body = " ".join(f"word{i % 211} park{i}" for i in range(words))
    url_ = f"http://e.my399.com/{key}.html"
    with session_scope(url) as session:
        source = get_or_create_source(session, "e-my399")
        # Core statements of the given columns: the same at an older schema (the ORM reads
        # every column the model has, some of them made by later migrations)
        insert_article(session, source.id, {"url": url_, "canonical_url": url_,
                                            "title": "A park", "text": body,
                                            "text_hash": text_hash(body)}, [])


def test_postgresql_keeps_a_typical_search_vector_in_its_row(postgres_url: str) -> None:
    """~1 kB of text and its search_vector stay in the heap row (0010's toast_tuple_target);
    before 0010 the vector went to the TOAST table. A long text still goes there."""
    ensure_schema(postgres_url)
    downgrade(postgres_url, "0009")
    _store(postgres_url, "before", 90)
    assert _toasted(postgres_url) > 0  # the layout 0010 changes
    with get_engine(postgres_url).begin() as conn:
        conn.execute(text("TRUNCATE articles CASCADE"))
    upgrade(postgres_url)
    _store(postgres_url, "typical", 90)
    assert _toasted(postgres_url) == 0
    _store(postgres_url, "long", 2000)
    assert _toasted(postgres_url) > 0


def test_postgresql_only_indexes_are_left_out_of_sqlite_schemas(tmp_path) -> None:
    """create_all from the models works on SQLite (which has no NULLS LAST in CREATE INDEX)
    and leaves the PostgreSQL-only indexes out."""
    from sqlalchemy import create_engine

    from archive.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'models.db'}")
    Base.metadata.create_all(engine)
    names = {ix["name"] for ix in inspect(engine).get_indexes("articles")}
    assert "ix_articles_published" in names and not names & POSTGRESQL_INDEXES
    assert {ix.name for ix in Article.__table__.indexes} >= POSTGRESQL_INDEXES
