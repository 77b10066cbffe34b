"""a ten times larger statistics sample of articles.search_vector, so that a word's share is
known closely enough to call it broad without counting its matches

PostgreSQL only (SQLite counts a query's matches from its FTS5 index). ANALYZE samples 300 ×
the column's statistics target rows; at the default target (100) a word in 2.3 % of a million
articles is known to ±0.09 % of the rows (one standard error), so one a little past the broad
threshold (archive.search.BROAD_MATCHES) could not be told from one under it, and its matches
were read until the count passed the threshold: 20,001 heap rows, 100–200 ms. At 1,000 the
error is ±0.03 % (archive.search_pg.surely_broad uses five of them), and ANALYZE of a million
articles takes about 11 s instead of 3.

The statistics are gathered again here (`ANALYZE articles`), so the upgrade takes as long.

Revision ID: 0014
Revises: 0013
"""
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SEARCH_STATISTICS = 1000  # archive.search_pg reads the target back from pg_attribute


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector "
               f"SET STATISTICS {SEARCH_STATISTICS}")
    op.execute("ANALYZE articles")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS -1")
