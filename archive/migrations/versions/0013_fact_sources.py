"""each fact carries its article's date and URL, so a metric series is one index-only scan

PostgreSQL only (SQLite's series read facts_fts and the facts' rows, as before):
- `facts.article_published` and `facts.article_url`: a copy of the article's `published`
  and `url` (the URL only when it has at most SOURCE_URL_BYTES bytes, else NULL: a series
  reads such an article by its primary key). Kept by triggers, whoever writes: a fact
  inserted (or moved to another article) takes its article's values; an article whose
  `published` or `url` changes passes them on to its facts.
- `ix_facts_series` is built again with the two columns INCLUDEd: a series' facts and their
  sources in one index-only scan, instead of one probe of `ix_articles_id_url` per fact.
  Its partial predicate (and `ix_facts_series_long`'s) counts the URL too, so an entry stays
  within a B-tree entry's ~2.7 kB.
- `ix_articles_id_url` (0012), which only series read, is dropped: one index fewer to keep
  on every article written.

The copy is filled here by one UPDATE of every fact (the whole upgrade took 134 s at 3 million
facts on the development machine); `VACUUM ANALYZE facts` afterwards (27 s there; or
autovacuum) marks the pages all-visible again, which the index-only scan needs to skip the
heap. The index is built beside the old row versions, so about 40 % of its 1.0 GB there is
free space, reused as facts are written (`REINDEX INDEX CONCURRENTLY ix_facts_series` gives
it back).

Revision ID: 0013
Revises: 0012
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SERIES_MAX_BYTES = 2000  # must match archive.models
SOURCE_URL_BYTES = 500  # likewise

OLD_LONG = ("octet_length(coalesce(metric, '')) + octet_length(coalesce(subject, '')) "
            f"+ octet_length(coalesce(subject_key, '')) > {SERIES_MAX_BYTES}")
SERIES_LONG = ("octet_length(coalesce(metric, '')) + octet_length(coalesce(subject, '')) "
               "+ octet_length(coalesce(subject_key, '')) "
               f"+ octet_length(coalesce(article_url, '')) > {SERIES_MAX_BYTES}")
OLD_INCLUDE = ("article_id, position, id, value, unit, kind, basis, period, period_start, "
               "period_end, subject_key")

SHORT_URL = f"CASE WHEN octet_length(url) <= {SOURCE_URL_BYTES} THEN url END"

FACT_SOURCE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION parkwatch_fact_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT published, {SHORT_URL} INTO NEW.article_published, NEW.article_url
  FROM articles WHERE id = NEW.article_id;
  RETURN NEW;
END
$$
"""

ARTICLE_SOURCE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION parkwatch_article_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE facts SET article_published = NEW.published,
    article_url = CASE WHEN octet_length(NEW.url) <= {SOURCE_URL_BYTES} THEN NEW.url END
  WHERE article_id = NEW.id;
  RETURN NULL;
END
$$
"""


def _series_indexes(include: str, long: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_facts_series")
    op.execute("DROP INDEX IF EXISTS ix_facts_series_long")
    op.execute(f"CREATE INDEX ix_facts_series ON facts (metric, subject) INCLUDE ({include}) "
               f"WHERE NOT ({long})")
    op.execute(f"CREATE INDEX ix_facts_series_long ON facts (id) WHERE {long}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_facts_series")  # not kept up during the fill
    op.execute("ALTER TABLE facts ADD COLUMN article_published date, "
               "ADD COLUMN article_url text")
    op.execute(f"UPDATE facts f SET article_published = a.published, article_url = "
               f"{SHORT_URL.replace('url', 'a.url')} FROM articles a WHERE a.id = f.article_id")
    op.execute(FACT_SOURCE_FUNCTION)
    op.execute("CREATE TRIGGER facts_source BEFORE INSERT OR UPDATE OF article_id ON facts "
               "FOR EACH ROW EXECUTE FUNCTION parkwatch_fact_source()")
    op.execute(ARTICLE_SOURCE_FUNCTION)
    op.execute("CREATE TRIGGER articles_source AFTER UPDATE OF published, url ON articles "
               "FOR EACH ROW WHEN (OLD.published IS DISTINCT FROM NEW.published "
               "OR OLD.url IS DISTINCT FROM NEW.url) "
               "EXECUTE FUNCTION parkwatch_article_source()")
    _series_indexes(f"{OLD_INCLUDE}, article_published, article_url", SERIES_LONG)
    op.execute("DROP INDEX IF EXISTS ix_articles_id_url")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS articles_source ON articles")
    op.execute("DROP FUNCTION IF EXISTS parkwatch_article_source()")
    op.execute("DROP TRIGGER IF EXISTS facts_source ON facts")
    op.execute("DROP FUNCTION IF EXISTS parkwatch_fact_source()")
    op.execute("DROP INDEX IF EXISTS ix_facts_series")
    op.execute("DROP INDEX IF EXISTS ix_facts_series_long")
    op.execute("ALTER TABLE facts DROP COLUMN IF EXISTS article_published, "
               "DROP COLUMN IF EXISTS article_url")
    _series_indexes(OLD_INCLUDE, OLD_LONG)
    op.execute("CREATE INDEX IF NOT EXISTS ix_articles_id_url ON articles (id) "
               f"INCLUDE (published, url) WHERE octet_length(url) <= {SERIES_MAX_BYTES}")
