"""The archive on SQLite and PostgreSQL: migrations from empty, idempotent upserts, revisions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, inspect, select

from archive.db import current_revision, ensure_schema, get_engine, head_revision, session_scope
from archive.models import Article, ArticleUrl, Fact, Revision
from archive.store import get_or_create_source, known_urls, save_article
from pipelines.storage import text_hash


def row(url: str, text: str, title: str = "A zone grows") -> dict:
    return {"url": url, "canonical_url": url, "title": title, "text": text,
            "text_hash": text_hash(text), "published": date(2023, 2, 21),
            "url_date": date(2023, 3, 29), "section": "Industrial Parks", "topics": ["x"],
            "topic_terms": {}}


FACT = {"value": 6.5, "unit": "percent", "kind": "change", "qualifier": "exact",
        "period": "2022", "basis": "year-on-year", "metric": "output value", "subject": None,
        "share_of": None, "refers_to": None, "sentence": "Up 6.5 percent.", "start": 3,
        "end": 14}


def test_migrations_build_every_table_from_empty(db_url: str) -> None:
    ensure_schema(db_url)
    assert current_revision(db_url) == head_revision()
    tables = set(inspect(get_engine(db_url)).get_table_names())
    assert {"sources", "articles", "article_urls", "revisions", "facts", "crawl_runs",
            "crawl_requests", "leases", "listing_state"} <= tables
    ensure_schema(db_url)  # idempotent
    assert current_revision(db_url) == head_revision()


def test_saving_twice_adds_nothing_and_a_change_keeps_a_revision(db_url: str) -> None:
    ensure_schema(db_url)
    url = "http://e.my399.com/business/parks/2023-03-29/6170.html"
    with session_scope(db_url) as session:
        source = get_or_create_source(session, "e-my399")
        outcome, article = save_article(session, source.id, row(url, "First text."), [FACT], "1")
        assert outcome == "new"
        first_id = article.id
    with session_scope(db_url) as session:
        outcome, article = save_article(session, source.id, row(url, "First text."), [FACT], "1")
        assert (outcome, article.id) == ("unchanged", first_id)
        assert known_urls(session, [url, "http://e.my399.com/x"]) == {url}
    with session_scope(db_url) as session:
        outcome, article = save_article(session, source.id, row(url, "Second text."), [], "1")
        assert (outcome, article.id) == ("updated", first_id)
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        assert session.scalar(select(func.count()).select_from(ArticleUrl)) == 1
        assert session.scalar(select(func.count()).select_from(Fact)) == 0  # re-extracted
        revision = session.scalars(select(Revision)).one()
        assert revision.text == "First text." and revision.article_id == first_id
        assert session.get(Article, first_id).text == "Second text."


def test_models_and_migrations_agree(db_url: str) -> None:
    """Autogenerate against a migrated database proposes nothing (the full-text objects and
    APScheduler's table are left alone)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from archive.models import Base, include_object

    ensure_schema(db_url)
    with get_engine(db_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_the_newest_revision_is_read_as_alembic_reads_it() -> None:
    from archive.db import newest_revision

    assert newest_revision() == head_revision()
