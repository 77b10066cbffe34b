"""Typed SQLAlchemy models of the archive."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from archive.keys import grouping_key

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The partial series indexes (0012, 0013) leave out facts whose texts (with the copy of
#: their article's URL) pass this many bytes (a B-tree entry holds at most ~2.7 kB);
#: archive.queries reads those the plain way.
SERIES_MAX_BYTES = 2000
SERIES_LONG = ("octet_length(coalesce(metric, '')) + octet_length(coalesce(subject, '')) "
               "+ octet_length(coalesce(subject_key, '')) "
               f"+ octet_length(coalesce(article_url, '')) > {SERIES_MAX_BYTES}")
#: facts.article_url (0013) copies an article's URL up to this many bytes; past it, NULL.
SOURCE_URL_BYTES = 500


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Source(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    profile_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[date | None] = mapped_column(Date, index=True)
    url_date: Mapped[date | None] = mapped_column(Date)
    published_source: Mapped[str | None] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(String(200))
    byline_source: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    simhash: Mapped[int | None] = mapped_column(BigInteger)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    similarity: Mapped[float | None] = mapped_column(Float)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    topic_terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_fetched: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The WARC-Record-ID of the page this reading came from (pages, 0021); None: not kept.
    page_record: Mapped[str | None] = mapped_column(String(64))
    # The metric extractor that last read it, facts or none (0023); None: not known.
    extractor_version: Mapped[str | None] = mapped_column(String(32))

    facts: Mapped[list[Fact]] = relationship(
        back_populates="article", order_by="Fact.position", cascade="all, delete-orphan"
    )
    urls: Mapped[list[ArticleUrl]] = relationship(cascade="all, delete-orphan")

    # The order of article lists and broad searches, PostgreSQL only (migration 0010; SQLite
    # reads it from ix_articles_published, whose entries end with the id), and that order
    # within one source and within one section (0015: a filtered broad search's walk).
    __table_args__ = (
        Index("ix_articles_published_id", published.desc().nulls_last(),
              id.desc()).ddl_if(dialect="postgresql"),
        Index("ix_articles_source_published_id", source_id, published.desc().nulls_last(),
              id.desc()).ddl_if(dialect="postgresql"),
        Index("ix_articles_section_published_id", func.lower(section),
              published.desc().nulls_last(), id.desc()).ddl_if(dialect="postgresql"),
    )


class ArticleUrl(Base):
    """Every URL an article was found under (its aliases), canonical form unique."""

    __tablename__ = "article_urls"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ArticleBand(Base):
    """Locality-sensitive hash bands of an article's text, for near-duplicate lookup."""

    __tablename__ = "article_bands"
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    # (band, value, article_id): one bucket's newest articles straight from the index (0009).
    __table_args__ = (Index("ix_article_bands_bucket", "band", "value", "article_id"),)


class Revision(Base):
    """A former text of an article, kept when the page changed at the same URL."""

    __tablename__ = "revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Why the reading changed: None (the page changed at a re-fetch) or "reread" (0021), and
    # the WARC-Record-ID of the page the former reading came from.
    reason: Mapped[str | None] = mapped_column(String(16))
    page_record: Mapped[str | None] = mapped_column(String(64))


