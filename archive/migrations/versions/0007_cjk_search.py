"""search in Chinese: the full-text indexes also hold each title's and text's CJK bigrams

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
  and its GIN index are rebuilt.
English words are indexed exactly as before. A later SQLite migration that rebuilds
`articles` by copy-and-move drops the triggers: it must recreate them and rebuild.

Revision ID: 0007
Revises: 0004
"""
from alembic import op

revision = "0007"
down_revision = "0004"
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


def _vector(cjk: bool) -> str:
    parts = ["setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')",
             "setweight(to_tsvector('simple'::regconfig, coalesce(text, '')), 'B')"]
    if cjk:
        parts += ["setweight(to_tsvector('simple'::regconfig, "
                  "coalesce(parkwatch_cjk(title), '')), 'C')",
                  "setweight(to_tsvector('simple'::regconfig, "
                  "coalesce(parkwatch_cjk(text), '')), 'D')"]
    return " || ".join(parts)


def _postgres(cjk: bool) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_articles_search_vector",
        "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
        *([PG_FUNCTION] if cjk else []),
        f"ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"({_vector(cjk)}) STORED",
        "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
        *([] if cjk else ["DROP FUNCTION IF EXISTS parkwatch_cjk(text)"]),
    ]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(_postgres(cjk=True))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(_postgres(cjk=False))
