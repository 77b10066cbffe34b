"""A downgrade leaves the schema its target revision creates: on SQLite, where dropping a
column rebuilds the table, the full-text triggers of `articles` and `facts` survive it (and
search keeps seeing new rows)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from archive.db import current_revision, downgrade, get_engine, upgrade


def _triggers(url: str) -> dict[str, str]:
    with get_engine(url).connect() as conn:
        return dict(conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all())


@pytest.mark.parametrize("target", ["0007", "0005"])  # through 0008's and 0011's downgrades
def test_a_downgrade_keeps_the_full_text_triggers_of_its_target(tmp_path, target) -> None:
    fresh, downgraded = (f"sqlite:///{tmp_path / name}" for name in ("fresh.db", "down.db"))
    upgrade(fresh, target)
    upgrade(downgraded)
    downgrade(downgraded, target)
    assert current_revision(downgraded) == target
    want = _triggers(fresh)
    assert {"articles_fts_insert", "facts_fts_insert"} <= set(want)
    assert _triggers(downgraded) == want
    assert _views(downgraded) == _views(fresh)
    # And they work: a new article is found by the full-text index.
    with get_engine(downgraded).begin() as conn:
        source = _insert(conn, "sources", name="s")
        _insert(conn, "articles", source_id=source, url="http://s/1", canonical_url="http://s/1",
                title="Zone news", text="wetland park opens")
        found = conn.execute(text(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'wetland'")).scalar()
    assert found == 1


def _views(url: str) -> dict[str, str]:
    with get_engine(url).connect() as conn:
        return dict(conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'view'")).all())


def _insert(conn, table: str, **values) -> int:
    """A row with these values and a plain value in every other required column."""
    for _, name, kind, notnull, default, primary in conn.execute(
            text(f"PRAGMA table_info({table})")):
        if notnull and default is None and not primary and name not in values:
            values[name] = 0 if "INT" in kind.upper() or "BOOL" in kind.upper() else (
                "2024-01-01 00:00:00" if "DATE" in kind.upper() or "TIME" in kind.upper()
                else "[]")
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"),
                        values).lastrowid
