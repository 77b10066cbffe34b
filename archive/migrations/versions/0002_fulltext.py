"""full-text indexes over articles (title, text) and facts (metric, subject)

SQLite: FTS5 external-content tables kept in sync by triggers (rebuilt for existing rows).
PostgreSQL: generated tsvector columns (weight A: title / metric, B: text / subject) with
GIN indexes.
Both use a plain tokenizer (no stemming, no stop words) so queries match alike; see
archive/search.py. Note for later SQLite migrations: a batch (copy-and-move) rebuild of
`articles` drops these triggers, so such a migration must recreate them and rebuild.

Revision ID: 0002
Revises: 0001
"""
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE facts_fts USING fts5(metric, subject, content='facts', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN "
    "INSERT INTO facts_fts(rowid, metric, subject) VALUES (new.id, new.metric, new.subject); END",
    "CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN "
    "INSERT INTO facts_fts(facts_fts, rowid, metric, subject) "
    "VALUES ('delete', old.id, old.metric, old.subject); END",
    "CREATE TRIGGER facts_fts_update AFTER UPDATE OF metric, subject ON facts BEGIN "
    "INSERT INTO facts_fts(facts_fts, rowid, metric, subject) "
    "VALUES ('delete', old.id, old.metric, old.subject); "
    "INSERT INTO facts_fts(rowid, metric, subject) VALUES (new.id, new.metric, new.subject); END",
    "INSERT INTO facts_fts(facts_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS facts_fts_update",
    "DROP TRIGGER IF EXISTS facts_fts_delete",
    "DROP TRIGGER IF EXISTS facts_fts_insert",
    "DROP TABLE IF EXISTS facts_fts",
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
]
POSTGRES_UP = [
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(text, '')), 'B')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
    "ALTER TABLE facts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, coalesce(metric, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(subject, '')), 'B')) STORED",
    "CREATE INDEX ix_facts_search_vector ON facts USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_facts_search_vector",
    "ALTER TABLE facts DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWN)
