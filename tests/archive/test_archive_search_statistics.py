"""Migration 0014 (PostgreSQL): articles.search_vector's statistics target is raised, so the
statistics the broad-query shortcut reads come from a sample ten times larger; the shortcut
reads the target back; downgrade puts the server's default back."""

from __future__ import annotations

from sqlalchemy import text

from archive import search_pg
from archive.db import downgrade, ensure_schema, session_scope, upgrade
from archive.search_syntax import parse
from tests.query.test_query_broad import fill_harbour

TARGET = ("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'articles'::regclass "
          "AND attname = 'search_vector'")


def test_the_search_statistics_target_is_raised_and_read(postgres_url: str, monkeypatch) -> None:
    ensure_schema(postgres_url)
    with session_scope(postgres_url) as session:
        assert session.execute(text(TARGET)).scalar() == 1000
    fill_harbour(postgres_url)
    with session_scope(postgres_url) as session:
        session.execute(text("ANALYZE articles"))
    read: list = []
    real = search_pg.broad_by_statistics
    monkeypatch.setattr(search_pg, "broad_by_statistics",
                        lambda *args: read.append(args) or real(*args))
    with session_scope(postgres_url) as session:
        search_pg.surely_broad(session, parse("harbour"), 3)
    (node, shares, rows, target, broad), = read
    assert target == 1000 and broad == 3 and rows > 0 and 0 < shares["harbour"] <= 1
    downgrade(postgres_url, "0013")
    with session_scope(postgres_url) as session:
        assert session.execute(text(TARGET)).scalar() in (-1, None)  # the server's default
        read.clear()
        search_pg.surely_broad(session, parse("harbour"), 3)
        assert read[0][3] == 100  # default_statistics_target
    upgrade(postgres_url)

