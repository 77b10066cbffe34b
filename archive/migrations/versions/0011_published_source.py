"""articles.published_source: where an article's publication date was read

jsonld, meta, time, visible, url or profile — so an analyst can tell a date the page states
from one guessed from its URL.

Revision ID: 0011
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from archive.migrations.batch import keeping_sqlite_triggers

revision = "0011"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("published_source", sa.String(16), nullable=True))


def downgrade() -> None:
    with keeping_sqlite_triggers("articles"), op.batch_alter_table("articles") as batch:
        batch.drop_column("published_source")
