"""Migration 0010 (indexes for a million articles): built on upgrade, gone on downgrade, and
the same on both backends as archive.models declares (PostgreSQL-only indexes included)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from archive.db import alembic_config, current_revision, ensure_schema, get_engine, upgrade
from archive.models import POSTGRESQL_INDEXES, Article


def _indexes(url: str) -> dict[str, str]:
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return dict(conn.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles'")).all())
    return {ix["name"]: "" for ix in inspect(engine).get_indexes("articles")}


def _downgrade(url: str, revision: str) -> None:
    with get_engine(url).begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_upgrade_and_downgrade(db_url: str) -> None:
    ensure_schema(db_url)
    postgres = get_engine(db_url).dialect.name == "postgresql"
    indexes = _indexes(db_url)
    if postgres:
        assert "(published DESC NULLS LAST, id DESC)" in indexes["ix_articles_published_id"]
    else:
        assert "ix_articles_published_id" not in indexes
    assert "ix_articles_published" in indexes  # the plain one stays (date ranges, SQLite)
    _downgrade(db_url, "0009")
    assert current_revision(db_url) == "0009"
    assert "ix_articles_published_id" not in _indexes(db_url)
    upgrade(db_url)
    assert ("ix_articles_published_id" in _indexes(db_url)) is postgres


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
