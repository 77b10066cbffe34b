"""metric series from B-tree indexes: the names of facts' metrics and subjects, facts by
(metric, subject) with what a series reads, articles' URL and date by id

PostgreSQL only (SQLite's series read facts_fts and the facts' rows, as before):
- `fact_names`: every distinct metric and subject of facts (field 'metric' / 'subject'),
  with a search_vector made as the metric's (A, C) or subject's (B, D) part of
  facts.search_vector, kept by a trigger like fact_terms (0010). A series filter's words are
  matched against these few names first; facts are then read by exact name.
- `ix_facts_series` on facts (metric, subject) INCLUDE what metric_series reads: a series
  is an index-only scan of its names instead of GIN intersecting common words and a heap
  page per fact. Partial: rows whose metric, subject and subject_key together pass
  SERIES_MAX_BYTES are left out (a B-tree entry holds at most ~2.7 kB), and
  `ix_facts_series_long` lists them, so the series knows when to read the plain way.
- `ix_articles_id_url` on articles (id) INCLUDE (published, url): a series' sources (URL
  and date) without a heap page of the 3 GB articles table each. Partial likewise (URLs up
  to SERIES_MAX_BYTES); an article left out is read by its primary key.

Revision ID: 0012
Revises: 0010
"""
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

SERIES_MAX_BYTES = 2000  # must match archive.models / archive.queries

SERIES_LONG = ("octet_length(coalesce(metric, '')) + octet_length(coalesce(subject, '')) "
               f"+ octet_length(coalesce(subject_key, '')) > {SERIES_MAX_BYTES}")

NAMES_VECTOR = (
    "CASE field WHEN 'metric' THEN setweight(to_tsvector('simple', name), 'A') || "
    "setweight(to_tsvector('simple', coalesce(parkwatch_cjk(name), '')), 'C') "
    "ELSE setweight(to_tsvector('simple', name), 'B') || "
    "setweight(to_tsvector('simple', coalesce(parkwatch_cjk(name), '')), 'D') END"
)

# Names in sorted order, so two writers adding the same new names cannot deadlock.
FACT_NAMES_FUNCTION = """
CREATE OR REPLACE FUNCTION parkwatch_fact_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO fact_names (field, name)
  SELECT field, name FROM (
    SELECT DISTINCT 'metric' AS field, metric AS name FROM new_facts WHERE metric IS NOT NULL
    UNION SELECT 'subject', subject FROM new_facts WHERE subject IS NOT NULL) AS n
  ORDER BY field, md5(name) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$
"""

FILL = ("INSERT INTO fact_names (field, name) SELECT DISTINCT 'metric', metric FROM facts "
        "WHERE metric IS NOT NULL UNION SELECT 'subject', subject FROM facts "
        "WHERE subject IS NOT NULL ON CONFLICT DO NOTHING")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE fact_names (field text NOT NULL, name text NOT NULL, "
               f"search_vector tsvector GENERATED ALWAYS AS ({NAMES_VECTOR}) STORED)")
    op.execute("CREATE UNIQUE INDEX ux_fact_names ON fact_names (field, md5(name))")
    op.execute("CREATE INDEX ix_fact_names_search_vector ON fact_names "
               "USING gin (search_vector)")
    op.execute(FILL)
    op.execute(FACT_NAMES_FUNCTION)
    for event in ("INSERT", "UPDATE"):
        op.execute(f"CREATE TRIGGER facts_names_{event.lower()} AFTER {event} ON facts "
                   "REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT "
                   "EXECUTE FUNCTION parkwatch_fact_names()")
    op.execute("CREATE INDEX IF NOT EXISTS ix_facts_series ON facts (metric, subject) "
               "INCLUDE (article_id, position, id, value, unit, kind, basis, period, "
               f"period_start, period_end, subject_key) WHERE NOT ({SERIES_LONG})")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_facts_series_long ON facts (id) "
               f"WHERE {SERIES_LONG}")
    op.execute("CREATE INDEX IF NOT EXISTS ix_articles_id_url ON articles (id) "
               f"INCLUDE (published, url) WHERE octet_length(url) <= {SERIES_MAX_BYTES}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_id_url")
    op.execute("DROP INDEX IF EXISTS ix_facts_series_long")
    op.execute("DROP INDEX IF EXISTS ix_facts_series")
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS facts_names_{event} ON facts")
    op.execute("DROP FUNCTION IF EXISTS parkwatch_fact_names()")
    op.execute("DROP TABLE IF EXISTS fact_names")