class Fact(Base):
    """One numeric fact of an article, with its provenance in the text."""

    __tablename__ = "facts"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(Integer)
    extractor_version: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    qualifier: Mapped[str] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(32), index=True)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(String(32))
    metric: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    share_of: Mapped[str | None] = mapped_column(Text)
    refers_to: Mapped[int | None] = mapped_column(Integer)
    conversion_value: Mapped[float | None] = mapped_column(Float)
    conversion_unit: Mapped[str | None] = mapped_column(String(16))
    conversion_consistent: Mapped[bool | None] = mapped_column(Boolean)
    conversion_rate: Mapped[float | None] = mapped_column(Float)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    # Grouping keys of metric and subject, filled from them on insert (see archive.keys).
    metric_key: Mapped[str | None] = mapped_column(Text, index=True,
                                                   default=lambda ctx: _key(ctx, "metric"))
    subject_key: Mapped[str | None] = mapped_column(
        Text, default=lambda ctx: _key(ctx, "subject"))
    # Linking (0022, pipelines.entities): whose figure, which measure, its series, its status.
    entity_id: Mapped[str | None] = mapped_column(String(200))
    measure: Mapped[str | None] = mapped_column(String(64))
    series_id: Mapped[str | None] = mapped_column(String(400), index=True)
    status: Mapped[str | None] = mapped_column(String(16))  # outcome | target | comparison

    article: Mapped[Article] = relationship(back_populates="facts")
    # The entity it is linked to (0022), loaded with the facts (one IN query per load).
    entity: Mapped[Entity | None] = relationship(
        primaryjoin="foreign(Fact.entity_id) == Entity.id", viewonly=True, lazy="selectin")

    # metric_series by exact names from an index-only scan (0012, PostgreSQL only), with the
    # copies of the article's date and URL that 0013's triggers keep on each fact (columns of
    # PostgreSQL only, not mapped: POSTGRESQL_FACT_COLUMNS); rows too long for a B-tree entry
    # are left out and listed by ix_facts_series_long.
    __table_args__ = (
        Index("ix_facts_series", "metric", "subject",
              postgresql_include=["article_id", "position", "id", "value", "unit", "kind",
                                  "basis", "period", "period_start", "period_end",
                                  "subject_key", "article_published", "article_url"],
              postgresql_where=sql_text(f"NOT ({SERIES_LONG})")).ddl_if(dialect="postgresql"),
        Index("ix_facts_series_long", "id", postgresql_where=sql_text(SERIES_LONG))
        .ddl_if(dialect="postgresql"),
        Index("ix_facts_entity_measure", "entity_id", "measure"),
    )


def _key(context, column: str) -> str | None:
    return grouping_key(context.get_current_parameters().get(column))


class ListingState(Base):
    """What a listing page answered last time, for conditional requests."""

    __tablename__ = "listing_state"
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_url: Mapped[str | None] = mapped_column(String(2000))  # the page after it (0006)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(16))  # schedule | queue | cli
    status: Mapped[str] = mapped_column(String(16), index=True)  # running|succeeded|failed
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))  # where `pid` runs (0005)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    listing_pages: Mapped[int] = mapped_column(Integer, default=0)
    listing_changed: Mapped[int] = mapped_column(Integer, default=0)
    listing_read: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    listing_links: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class CrawlRequest(Base):
    """A one-off crawl queued from the command line for the service to start."""

    __tablename__ = "crawl_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))


class Lease(Base):
    """At most one crawl of a source at a time, across processes and machines."""

    __tablename__ = "leases"
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[int | None] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Watch(Base):
    """A saved question: new articles (or facts) that match it are notified once."""

    __tablename__ = "watches"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    query: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(100))
    section: Mapped[str | None] = mapped_column(String(200))
    metric: Mapped[str | None] = mapped_column(Text)
    above: Mapped[float | None] = mapped_column(Float)
    below: Mapped[float | None] = mapped_column(Float)
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    # High-water mark: every article with an id up to this one has been checked.
    checked_article_id: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WatchMatch(Base):
    """An article that matched a watch (once): what its Atom feed lists."""

    __tablename__ = "watch_matches"
    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id", ondelete="CASCADE"),
                                          index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)
    fact_id: Mapped[int | None] = mapped_column(Integer)
    matched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (Index("ix_watch_matches_watch_article", "watch_id", "article_id",
                            unique=True),)


class Notification(Base):
    """The outbox: one message of a match to one target, retried until delivered."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id", ondelete="CASCADE"),
                                          index=True)
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("watch_matches.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationAttempt(Base):
    """One try at delivering a notification, with its outcome."""

    __tablename__ = "notification_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)


# Objects that live beside the models and must never be dropped by autogenerate:
# APScheduler's job table, and the full-text tables/columns made by migration 0002.
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


#: Indexes of one backend only, made by their migration's SQL (tests/archive checks them).
POSTGRESQL_INDEXES = frozenset({"ix_articles_published_id", "ix_articles_source_published_id",
                                "ix_articles_section_published_id"})
#: The same on facts (0012).
POSTGRESQL_FACT_INDEXES = frozenset({"ix_facts_series", "ix_facts_series_long"})
#: PostgreSQL's side tables of the full-text index, like articles_fts on SQLite (migration
#: 0010: fact_terms, every word of facts.search_vector, kept by a trigger).
#: 0012: fact_names, every distinct metric and subject of facts, kept by a trigger.
POSTGRESQL_TABLES = frozenset({"fact_terms", "fact_names"})
#: 0013: each fact's copy of its article's date and URL (kept by triggers), for series.
POSTGRESQL_FACT_COLUMNS = frozenset({"article_published", "article_url"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: compare only what these models own."""
    name = name or ""
    if type_ == "table" and (name in FOREIGN_TABLES | POSTGRESQL_TABLES or "_fts" in name):
        return False
    if type_ == "index" and (name.endswith("_search_vector")
                             or name in POSTGRESQL_INDEXES | POSTGRESQL_FACT_INDEXES):
        return False
    return not (type_ == "column" and name in POSTGRESQL_FACT_COLUMNS | {"search_vector"})


