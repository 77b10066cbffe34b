"""a broad search filtered by source or section walks that source's or section's newest
articles, not the whole archive's

PostgreSQL only (SQLite's broad page walks its `published` index against the match set held in
memory, without a heap read per row). A broad search's page is read by walking the newest rows
down ix_articles_published_id and checking each (archive.search_pg.page_broad). With a source
or a section filter, most of the newest rows belong to other sources or sections: a source with
0.5 % of the articles leaves a handful in the first 2,000, the walk does not fill the page, and
every match of the query (600,000 for `park` at a million articles) was read, filtered and
sorted. These two indexes are the list's order within one source and within one section
(sections are matched case-blind, as the filter does), so the walk starts there.

Revision ID: 0015
Revises: 0014
"""
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_articles_source_published_id": "(source_id, published DESC NULLS LAST, id DESC)",
    "ix_articles_section_published_id": "(lower(section), published DESC NULLS LAST, id DESC)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON articles {columns}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
