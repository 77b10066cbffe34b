"""search in Chinese: the full-text indexes also hold the CJK bigrams of articles' title and
text and of facts' metric and subject

FTS5's unicode61 tokenizer and PostgreSQL's `simple` parser see a Chinese sentence as one
word. Both indexes now also hold the CJK runs of title and text as overlapping two-character
tokens plus each run's last character (工业园区 → 工业 业园 园区 区; ASCII runs glued to
them, as in 2023年GDP, become words), made by one function:
- SQLite: parkwatch_cjk(), registered on every connection parkwatch opens
  (archive.search_syntax.cjk_tokens); articles_fts gains the columns title_cjk and text_cjk,
  its external content is the view articles_fts_content, and it is rebuilt for existing rows
  (and optimised into one segment).
  A connection without the function (the sqlite3 shell) can read the archive but cannot
  write articles.
- PostgreSQL: the SQL function parkwatch_cjk() (the same tokens; a test compares the two)
  feeds articles.search_vector with weights C (title) and D (text); the generated column
  and its GIN index are rebuilt. Facts (metric, subject) get the same, in facts_fts
  (metric_cjk, subject_cjk; view facts_fts_content) and facts.search_vector (C, D).
English words are indexed exactly as before. A later SQLite migration that rebuilds
`articles` by copy-and-move drops the triggers: it must recreate them and rebuild.

Revision ID: 0007
Revises: 0011
"""
from alembic import op

