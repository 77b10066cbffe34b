"""prefix indexes for the facts' full-text index (metric, subject)

`metrics series` and `/facts` match every word as a prefix (`indust outp`). Without a prefix
index FTS5 answers `"industrial"*` by reading and merging the whole doclist of every term
with that prefix before the AND can skip anything (~20 ms for a five-word query over
300,000 facts); with one it reads a ready-made doclist like a plain word (~7 ms). The prefix
index covers prefixes of 2 to 12 characters (words of 1 or more than 12 characters still
match, the slower way). It makes facts_fts about 7 times larger (the metric and subject
words are short; ~60 MB for 300,000 facts).

SQLite: facts_fts is recreated with `prefix=...` (same columns, tokenizer and triggers as
0002) and rebuilt from facts. PostgreSQL: nothing to do (a GIN index answers `word:*` by a
range scan of its sorted keys).

Revision ID: 0003
Revises: 0002
"""
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PREFIXES = " ".join(str(n) for n in range(2, 13))


def _facts_fts(prefix: str | None) -> list[str]:
    option = f", prefix='{prefix}'" if prefix else ""
    return [
        "DROP TRIGGER IF EXISTS facts_fts_update",
        "DROP TRIGGER IF EXISTS facts_fts_delete",
        "DROP TRIGGER IF EXISTS facts_fts_insert",
        "DROP TABLE IF EXISTS facts_fts",
        "CREATE VIRTUAL TABLE facts_fts USING fts5(metric, subject, content='facts', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 0'{option})",
        "CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN "
        "INSERT INTO facts_fts(rowid, metric, subject) "
        "VALUES (new.id, new.metric, new.subject); END",
        "CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN "
        "INSERT INTO facts_fts(facts_fts, rowid, metric, subject) "
        "VALUES ('delete', old.id, old.metric, old.subject); END",
        "CREATE TRIGGER facts_fts_update AFTER UPDATE OF metric, subject ON facts BEGIN "
        "INSERT INTO facts_fts(facts_fts, rowid, metric, subject) "
        "VALUES ('delete', old.id, old.metric, old.subject); "
        "INSERT INTO facts_fts(rowid, metric, subject) "
        "VALUES (new.id, new.metric, new.subject); END",
        "INSERT INTO facts_fts(facts_fts) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _facts_fts(PREFIXES):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _facts_fts(None):
            op.execute(statement)
