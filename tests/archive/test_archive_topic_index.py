"""Migration 0016: the PostgreSQL search index gets each article's topics as its second column,
and downgrade gives back the one-column index; SQLite is left as it was."""

from __future__ import annotations

from sqlalchemy import text

from archive.db import (
    current_revision,
    downgrade,
    ensure_schema,
    get_engine,
    head_revision,
    upgrade,
)


def _definition(url: str) -> str | None:
    with get_engine(url).connect() as conn:
        return conn.execute(text("SELECT indexdef FROM pg_indexes "
                                 "WHERE indexname LIKE 'ix_articles_search_vector%'")).scalar()


def test_upgrade_and_downgrade(postgres_url: str) -> None:
    ensure_schema(postgres_url)
    assert _definition(postgres_url).endswith(
        "USING gin (search_vector, ((topics)::jsonb) jsonb_path_ops)")
    downgrade(postgres_url, "0015")
    assert current_revision(postgres_url) == "0015"
    assert _definition(postgres_url).endswith("USING gin (search_vector)")
    upgrade(postgres_url)
    assert "jsonb_path_ops" in _definition(postgres_url)


def test_sqlite_is_unchanged(sqlite_url: str) -> None:
    ensure_schema(sqlite_url)
    downgrade(sqlite_url, "0015")
    upgrade(sqlite_url)
    assert current_revision(sqlite_url) == head_revision()
