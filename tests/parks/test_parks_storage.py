"""Parks in the archive (migration 0022): the tables on SQLite and PostgreSQL, facts linked as
they are stored, provisional entities for zones the gazetteer does not list."""

from __future__ import annotations

from sqlalchemy import inspect, select

from archive.db import current_revision, downgrade, get_engine, session_scope, upgrade
from archive.models import Entity, EntityAlias, Fact



def test_0022_upgrades_and_downgrades_on_both_backends(db_url: str) -> None:
    upgrade(db_url)
    assert current_revision(db_url) == "0022"
    inspector = inspect(get_engine(db_url))
    assert {"entities", "entity_aliases", "entity_corrections", "entity_relinks"} <= set(
        inspector.get_table_names())
    columns = {c["name"] for c in inspector.get_columns("facts")}
    assert {"entity_id", "measure", "series_id", "status"} <= columns
    indexes = {i["name"] for i in inspector.get_indexes("facts")}
    assert {"ix_facts_series_id", "ix_facts_entity_measure"} <= indexes
    downgrade(db_url, "0021")
    get_engine(db_url).dispose()
    inspector = inspect(get_engine(db_url))
    assert "entities" not in inspector.get_table_names()
    assert "series_id" not in {c["name"] for c in inspector.get_columns("facts")}
    upgrade(db_url)
    assert current_revision(db_url) == "0022"
