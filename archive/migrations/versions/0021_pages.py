"""pages: every fetched article page kept as a WARC record, and the record each reading came from

`pages` locates a kept page (its WARC file, offset and length), when it was captured and how
(live, import, archive); `articles.page_record` and `revisions.page_record` name the record an
article's reading and each former reading came from; `revisions.reason` says why a reading
changed (None: the page changed at a re-fetch; "reread": the same page read by newer rules).

Revision ID: 0021
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pages",
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id",
                                                         name="fk_pages_source_id_sources"),
                  nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("warc_file", sa.String(500), nullable=False),
        sa.Column("warc_offset", sa.BigInteger, nullable=False),
        sa.Column("warc_length", sa.Integer, nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("origin_ref", sa.Text, nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name="pk_pages"),
    )
    op.create_index("ix_pages_source_id", "pages", ["source_id"])
    op.create_index("ix_pages_warc_file", "pages", ["warc_file"])
    # Plain ALTER TABLE … ADD COLUMN on both backends: no table rebuild, triggers kept.
    op.add_column("articles", sa.Column("page_record", sa.String(64), nullable=True))
    op.add_column("revisions", sa.Column("reason", sa.String(16), nullable=True))
    op.add_column("revisions", sa.Column("page_record", sa.String(64), nullable=True))


def downgrade() -> None:
    from archive.migrations.batch import keeping_sqlite_triggers

    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("page_record")
        batch.drop_column("reason")
    with keeping_sqlite_triggers("articles"), op.batch_alter_table("articles") as batch:
        batch.drop_column("page_record")
    op.drop_index("ix_pages_warc_file", table_name="pages")
    op.drop_index("ix_pages_source_id", table_name="pages")
    op.drop_table("pages")
