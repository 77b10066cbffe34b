"""Idempotent writes of articles and their facts: unique canonical URLs plus upserts that
survive two writers racing for one URL (a savepoint retried as an update)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.models import (
    Article,
    ArticleBand,
    ArticleUrl,
    CrawlState,
    Fact,
    ListingState,
    Revision,
    Source,
    utcnow,
)

ARTICLE_FIELDS = (
    "url", "canonical_url", "title", "text", "text_hash", "published", "url_date", "section",
    "byline_source", "author", "language", "topics", "topic_terms", "simhash", "published_source",
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


def find_by_text_hash(session: Session, text_hash: str) -> Article | None:
    """The first stored article with exactly this normalised body, if any."""
    return session.scalar(select(Article).where(Article.text_hash == text_hash)
                          .order_by(Article.id).limit(1))


def shared_band_counts(session: Session, bands: list[int], limit: int) -> dict[int, int]:
    """{article id: bands shared with these} for the `limit` articles sharing most (one query
    on the (band, value) index, so its cost does not grow with the archive)."""
    if not bands:
        return {}
    pairs = [(band, value) for band, value in enumerate(bands)]
    shared = func.count().label("shared")
    stmt = (select(ArticleBand.article_id, shared)
            .where(tuple_(ArticleBand.band, ArticleBand.value).in_(pairs))
            .group_by(ArticleBand.article_id)
            .order_by(shared.desc(), ArticleBand.article_id).limit(limit))
    return {row.article_id: row.shared for row in session.execute(stmt)}


def article_texts(session: Session,
                  ids: list[int]) -> dict[int, tuple[str, int | None, date | None]]:
    """{id: (text, duplicate_of, date published — else the URL's date)} of these articles."""
    if not ids:
        return {}
    rows = session.execute(select(Article.id, Article.text, Article.duplicate_of,
                                  Article.published, Article.url_date)
                           .where(Article.id.in_(ids)))
    return {row.id: (row.text, row.duplicate_of, row.published or row.url_date) for row in rows}


def relink_duplicates(session: Session, former: int, original: int, similarity: float) -> None:
    """An earlier story turned up after its copy: the copy and its copies now point at it."""
    session.execute(update(Article).where(Article.duplicate_of == former)
                    .values(duplicate_of=original))
    session.execute(update(Article).where(Article.id == former)
                    .values(duplicate_of=original, similarity=similarity))


def save_bands(session: Session, article_id: int, bands: list[int]) -> None:
    """Replace the article's LSH band keys (after an insert or a changed text)."""
    session.execute(delete(ArticleBand).where(ArticleBand.article_id == article_id))
    session.add_all(ArticleBand(article_id=article_id, band=band, value=value)
                    for band, value in enumerate(bands))


def listing_states(session: Session, urls: list[str]) -> dict[str, ListingState]:
    if not urls:
        return {}
    return {row.url: row for row in
            session.scalars(select(ListingState).where(ListingState.url.in_(urls)))}


def save_listing_state(session: Session, source_id: int, url: str, etag: str | None,
                       last_modified: str | None, content_hash: str | None,
                       next_url: str | None = None) -> bool:
    """Record what a listing page answered (and the page after it); True when its content
    differs from last time."""
    state = session.get(ListingState, url)
    if state is None:
        try:
            with session.begin_nested():
                session.add(ListingState(url=url, source_id=source_id, etag=etag,
                                         last_modified=last_modified,
                                         content_hash=content_hash, checked_at=utcnow(),
                                         next_url=next_url))
            return True
        except IntegrityError:  # another crawl recorded it first
            state = session.get(ListingState, url)
            if state is None:
                raise
    changed = state.content_hash != content_hash
    state.etag, state.last_modified = etag, last_modified
    state.content_hash, state.checked_at, state.next_url = content_hash, utcnow(), next_url
    return changed


def crawl_states(session: Session, source_id: int,
                 kinds: Iterable[str] | None = None) -> dict[tuple[str, str], CrawlState]:
    """{(kind, url): state} of a source's discovery paths (all kinds, or these)."""
    stmt = select(CrawlState).where(CrawlState.source_id == source_id)
    if kinds is not None:
        stmt = stmt.where(CrawlState.kind.in_(list(kinds)))
    return {(row.kind, row.url): row for row in session.scalars(stmt)}


def save_crawl_state(session: Session, source_id: int, kind: str, url: str,
                     **values: Any) -> CrawlState:
    """Create or update one discovery path's state with these column values."""
    where = (CrawlState.source_id == source_id, CrawlState.kind == kind, CrawlState.url == url)
    state = session.scalar(select(CrawlState).where(*where))
    if state is None:
        try:
            with session.begin_nested():
                state = CrawlState(source_id=source_id, kind=kind, url=url, complete=False,
                                   in_progress=False, deepest_page=0, entries=0,
                                   found_at=utcnow())
                for name, value in values.items():
                    setattr(state, name, value)
                session.add(state)
            return state
        except IntegrityError:  # another crawl recorded it first
            state = session.scalar(select(CrawlState).where(*where))
            if state is None:
                raise
    for name, value in values.items():
        setattr(state, name, value)
    return state


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
    previous_fetch = article.last_fetched
    article.last_fetched = fetched_at
    if article.text_hash == data["text_hash"] and article.title == data.get("title"):
        return "unchanged", article
    # The former text, with the last time it was fetched as it was.
    session.add(Revision(article_id=article.id, title=article.title, text=article.text,
                         text_hash=article.text_hash,
                         fetched_at=previous_fetch or article.updated_at or article.first_seen))
    for name in ARTICLE_FIELDS:
        if name in data and name not in ("url", "canonical_url"):
            setattr(article, name, data[name])
    article.updated_at = fetched_at
    article.facts = fact_rows(facts or [], extractor_version)
    return "updated", article
