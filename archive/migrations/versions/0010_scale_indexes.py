"""indexes for a million articles: article lists and broad searches in their own order

PostgreSQL: `ix_articles_published_id` on (published DESC NULLS LAST, id DESC), the order of
`articles list` and of broad searches, so their first page, and any page reached by keyset
(`--after ID`), is read from the index instead of sorting every row (a btree on `published`
alone, read backwards, gives DESC NULLS FIRST, which is not that order). SQLite needs none:
`ix_articles_published` already ends each entry with the rowid, which is the id, and SQLite
sorts NULL first, so the index read backwards is that order.

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_articles_published_id "
                   "ON articles (published DESC NULLS LAST, id DESC)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_published_id")
