"""crawl_state: each discovery path of a source (sitemap, feed, listing section) with its
validators and how far crawls walked it; listing_state.next_url: the page after a listing page

Revision ID: 0006
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("lastmod", sa.DateTime(timezone=True), nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("in_progress", sa.Boolean(), nullable=False),
        sa.Column("deepest_page", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"],
                                name=op.f("fk_crawl_state_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_state")),
        sa.UniqueConstraint("source_id", "kind", "url", name=op.f("uq_crawl_state_source_id")),
    )
    with op.batch_alter_table("crawl_state") as batch:
        batch.create_index(batch.f("ix_crawl_state_source_id"), ["source_id"], unique=False)
    with op.batch_alter_table("listing_state") as batch:
        batch.add_column(sa.Column("next_url", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("listing_state") as batch:
        batch.drop_column("next_url")
    with op.batch_alter_table("crawl_state") as batch:
        batch.drop_index(batch.f("ix_crawl_state_source_id"))
    op.drop_table("crawl_state")
