"""facts.metric_key / subject_key (grouping keys, backfilled); watches, their matches, the
notification outbox and its attempts

A series groups facts by metric and subject; written as found ("Harbin’s Pingfang district",
"the Pingfang District") they did not group. The keys are filled on insert from
archive.keys.grouping_key; this migration fills them for the facts already stored.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from archive.keys import grouping_key
from archive.migrations.batch import keeping_sqlite_triggers

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 2000
TZ = sa.DateTime(timezone=True)


def _backfill() -> None:
    conn = op.get_bind()
    facts = sa.table("facts", sa.column("id", sa.Integer), sa.column("metric", sa.Text),
                     sa.column("subject", sa.Text), sa.column("metric_key", sa.Text),
                     sa.column("subject_key", sa.Text))
    last = 0
    while True:
        rows = conn.execute(sa.select(facts.c.id, facts.c.metric, facts.c.subject)
                            .where(facts.c.id > last).order_by(facts.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(facts.update().where(facts.c.id == sa.bindparam("fid")).values(
            metric_key=sa.bindparam("mk"), subject_key=sa.bindparam("sk")),
            [{"fid": r.id, "mk": grouping_key(r.metric), "sk": grouping_key(r.subject)}
             for r in rows])
        last = rows[-1].id


def upgrade() -> None:
    op.add_column("facts", sa.Column("metric_key", sa.Text(), nullable=True))
    op.add_column("facts", sa.Column("subject_key", sa.Text(), nullable=True))
    op.create_index("ix_facts_metric_key", "facts", ["metric_key"])
    _backfill()
    op.create_table(
        "watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("topic", sa.String(200), nullable=True),
        sa.Column("source", sa.String(100), nullable=True),
        sa.Column("section", sa.String(200), nullable=True),
        sa.Column("metric", sa.Text(), nullable=True),
        sa.Column("above", sa.Float(), nullable=True),
        sa.Column("below", sa.Float(), nullable=True),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("checked_article_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watches"),
        sa.UniqueConstraint("name", name="uq_watches_name"),
    )
    op.create_table(
        "watch_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("fact_id", sa.Integer(), nullable=True),
        sa.Column("matched_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["watch_id"], ["watches.id"], ondelete="CASCADE",
                                name="fk_watch_matches_watch_id_watches"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name="fk_watch_matches_article_id_articles"),
        sa.PrimaryKeyConstraint("id", name="pk_watch_matches"),
    )
    op.create_index("ix_watch_matches_watch_id", "watch_matches", ["watch_id"])
    op.create_index("ix_watch_matches_article_id", "watch_matches", ["article_id"])
    op.create_index("ix_watch_matches_watch_article", "watch_matches",
                    ["watch_id", "article_id"], unique=True)
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("sent_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["watch_id"], ["watches.id"], ondelete="CASCADE",
                                name="fk_notifications_watch_id_watches"),
        sa.ForeignKeyConstraint(["match_id"], ["watch_matches.id"], ondelete="CASCADE",
                                name="fk_notifications_match_id_watch_matches"),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
    )
    op.create_index("ix_notifications_watch_id", "notifications", ["watch_id"])
    op.create_index("ix_notifications_status", "notifications", ["status"])
    op.create_table(
        "notification_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"], ondelete="CASCADE",
                                name="fk_notification_attempts_notification_id_notifications"),
        sa.PrimaryKeyConstraint("id", name="pk_notification_attempts"),
    )
    op.create_index("ix_notification_attempts_notification_id", "notification_attempts",
                    ["notification_id"])


def downgrade() -> None:
    op.drop_table("notification_attempts")
    op.drop_table("notifications")
    op.drop_table("watch_matches")
    op.drop_table("watches")
    op.drop_index("ix_facts_metric_key", table_name="facts")
    with keeping_sqlite_triggers("facts"), op.batch_alter_table("facts") as batch:
        batch.drop_column("subject_key")
        batch.drop_column("metric_key")
