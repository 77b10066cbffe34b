"""What a migration needs around SQLite's table rebuilds.

On SQLite, `op.batch_alter_table` rebuilds the table (create a copy, move the rows, drop the
old one, rename the copy). The old table's triggers go with it — the full-text triggers of
`articles` and `facts`, without which search stops seeing new and changed rows — and the
rename fails while a view (`facts_fts_content`) names the table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import op


@contextmanager
def keeping_sqlite_triggers(table: str) -> Iterator[None]:
    """Around a rebuild of `table`: the views are dropped and made again after it, and the
    table's triggers re-created as they were."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return

    def schema(kind: str, table: str | None = None) -> list[tuple[str, str]]:
        where = " AND tbl_name = ?" if table else ""
        return list(bind.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = ?{where} ORDER BY name",
            (kind, table) if table else (kind,)))

    triggers, views = schema("trigger", table), schema("view")
    for name, _ in views:
        bind.exec_driver_sql(f'DROP VIEW "{name}"')
    yield
    for _, sql in views:
        bind.exec_driver_sql(sql)
    present = {name for name, _ in schema("trigger", table)}
    for name, sql in triggers:
        if name not in present:
            bind.exec_driver_sql(sql)
