"""Fact queries: facts with their article, filtered by metric, subject, unit and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from archive.models import Article, Fact
from archive.queries import fact_dict


@dataclass
class FactFilter:
    metric: str | None = None
    subject: str | None = None
    unit: str | None = None
    since: date | None = None
    until: date | None = None


def _words_like(column, text: str):
    """Every word of `text` occurs in the column (case-insensitive)."""
    return [func.lower(column).contains(word.lower(), autoescape=True) for word in text.split()]


def fact_query(filters: FactFilter) -> Select:
    """Facts joined to their article. Dates compare with the fact's period when it has one,
    otherwise with the article's publication date."""
    stmt = select(Fact, Article).join(Article, Article.id == Fact.article_id)
    if filters.metric:
        stmt = stmt.where(*_words_like(Fact.metric, filters.metric))
    if filters.subject:
        stmt = stmt.where(*_words_like(Fact.subject, filters.subject))
    if filters.unit:
        stmt = stmt.where(Fact.unit == filters.unit)
    if filters.since:
        stmt = stmt.where(func.coalesce(Fact.period_end, Article.published) >= filters.since)
    if filters.until:
        stmt = stmt.where(func.coalesce(Fact.period_start, Article.published) <= filters.until)
    return stmt.order_by(Article.published.desc().nulls_last(), Article.id.desc(),
                         Fact.position)


def list_facts(session: Session, filters: FactFilter, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.execute(fact_query(filters).limit(limit))
    return [{**fact_dict(fact), "article_id": article.id, "url": article.url,
             "title": article.title,
             "published": article.published.isoformat() if article.published else None}
            for fact, article in rows]
