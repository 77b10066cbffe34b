"""crawl_runs.listing_read and listing_links: listing pages read and article links found on them

A site whose listing pages still answer but carry no article link (a redesign, new URL
shapes) looks like a quiet site unless the run records how many links it saw.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("listing_read", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("listing_links", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("listing_links")
        batch.drop_column("listing_read")
