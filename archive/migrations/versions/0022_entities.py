"""entities: the parks, zones and places figures are linked to, and each fact's link

`entities` (gazetteer entities are seeded at run time, on first use or by `parks relink`: this
migration imports no pipeline code), `entity_aliases` (names with language and source),
`entity_corrections` (an analyst's alias / merge / split, re-applied on relinking),
`entity_relinks` (how far a relink got, to resume it); `facts`
gains entity_id, measure, series_id and status, indexed for series lookups (series_id;
entity_id + measure). Existing facts are linked by `parkwatch parks relink`.

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_ID = 200


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(_ID), nullable=False),
        sa.Column("name_zh", sa.Text, nullable=True),
        sa.Column("name_en", sa.Text, nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parent_id", sa.String(_ID), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("merged_into", sa.String(_ID), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
    )
    op.create_index("ix_entities_kind", "entities", ["kind"])
    op.create_index("ix_entities_parent_id", "entities", ["parent_id"])
    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.String(_ID), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], ondelete="CASCADE",
                                name="fk_entity_aliases_entity_id_entities"),
        sa.PrimaryKeyConstraint("id", name="pk_entity_aliases"),
    )
    op.create_index("ix_entity_aliases_entity_id", "entity_aliases", ["entity_id"])
    op.create_table(
        "entity_corrections",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(_ID), nullable=False),
        sa.Column("target_id", sa.String(_ID), nullable=True),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entity_corrections"),
    )
    op.create_table(
        "entity_relinks",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_article_id", sa.Integer, nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("facts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entity_relinks"),
    )
    # Plain ALTER TABLE … ADD COLUMN on both backends: no table rebuild, triggers kept.
    op.add_column("facts", sa.Column("entity_id", sa.String(_ID), nullable=True))
    op.add_column("facts", sa.Column("measure", sa.String(64), nullable=True))
    op.add_column("facts", sa.Column("series_id", sa.String(400), nullable=True))
    op.add_column("facts", sa.Column("status", sa.String(16), nullable=True))
    op.create_index("ix_facts_series_id", "facts", ["series_id"])
    op.create_index("ix_facts_entity_measure", "facts", ["entity_id", "measure"])


def downgrade() -> None:
    from archive.migrations.batch import keeping_sqlite_triggers

    op.drop_index("ix_facts_entity_measure", table_name="facts")
    op.drop_index("ix_facts_series_id", table_name="facts")
    with keeping_sqlite_triggers("facts"), op.batch_alter_table("facts") as batch:
        for column in ("status", "series_id", "measure", "entity_id"):
            batch.drop_column(column)
    op.drop_table("entity_relinks")
    op.drop_table("entity_corrections")
    op.drop_index("ix_entity_aliases_entity_id", table_name="entity_aliases")
    op.drop_table("entity_aliases")
    op.drop_index("ix_entities_parent_id", table_name="entities")
    op.drop_index("ix_entities_kind", table_name="entities")
    op.drop_table("entities")
