"""Idempotent writes of articles and their facts: unique canonical URLs plus upserts that
survive two writers racing for one URL (a savepoint retried as an update)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.models import (
    Article,
    ArticleBand,
    ArticleSignature,
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
#: What linking adds to a fact (0022: pipelines.entities), stored beside the extractor's
#: fields; None when the fact is not linked.
LINK_FIELDS = ("entity_id", "measure", "series_id", "status")


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


def _mark(connection: Connection) -> str:
    """The driver's own positional placeholder (sqlite3 ?, psycopg %s)."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


@lru_cache(maxsize=16)
def _bucket_sql(bands: int, mark: str) -> str:
    """One statement reading `bands` buckets, each capped, and counting the buckets each
    article is in (built once: it is on the hot path, and sent as the driver's SQL: binding 85
    parameters through SQLAlchemy cost more than the index reads)."""
    part = (f"SELECT article_id FROM (SELECT article_id FROM article_bands WHERE band = {mark} "
            f"AND value = {mark} ORDER BY article_id DESC LIMIT {mark}) AS b{{n}}")
    buckets = " UNION ALL ".join(part.format(n=n) for n in range(bands))
    # counted and ranked by the database: only the `limit` best come back to Python
    return (f"SELECT article_id, count(*) AS shared FROM ({buckets}) AS buckets "
            f"GROUP BY article_id ORDER BY shared DESC, article_id LIMIT {mark}")


def shared_band_counts(session: Session, bands: list[int], limit: int,
                       per_bucket: int = 4) -> dict[int, int]:
    """{article id: bands shared with these} for the `limit` articles sharing most. Each band's
    bucket gives at most its `per_bucket` newest members (read from the (band, value,
    article_id) index), so the cost is flat however many look-alikes the archive holds. Four
    are enough: a copy shares most of its bands with its original, and most of those buckets
    hold nothing else; a crowded bucket is a template's, shared by look-alikes."""
    if not bands:
        return {}
    connection = session.connection()
    params: list[int] = []
    for band, value in enumerate(bands):
        params += (band, value, per_bucket)
    sql = _bucket_sql(len(bands), _mark(connection))
    return dict(connection.exec_driver_sql(sql, (*params, limit)).all())


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


def source_listing_states(session: Session,
                          source_id: int) -> dict[str, tuple[str | None, str | None, str | None]]:
    """{url: (etag, last_modified, next_url)} of every listing page of a source."""
    rows = session.execute(select(ListingState.url, ListingState.etag,
                                  ListingState.last_modified, ListingState.next_url)
                           .where(ListingState.source_id == source_id))
    return {url: (etag, modified, next_url) for url, etag, modified, next_url in rows}


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
            **{name: fact.get(name) for name in FACT_FIELDS + LINK_FIELDS},
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
                article.extractor_version = extractor_version
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
    article.extractor_version = extractor_version
    return "updated", article


class StoredSignature(NamedTuple):
    """A stored article's near-duplicate signature and what the decision needs beside it."""

    minhash: bytes
    figures: list[str]
    shingles: int
    duplicate_of: int | None
    dated: date | None  # published, else the URL's date
    cjk: bool = False


def candidate_signatures(session: Session, ids: list[int]) -> dict[int, StoredSignature]:
    """{id: StoredSignature} of these articles (primary-key lookups; no text is read; the
    driver's SQL, as for the bands: this runs for every new article)."""
    if not ids:
        return {}
    connection = session.connection()
    rows = connection.exec_driver_sql(
        "SELECT a.id, s.minhash, s.figures, s.shingles, s.cjk, a.duplicate_of, a.published, "
        "a.url_date FROM articles AS a JOIN article_signatures AS s ON s.article_id = a.id "
        f"WHERE a.id IN ({', '.join([_mark(connection)] * len(ids))})", tuple(ids))
    out = {}
    for article_id, minhash, figures, shingles, cjk, duplicate_of, published, url_date in rows:
        if isinstance(figures, str):  # SQLite's JSON is text; PostgreSQL's arrives decoded
            figures = json.loads(figures)
        out[article_id] = StoredSignature(
            bytes(minhash), figures or [], shingles, duplicate_of,
            _day(published) or _day(url_date), bool(cjk))
    return out


