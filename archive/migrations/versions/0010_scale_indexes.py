"""indexes and storage for a million articles: article lists and broad searches read in their
own order, search vectors kept in the row, the words of facts for prefix lookups

PostgreSQL only (SQLite needs none of it; its FTS5 indexes have their own prefix indexes):
- `ix_articles_published_id` on (published DESC NULLS LAST, id DESC), the order of
  `articles list` and of broad searches, so their first page, and any page reached by keyset
  (`--after ID`), is read from the index instead of sorting every row (a btree on
  `published` alone, read backwards, gives DESC NULLS FIRST, which is not that order).
  SQLite's `ix_articles_published` already ends each entry with the rowid, which is the id,
  and SQLite sorts NULL first, so that index read backwards is the order.
- `toast_tuple_target = 4080` on articles: a typical row (title, ~1 kB of text and its
  ~1.5 kB search_vector) stays whole in its heap page instead of having its search_vector
  moved to the TOAST table, so every phrase check and `ts_rank` reads one page instead of
  three (TOAST index, TOAST page, heap page). Rows written from now on; an archive upgraded
  with rows in it moves them in with `VACUUM FULL articles` (it locks the table meanwhile).

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TOAST_TUPLE_TARGET = 4080  # bytes; PostgreSQL's default is 2032


# Words in sorted order, so two writers adding the same new words cannot deadlock.
FACT_TERMS_FUNCTION = """
CREATE OR REPLACE FUNCTION parkwatch_fact_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO fact_terms (term)
  SELECT DISTINCT t FROM new_facts, unnest(tsvector_to_array(new_facts.search_vector)) AS t
  ORDER BY t ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_articles_published_id "
               "ON articles (published DESC NULLS LAST, id DESC)")
    op.execute(f"ALTER TABLE articles SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")
    op.execute('CREATE TABLE fact_terms (term text COLLATE "C" NOT NULL, '
               "CONSTRAINT pk_fact_terms PRIMARY KEY (term))")
    op.execute("INSERT INTO fact_terms (term) SELECT DISTINCT t FROM facts, "
               "unnest(tsvector_to_array(facts.search_vector)) AS t")
    op.execute(FACT_TERMS_FUNCTION)
    for event in ("INSERT", "UPDATE"):
        op.execute(f"CREATE TRIGGER facts_terms_{event.lower()} AFTER {event} ON facts "
                   "REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT "
                   "EXECUTE FUNCTION parkwatch_fact_terms()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS facts_terms_{event} ON facts")
    op.execute("DROP FUNCTION IF EXISTS parkwatch_fact_terms()")
    op.execute("DROP TABLE IF EXISTS fact_terms")
    op.execute("ALTER TABLE articles RESET (toast_tuple_target)")
    op.execute("DROP INDEX IF EXISTS ix_articles_published_id")