revision = "0007"
down_revision = "0011"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='unicode61 remove_diacritics 0'"
DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
    "DROP VIEW IF EXISTS articles_fts_content",
]
DROP_SQLITE_FACTS = [
    "DROP TRIGGER IF EXISTS facts_fts_update",
    "DROP TRIGGER IF EXISTS facts_fts_delete",
    "DROP TRIGGER IF EXISTS facts_fts_insert",
    "DROP TABLE IF EXISTS facts_fts",
    "DROP VIEW IF EXISTS facts_fts_content",
]
SQLITE_FACTS_UP = DROP_SQLITE_FACTS + [
    "CREATE VIEW facts_fts_content AS SELECT id, metric, subject, parkwatch_cjk(metric) AS "
    "metric_cjk, parkwatch_cjk(subject) AS subject_cjk FROM facts",
    "CREATE VIRTUAL TABLE facts_fts USING fts5(metric, subject, metric_cjk, subject_cjk, "
    f"content='facts_fts_content', content_rowid='id', {TOKENIZE})",
    "CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN "
    "INSERT INTO facts_fts(rowid, metric, subject, metric_cjk, subject_cjk) VALUES (new.id, "
    "new.metric, new.subject, parkwatch_cjk(new.metric), parkwatch_cjk(new.subject)); END",
    "CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN "
    "INSERT INTO facts_fts(facts_fts, rowid, metric, subject, metric_cjk, subject_cjk) "
    "VALUES ('delete', old.id, old.metric, old.subject, parkwatch_cjk(old.metric), "
    "parkwatch_cjk(old.subject)); END",
    "CREATE TRIGGER facts_fts_update AFTER UPDATE OF metric, subject ON facts BEGIN "
    "INSERT INTO facts_fts(facts_fts, rowid, metric, subject, metric_cjk, subject_cjk) "
    "VALUES ('delete', old.id, old.metric, old.subject, parkwatch_cjk(old.metric), "
    "parkwatch_cjk(old.subject)); "
    "INSERT INTO facts_fts(rowid, metric, subject, metric_cjk, subject_cjk) VALUES (new.id, "
    "new.metric, new.subject, parkwatch_cjk(new.metric), parkwatch_cjk(new.subject)); END",
    "INSERT INTO facts_fts(facts_fts) VALUES ('rebuild')",
    "INSERT INTO facts_fts(facts_fts) VALUES ('optimize')",
]
SQLITE_FACTS_DOWN = DROP_SQLITE_FACTS + [  # 0002's index
    "CREATE VIRTUAL TABLE facts_fts USING fts5(metric, subject, content='facts', "
    f"content_rowid='id', {TOKENIZE})",
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
SQLITE_UP = DROP_SQLITE + [
    "CREATE VIEW articles_fts_content AS SELECT id, title, text, parkwatch_cjk(title) AS "
    "title_cjk, parkwatch_cjk(text) AS text_cjk FROM articles",
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, title_cjk, text_cjk, "
    f"content='articles_fts_content', content_rowid='id', {TOKENIZE})",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text, title_cjk, text_cjk) VALUES (new.id, "
    "new.title, new.text, parkwatch_cjk(new.title), parkwatch_cjk(new.text)); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text, title_cjk, text_cjk) "
    "VALUES ('delete', old.id, old.title, old.text, parkwatch_cjk(old.title), "
    "parkwatch_cjk(old.text)); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text, title_cjk, text_cjk) "
    "VALUES ('delete', old.id, old.title, old.text, parkwatch_cjk(old.title), "
    "parkwatch_cjk(old.text)); "
    "INSERT INTO articles_fts(rowid, title, text, title_cjk, text_cjk) VALUES (new.id, "
    "new.title, new.text, parkwatch_cjk(new.title), parkwatch_cjk(new.text)); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    # One b-tree segment instead of rebuild's ~10: English queries at 100k articles were
    # ~6 % slower without it, ~12 % faster with it (bench/bench_search_vs.py).
    "INSERT INTO articles_fts(articles_fts) VALUES ('optimize')",
]
SQLITE_DOWN = DROP_SQLITE + [  # 0002's index
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
    f"content_rowid='id', {TOKENIZE})",
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
]

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Words of [0-9A-Za-z CJK]; in those holding a CJK character, each CJK run as its bigrams and
# its last character, each ASCII run lower-cased: archive.search_syntax.cjk_tokens in SQL.
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION parkwatch_cjk(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN s !~ '[{CJK}]' THEN NULL ELSE (
    SELECT string_agg(tok, ' ' ORDER BY wn, pn, i)
    FROM regexp_matches(s, '[0-9A-Za-z{CJK}]+', 'g') WITH ORDINALITY AS w(m, wn)
    CROSS JOIN LATERAL regexp_matches(w.m[1], '[{CJK}]+|[0-9A-Za-z]+', 'g')
         WITH ORDINALITY AS p(pm, pn)
    CROSS JOIN LATERAL (
      SELECT lower(p.pm[1]) AS tok, 1 AS i WHERE p.pm[1] ~ '^[0-9A-Za-z]'
      UNION ALL
      SELECT substr(p.pm[1], g, 2), g FROM generate_series(1, char_length(p.pm[1]) - 1) AS g
       WHERE p.pm[1] !~ '^[0-9A-Za-z]'
      UNION ALL
      SELECT right(p.pm[1], 1), char_length(p.pm[1]) WHERE p.pm[1] !~ '^[0-9A-Za-z]'
    ) AS t
    WHERE w.m[1] ~ '[{CJK}]'
  ) END
$$
"""


def _vector(first: str, second: str, cjk: bool) -> str:
    """search_vector: A the first column, B the second, C / D their CJK tokens."""
    parts = [f"setweight(to_tsvector('simple'::regconfig, coalesce({first}, '')), 'A')",
             f"setweight(to_tsvector('simple'::regconfig, coalesce({second}, '')), 'B')"]
    if cjk:
        parts += [f"setweight(to_tsvector('simple'::regconfig, "
                  f"coalesce(parkwatch_cjk({first}), '')), 'C')",
                  f"setweight(to_tsvector('simple'::regconfig, "
                  f"coalesce(parkwatch_cjk({second}), '')), 'D')"]
    return " || ".join(parts)


def _postgres(cjk: bool) -> list[str]:
    statements = [PG_FUNCTION] if cjk else []
    for name, first, second in (("articles", "title", "text"),
                                ("facts", "metric", "subject")):
        statements += [
            f"DROP INDEX IF EXISTS ix_{name}_search_vector",
            f"ALTER TABLE {name} DROP COLUMN IF EXISTS search_vector",
            f"ALTER TABLE {name} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            f"({_vector(first, second, cjk)}) STORED",
            f"CREATE INDEX ix_{name}_search_vector ON {name} USING gin (search_vector)",
        ]
    return statements + ([] if cjk else ["DROP FUNCTION IF EXISTS parkwatch_cjk(text)"])


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP + SQLITE_FACTS_UP)
    elif dialect == "postgresql":
        _run(_postgres(cjk=True))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN + SQLITE_FACTS_DOWN)
    elif dialect == "postgresql":
        _run(_postgres(cjk=False))