def _day(value: date | str | None) -> date | None:
    """A DATE column's value: sqlite3 returns its ISO text, psycopg a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def save_signature(session: Session, article_id: int, bands: list[int], minhash: bytes,
                   figures: Iterable[str], shingles: int, replace: bool = True,
                   cjk: bool = False) -> None:
    """Store the article's LSH band keys and its signature (`replace=False` for a new article:
    nothing to delete first). Core statements: this runs once per stored article."""
    connection = session.connection()
    if replace:
        connection.execute(delete(_BANDS).where(_BANDS.c.article_id == article_id))
        connection.execute(delete(_SIGNATURES).where(_SIGNATURES.c.article_id == article_id))
    if bands:
        connection.execute(insert(_BANDS), [
            {"article_id": article_id, "band": band, "value": value}
            for band, value in enumerate(bands)])
    connection.execute(insert(_SIGNATURES), [{
        "article_id": article_id, "minhash": minhash, "figures": sorted(figures),
        "shingles": shingles, "cjk": cjk}])


def fact_values(article_id: int, facts: Iterable[dict[str, Any]],
                version: str | None) -> list[dict[str, Any]]:
    """The facts as rows of the facts table, for a bulk insert (what fact_rows fills)."""
    rows = []
    for position, fact in enumerate(facts):
        conversion = fact.get("conversion") or {}
        row = {
            "article_id": article_id, "position": position,
            "extractor_version": version or "unknown",
            "period_start": fact.get("period_start"), "period_end": fact.get("period_end"),
            "conversion_value": conversion.get("value"),
            "conversion_unit": conversion.get("unit"),
            "conversion_consistent": conversion.get("consistent"),
            "conversion_rate": conversion.get("implied_rate"),
        }
        for name in FACT_FIELDS:
            row[_FACT_COLUMNS.get(name, name)] = fact.get(name)
        for name in LINK_FIELDS:  # only when linked: a schema before 0022 has no such column
            if name in fact:
                row[name] = fact[name]
        rows.append(row)
    return rows


def insert_article(session: Session, source_id: int, data: dict[str, Any],
                   facts: list[dict[str, Any]] | None = None,
                   extractor_version: str | None = None,
                   fetched_at: datetime | None = None) -> int | None:
    """Insert a new article, its canonical URL and its facts by Core statements (the batch
    writer's fast path: no ORM objects) → its id, or None when another writer stored that
    URL first (then save_article updates it)."""
    fetched_at = fetched_at or utcnow()
    values = {k: data.get(k) for k in ARTICLE_FIELDS}
    values.update(source_id=source_id, first_seen=fetched_at, last_fetched=fetched_at,
                  duplicate_of=data.get("duplicate_of"), similarity=data.get("similarity"),
                  title=data.get("title") or "", topics=data.get("topics") or [],
                  topic_terms=data.get("topic_terms") or {})
    if not facts and extractor_version is not None:  # a fact-less article carries the
        values["extractor_version"] = extractor_version  # version itself (else its facts do)
    connection = session.connection()
    try:
        with session.begin_nested():
            article_id = connection.execute(insert(_ARTICLES), values).inserted_primary_key[0]
            connection.execute(insert(_URLS), {"url": data["canonical_url"],
                                               "article_id": article_id,
                                               "first_seen": fetched_at})
    except IntegrityError:
        return None
    if facts:
        connection.execute(insert(_FACTS), fact_values(article_id, facts, extractor_version))
    return article_id


def find_article_id(session: Session, canonical: str) -> int | None:
    """The id of the article stored under this canonical URL or alias (Core, hot path)."""
    connection = session.connection()
    found = connection.execute(select(_ARTICLES.c.id)
                               .where(_ARTICLES.c.canonical_url == canonical)).scalar()
    if found is None:
        found = connection.execute(select(_URLS.c.article_id)
                                   .where(_URLS.c.url == canonical)).scalar()
    return found


def find_id_by_text_hash(session: Session, text_hash: str) -> tuple[int, str] | None:
    """(id, title) of the first stored article with exactly this normalised body."""
    row = session.connection().execute(
        select(_ARTICLES.c.id, _ARTICLES.c.title).where(_ARTICLES.c.text_hash == text_hash)
        .order_by(_ARTICLES.c.id).limit(1)).first()
    return (row.id, row.title) if row is not None else None


_ARTICLES, _URLS, _FACTS = Article.__table__, ArticleUrl.__table__, Fact.__table__
_BANDS, _SIGNATURES = ArticleBand.__table__, ArticleSignature.__table__
_FACT_COLUMNS = {"start": "start_offset", "end": "end_offset"}
