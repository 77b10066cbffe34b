"""Stored articles read again from their kept pages (reread): the articles of a source in id
order with where their page is, what each reading holds, and a new reading put in place with
the former one kept as a revision that says why it changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from archive.models import Article, Fact, Page, Revision, utcnow
from archive.store import FACT_FIELDS, fact_rows

#: The columns a reading fills (besides the facts), compared to tell a changed reading.
READING_FIELDS = ("title", "text", "published", "published_source", "url_date", "section",
                  "author", "byline_source", "language", "topics")


@dataclass(frozen=True)
class StoredReading:
    """An article as stored, and where the page it was read from is kept."""

    article_id: int
    url: str
    values: dict[str, Any]  # READING_FIELDS
    facts: list[tuple[Any, ...]]  # fact_key of each stored fact, in order
    record_id: str
    warc_file: str
    warc_offset: int


def fact_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    """What tells two facts apart (the extractor's fields), for comparing readings."""
    return tuple(_plain(fact.get(name)) for name in FACT_FIELDS)


def _plain(value: Any) -> Any:
    return round(value, 9) if isinstance(value, float) else value


def _window(since: date | None, until: date | None) -> list[Any]:
    where = []
    if since is not None:
        where.append(func.coalesce(Article.published, Article.url_date) >= since)
    if until is not None:
        where.append(func.coalesce(Article.published, Article.url_date) <= until)
    return where


def count_readings(session: Session, source_id: int, after: int, since: date | None,
                   until: date | None) -> tuple[int, int]:
    """(articles after `after` with a kept page, articles without one) in the window."""
    base = [Article.source_id == source_id, Article.id > after, *_window(since, until)]
    kept = session.scalar(select(func.count()).select_from(Article)
                          .join(Page, Page.record_id == Article.page_record).where(*base))
    without = session.scalar(select(func.count()).select_from(Article)
                             .outerjoin(Page, Page.record_id == Article.page_record)
                             .where(*base, Page.record_id.is_(None)))
    return int(kept or 0), int(without or 0)


def stored_readings(session: Session, source_id: int, after: int, limit: int,
                    since: date | None = None,
                    until: date | None = None) -> list[StoredReading]:
    """The next `limit` articles of the source after id `after` whose page is kept."""
    columns = [getattr(Article, name) for name in READING_FIELDS]
    rows: Sequence[Row[Any]] = session.execute(
        select(Article.id, Article.url, Page.record_id, Page.warc_file, Page.warc_offset,
               *columns)
        .join(Page, Page.record_id == Article.page_record)
        .where(Article.source_id == source_id, Article.id > after, *_window(since, until))
        .order_by(Article.id).limit(limit)).all()
    ids = [row.id for row in rows]
    facts: dict[int, list[tuple[Any, ...]]] = {i: [] for i in ids}
    if ids:
        fact_columns = [getattr(Fact, name) for name in FACT_FIELDS]
        for row in session.execute(select(Fact.article_id, *fact_columns)
                                   .where(Fact.article_id.in_(ids))
                                   .order_by(Fact.article_id, Fact.position)):
            facts[row[0]].append(tuple(_plain(v) for v in row[1:]))
    return [StoredReading(row.id, row.url, {name: getattr(row, name) for name in
                                            READING_FIELDS},
                          facts[row.id], row.record_id, row.warc_file, row.warc_offset)
            for row in rows]


def apply_reading(session: Session, article_id: int, values: dict[str, Any],
                  facts: list[dict[str, Any]], extractor_version: str | None,
                  reason: str = "reread", fetched_at: datetime | None = None) -> None:
    """Put a new reading of the same page in place: the former title and text kept as a
    revision with `reason` and the record it was read from, the columns and facts replaced."""
    article = session.get(Article, article_id)
    if article is None:
        return
    session.add(Revision(article_id=article.id, title=article.title, text=article.text,
                         text_hash=article.text_hash,
                         fetched_at=article.last_fetched or article.first_seen,
                         reason=reason, page_record=article.page_record))
    for name, value in values.items():
        setattr(article, name, value)
    article.updated_at = fetched_at or utcnow()
    article.facts = fact_rows(facts, extractor_version)
    article.extractor_version = extractor_version
