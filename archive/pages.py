"""The `pages` table: where each kept page's WARC record is, and which record each reading of an
article (and each former reading, its revisions) came from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from archive.models import Article, ArticleUrl, Page, Revision, utcnow
from archive.warc import KeptPage

_PAGES, _ARTICLES, _REVISIONS = (cast(Table, model.__table__)
                                  for model in (Page, Article, Revision))


def save_page(session: Session, source_id: int, page: KeptPage) -> None:
    """Record where the page's WARC record is (once: a record id is stored one time)."""
    connection = session.connection()
    if connection.execute(select(_PAGES.c.record_id)
                          .where(_PAGES.c.record_id == page.ref.record_id)).first():
        return
    connection.execute(insert(_PAGES), {
        "record_id": page.ref.record_id, "source_id": source_id, "url": page.url[:2000],
        "warc_file": page.ref.warc_file, "warc_offset": page.ref.offset,
        "warc_length": page.ref.length, "captured_at": page.ref.captured_at,
        "origin": page.origin, "origin_ref": page.origin_ref, "stored_at": utcnow()})


def keep_reading(session: Session, source_id: int, article_id: int, page: KeptPage,
                 outcome: str) -> None:
    """In the transaction that stored an article read from `page`: the page's row, the
    article's record, and — when the reading changed — its former record on the revision
    just made. A capture from elsewhere (import, web archive) dates the article's first
    sighting no later than its capture and is its last fetch."""
    if outcome not in ("new", "updated", "unchanged"):
        return  # an alias: the page is a copy of another article's
    save_page(session, source_id, page)
    connection = session.connection()
    if outcome == "updated":
        newest = (select(func.max(_REVISIONS.c.id))
                  .where(_REVISIONS.c.article_id == article_id).scalar_subquery())
        former = (select(_ARTICLES.c.page_record).where(_ARTICLES.c.id == article_id)
                  .scalar_subquery())
        connection.execute(update(_REVISIONS)
                           .where(_REVISIONS.c.id == newest, _REVISIONS.c.page_record.is_(None))
                           .values(page_record=former))
    values: dict[str, object] = {"page_record": page.ref.record_id}
    connection.execute(update(_ARTICLES).where(_ARTICLES.c.id == article_id).values(**values))
    if page.origin != "live":
        captured = page.ref.captured_at
        connection.execute(update(_ARTICLES).where(_ARTICLES.c.id == article_id,
                                                   _ARTICLES.c.first_seen > captured)
                           .values(first_seen=captured))
        connection.execute(update(_ARTICLES).where(_ARTICLES.c.id == article_id)
                           .values(last_fetched=captured))


def page_of(session: Session, record_id: str | None) -> Page | None:
    return session.get(Page, record_id) if record_id else None


def forget_files(session: Session, warc_files: Iterable[str]) -> int:
    """Delete the rows of pages kept in these (pruned) files → how many; the articles and
    revisions keep their record ids, which now name a page no longer kept."""
    files = list(warc_files)
    if not files:
        return 0
    result = session.execute(delete(Page).where(Page.warc_file.in_(files)))
    return int(getattr(result, "rowcount", 0) or 0)


def newest_capture(session: Session, canonical_urls: list[str]) -> dict[str, datetime]:
    """{url: the last fetch of the article stored under it (or under it as an alias)} for the
    stored ones among these."""
    if not canonical_urls:
        return {}
    rows = session.execute(select(ArticleUrl.url, Article.last_fetched)
                           .join(Article, Article.id == ArticleUrl.article_id)
                           .where(ArticleUrl.url.in_(canonical_urls)))
    return {url: _aware(when) for url, when in rows}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
