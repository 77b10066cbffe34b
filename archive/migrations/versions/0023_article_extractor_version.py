"""articles.extractor_version: the metric extractor that last read an article, facts or none

An article without facts had no row to carry the version, so `metrics reextract --outdated`
took it for outdated on every run. Existing articles get their facts' version; fact-less ones
stay NULL (outdated once, then stamped).

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN on both backends: no table rebuild, triggers kept.
    op.add_column("articles", sa.Column("extractor_version", sa.String(32), nullable=True))
    op.execute("UPDATE articles SET extractor_version = (SELECT MIN(facts.extractor_version) "
               "FROM facts WHERE facts.article_id = articles.id)")


def downgrade() -> None:
    op.drop_column("articles", "extractor_version")
