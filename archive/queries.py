"""Read-side queries of the archive, shared by the CLI and the HTTP API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session, selectinload

from archive.models import Article, ArticleUrl, CrawlRun, Fact, Source


@dataclass
class ArticleFilter:
    source: str | None = None
    topic: str | None = None
    since: date | None = None
    until: date | None = None
    with_duplicates: bool = False


def fact_dict(fact: Fact) -> dict[str, Any]:
    conversion = None
    if fact.conversion_value is not None:
        conversion = {"value": fact.conversion_value, "unit": fact.conversion_unit,
                      "consistent": fact.conversion_consistent,
                      "implied_rate": fact.conversion_rate}
    value = fact.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return {
        "value": value, "unit": fact.unit, "kind": fact.kind, "qualifier": fact.qualifier,
        "period": fact.period, "basis": fact.basis, "metric": fact.metric,
        "subject": fact.subject, "share_of": fact.share_of, "refers_to": fact.refers_to,
        "conversion": conversion, "sentence": fact.sentence, "start": fact.start,
        "end": fact.end, "extractor_version": fact.extractor_version,
    }


def article_dict(article: Article, source_name: str | None = None,
                 with_text: bool = True) -> dict[str, Any]:
    aliases = sorted(u.url for u in article.urls if u.url != article.canonical_url)
    data = {
        "id": article.id,
        "source": source_name,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "aliases": aliases,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "url_date": article.url_date.isoformat() if article.url_date else None,
        "section": article.section,
        "byline_source": article.byline_source,
        "author": article.author,
        "language": article.language,
        "topics": list(article.topics or []),
        "topic_terms": dict(article.topic_terms or {}),
        "duplicate_of": article.duplicate_of,
        "similarity": article.similarity,
        "first_seen": article.first_seen.isoformat() if article.first_seen else None,
        "last_fetched": article.last_fetched.isoformat() if article.last_fetched else None,
    }
    if with_text:
        data["text"] = article.text
    data["facts"] = [fact_dict(f) for f in article.facts]
    return data


def _apply(stmt: Select, filters: ArticleFilter) -> Select:
    if filters.source:
        stmt = stmt.join(Source, Source.id == Article.source_id).where(
            Source.name == filters.source)
    if filters.since:
        stmt = stmt.where(Article.published >= filters.since)
    if filters.until:
        stmt = stmt.where(Article.published <= filters.until)
    if filters.topic:
        # topics is a JSON list of names; its text holds each name in double quotes.
        quoted = json.dumps(filters.topic)
        stmt = stmt.where(cast(Article.topics, String).contains(quoted, autoescape=True))
    if not filters.with_duplicates:
        stmt = stmt.where(Article.duplicate_of.is_(None))
    return stmt


def list_articles(session: Session, filters: ArticleFilter, limit: int = 20,
                  offset: int = 0) -> list[Article]:
    """Newest first, with facts and aliases loaded."""
    stmt = _apply(select(Article), filters).options(
        selectinload(Article.facts), selectinload(Article.urls)
    ).order_by(Article.published.desc().nulls_last(), Article.id.desc())
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def get_article(session: Session, article_id: int) -> Article | None:
    return session.scalar(select(Article).where(Article.id == article_id).options(
        selectinload(Article.facts), selectinload(Article.urls)))


def source_names(session: Session) -> dict[int, str]:
    return {row.id: row.name for row in session.execute(select(Source.id, Source.name))}


def article_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Article)) or 0


def alias_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleUrl)) or 0


def list_runs(session: Session, source: str | None = None, limit: int = 20) -> list[CrawlRun]:
    stmt = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
    if source:
        stmt = stmt.join(Source, Source.id == CrawlRun.source_id).where(Source.name == source)
    return list(session.scalars(stmt))