__all__ = [
    "Article", "ArticleBand", "ArticleUrl", "Base", "CrawlRequest", "CrawlRun", "Fact",
    "Lease", "ListingState", "Notification", "NotificationAttempt", "Revision", "Source",
    "Watch", "WatchMatch", "include_object", "utcnow",
]


class CrawlState(Base):
    """One discovery path of a source and how far crawls have walked it: a sitemap, a feed, a
    listing section (or a page found not to be one), with its validators, so that re-crawls are
    conditional and an interrupted walk is resumed instead of leaving holes."""

    __tablename__ = "crawl_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # robots|home|sitemap|feed|listing|probe|page
    url: Mapped[str] = mapped_column(String(2000))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    lastmod: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    complete: Mapped[bool] = mapped_column(Boolean, default=False)  # walked to its end once
    in_progress: Mapped[bool] = mapped_column(Boolean, default=False)  # a walk did not finish
    deepest_page: Mapped[int] = mapped_column(Integer, default=0)
    entries: Mapped[int] = mapped_column(Integer, default=0)  # article links seen last time
    note: Mapped[str | None] = mapped_column(String(200))
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("source_id", "kind", "url"),)


__all__ += ["CrawlState"]


class ArticleSignature(Base):
    """What near-duplicate verification compares, stored once per article (migration 0009): its
    MinHash signature (estimated Jaccard), the figures its text states and its shingle count."""

    __tablename__ = "article_signatures"
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    figures: Mapped[list[str]] = mapped_column(JSON, default=list)
    shingles: Mapped[int] = mapped_column(Integer)
    cjk: Mapped[bool] = mapped_column(Boolean, default=False)  # shingled as Chinese characters


__all__ += ["ArticleSignature"]


class Page(Base):
    """A fetched page kept as a WARC record (archive.warc): where its bytes are, when it was
    captured and how it came (live: a crawl; import: a WARC file made elsewhere; archive: a
    web archive's capture), with what that origin names (the file and record, the replay URL)."""

    __tablename__ = "pages"
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    warc_file: Mapped[str] = mapped_column(String(500), index=True)
    warc_offset: Mapped[int] = mapped_column(BigInteger)
    warc_length: Mapped[int] = mapped_column(Integer)
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str] = mapped_column(String(16))  # live | import | archive
    origin_ref: Mapped[str | None] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


__all__ += ["Page"]


class Entity(Base):
    """A park, zone or place figures are linked to (0022): the gazetteer's, seeded on first use,
    or a provisional one the archive named; `merged_into` set when an analyst merged it."""

    __tablename__ = "entities"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # KIND:KEY, group:A+B
    name_zh: Mapped[str | None] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    parent_id: Mapped[str | None] = mapped_column(String(200), index=True)
    region: Mapped[str | None] = mapped_column(String(64))
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EntityAlias(Base):
    """A name of an entity, with its language and where it came from (gazetteer, archive,
    analyst)."""

    __tablename__ = "entity_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))  # zh | en
    source: Mapped[str] = mapped_column(String(16))  # gazetteer | archive | analyst


class EntityCorrection(Base):
    """An analyst's correction of the linking, kept and re-applied on every relink: alias
    (NAME also names ENTITY), merge (ENTITY's figures are TARGET's), split (figures named NAME
    are no longer ENTITY's but TARGET's, a new entity)."""

    __tablename__ = "entity_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(16))  # alias | merge | split
    entity_id: Mapped[str] = mapped_column(String(200))
    target_id: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EntityRelink(Base):
    """One `parkwatch parks relink` over the archive: how far it got (by article id), so an
    interrupted one resumes where it stopped."""

    __tablename__ = "entity_relinks"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_article_id: Mapped[int] = mapped_column(Integer, default=0)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    facts: Mapped[int] = mapped_column(Integer, default=0)


__all__ += ["Entity", "EntityAlias", "EntityCorrection", "EntityRelink"]
