"""the search index holds each article's topics too, so a search with a topic filter that
few of its matches pass is answered from the index

PostgreSQL only. topics is a JSON list of names, and a topic filter matched the name in the
list's text (`topics::text LIKE '%"name"%'`), which no index answers. A broad search whose
page the newest rows do not fill (`cathedral` with the topic industrial-parks: 23,000 matches,
none of them with that topic) read every match's row to check its topics: 100–190 ms at a
million articles. A separate index of topics does not help: a topic most articles hold is a
bitmap of 600,000 rows, slower to build than the rows are to read. As the search index's
second column, the two conditions meet inside one GIN scan, which skips through the common
topic's entries to the word's matches: 4 ms.

The filter is now jsonb containment on PostgreSQL (`topics::jsonb @> '["name"]'`,
archive.queries.has_topic); SQLite keeps the text match (its broad pages check the match set
held in memory). The new index is built beside the old one, which serves searches meanwhile
(42 s with its ANALYZE at a million articles; writes wait), then takes its name.

Revision ID: 0016
Revises: 0015
"""
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BUILDING = "ix_articles_search_vector_building"


def _replace(columns: str) -> None:
    op.execute(f"DROP INDEX IF EXISTS {BUILDING}")
    op.execute(f"CREATE INDEX {BUILDING} ON articles USING gin ({columns})")
    op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
    op.execute(f"ALTER INDEX {BUILDING} RENAME TO ix_articles_search_vector")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _replace("search_vector, (topics::jsonb) jsonb_path_ops")
    op.execute("ANALYZE articles")  # the index expression's statistics, for the planner


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _replace("search_vector")
