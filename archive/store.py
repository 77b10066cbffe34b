"""Idempotent writes of articles and their facts: unique canonical URLs plus upserts that
survive two writers racing for one URL (a savepoint retried as an update)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.models import Article, ArticleUrl, Fact, Revision, Source, utcnow

ARTICLE_FIELDS = (
    "url", "canonical_url", "title", "text", "text_hash", "published", "url_date", "section",
    "byline_source", "author", "language", "topics", "topic_terms", "simhash",
)
FACT_FIELDS = (
    "value", "unit", "kind", "qualifier", "period", "basis", "metric", "subject", "share_of",
    "refers_to", "sentence", "start", "end",
)


def get_or_create_source(session: Session, name: str, profile_hash: str | None = None) -> Source:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        try:
            with session.begin_nested():
                source = Source(name=name, profile_hash=profile_hash)
                session.add(source)
        except IntegrityError:
            source = session.scalar(select(Source).where(Source.name == name))
    elif profile_hash and source.profile_hash != profile_hash:
        source.profile_hash = profile_hash
    return source


def find_article(session: Session, canonical: str) -> Article | None:
    article = session.scalar(select(Article).where(Article.canonical_url == canonical))
    if article is None:
        alias = select(ArticleUrl.article_id).where(ArticleUrl.url == canonical)
        article_id = session.scalar(alias)
        if article_id is not None:
            article = session.get(Article, article_id)
    return article


def known_urls(session: Session, canonical_urls: Iterable[str]) -> set[str]:
    """The canonical URLs among these that the archive already holds (one query)."""
    wanted = list(dict.fromkeys(canonical_urls))
    if not wanted:
        return set()
    found = set(session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.in_(wanted))))
    found.update(session.scalars(select(Article.canonical_url)
                                 .where(Article.canonical_url.in_(wanted))))
    return found


def fact_rows(facts: Iterable[dict[str, Any]], version: str | None) -> list[Fact]:
    rows = []
    for position, fact in enumerate(facts):
        conversion = fact.get("conversion") or {}
        period_start, period_end = fact.get("period_start"), fact.get("period_end")
        rows.append(Fact(
            position=position, extractor_version=version or "unknown",
            period_start=period_start, period_end=period_end,
            conversion_value=conversion.get("value"), conversion_unit=conversion.get("unit"),
            conversion_consistent=conversion.get("consistent"),
            conversion_rate=conversion.get("implied_rate"),
            **{name: fact.get(name) for name in FACT_FIELDS},
        ))
    return rows


def add_alias(session: Session, article_id: int, canonical: str) -> None:
    if session.scalar(select(ArticleUrl.id).where(ArticleUrl.url == canonical)) is None:
        try:
            with session.begin_nested():
                session.add(ArticleUrl(url=canonical, article_id=article_id))
        except IntegrityError:
            pass


def save_article(
    session: Session,
    source_id: int,
    data: dict[str, Any],
    facts: list[dict[str, Any]] | None = None,
    extractor_version: str | None = None,
    fetched_at: datetime | None = None,
) -> tuple[str, Article]:
    """Insert or update one article by canonical URL → ("new" | "updated" | "unchanged", row).

    A changed text keeps the article's id, stores the former text as a revision and replaces
    the facts.
    """
    fetched_at = fetched_at or utcnow()
    canonical = data["canonical_url"]
    article = find_article(session, canonical)
    if article is None:
        try:
            with session.begin_nested():
                article = Article(source_id=source_id, first_seen=fetched_at,
                                  last_fetched=fetched_at,
                                  **{k: data.get(k) for k in ARTICLE_FIELDS if k in data})
                article.duplicate_of = data.get("duplicate_of")
                article.similarity = data.get("similarity")
                article.facts = fact_rows(facts or [], extractor_version)
                session.add(article)
                session.flush()
                session.add(ArticleUrl(url=canonical, article_id=article.id,
                                       first_seen=fetched_at))
            return "new", article
        except IntegrityError:
            article = find_article(session, canonical)
            if article is None:
                raise
    article.last_fetched = fetched_at
    if article.text_hash == data["text_hash"] and article.title == data.get("title"):
        return "unchanged", article
    session.add(Revision(article_id=article.id, title=article.title, text=article.text,
                         text_hash=article.text_hash, fetched_at=article.updated_at
                         or article.first_seen))
    for name in ARTICLE_FIELDS:
        if name in data and name not in ("url", "canonical_url"):
            setattr(article, name, data[name])
    article.updated_at = fetched_at
    article.facts = fact_rows(facts or [], extractor_version)
    return "updated", article
