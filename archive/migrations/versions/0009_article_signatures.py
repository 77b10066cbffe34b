"""article_signatures: each article's MinHash signature, figures and shingle count, so that
near-duplicate candidates are verified without re-reading their texts; article_bands indexed by
(band, value, article_id), so a bucket's newest members are read from the index alone

The upgrade backfills every stored article (in batches of 500 by id) and rewrites its LSH band
keys too: Chinese texts are shingled by longer character runs since this revision.

Revision ID: 0009
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("cjk", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_article_signatures_article_id_articles")),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_signatures")),
    )
    with op.batch_alter_table("article_bands") as batch:
        batch.drop_index("ix_article_bands_band_value")
        batch.create_index("ix_article_bands_bucket", ["band", "value", "article_id"])
    backfill(op.get_bind())


def backfill(connection) -> None:
    """Signatures and band keys of the articles already stored (the fingerprint is the
    pipeline's own function, so old and new rows compare alike)."""
    from pipelines.dedup import fingerprint

    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("text", sa.Text))
    bands = sa.table("article_bands", sa.column("article_id", sa.Integer),
                     sa.column("band", sa.Integer), sa.column("value", sa.BigInteger))
    signatures = sa.table("article_signatures", sa.column("article_id", sa.Integer),
                          sa.column("minhash", sa.LargeBinary), sa.column("figures", sa.JSON),
                          sa.column("shingles", sa.Integer), sa.column("cjk", sa.Boolean))
    last = 0
    while True:
        rows = connection.execute(sa.select(articles.c.id, articles.c.text)
                                  .where(articles.c.id > last).order_by(articles.c.id)
                                  .limit(BATCH)).all()
        if not rows:
            return
        last = rows[-1].id
        prints = {row.id: fingerprint(row.text or "") for row in rows}
        connection.execute(bands.delete().where(bands.c.article_id.in_(list(prints))))
        band_rows = [{"article_id": i, "band": b, "value": v}
                     for i, p in prints.items() for b, v in enumerate(p.bands)]
        if band_rows:
            connection.execute(bands.insert(), band_rows)
        connection.execute(signatures.insert(), [
            {"article_id": i, "minhash": p.minhash, "figures": sorted(p.figures),
             "shingles": p.shingles, "cjk": p.cjk} for i, p in prints.items()])


def downgrade() -> None:
    with op.batch_alter_table("article_bands") as batch:
        batch.drop_index("ix_article_bands_bucket")
        batch.create_index("ix_article_bands_band_value", ["band", "value"])
    op.drop_table("article_signatures")
