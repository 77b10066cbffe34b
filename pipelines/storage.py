"""StoragePipeline: writes articles in small batched transactions — an article, its facts and its
near-duplicate signature land together — and counts the outcomes."""

from __future__ import annotations

import hashlib
import logging
import re

from scrapy.exceptions import NotConfigured
from sqlalchemy import text
from twisted.internet import task
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from archive.db import ensure_schema, session_scope
from archive.pages import keep_reading
from archive.store import (
    add_alias,
    get_or_create_source,
    insert_article,
    relink_duplicates,
    save_article,
    save_signature,
)
from pipelines.dedup import decide, fingerprint
from pipelines.entities.stored import link_for_storage
from pipelines.items import ArticleItem, StorageOutcome
from pipelines.periods import period_bounds
from pipelines.urls import canonical_url
from pipelines.writer import writer_of

logger = logging.getLogger(__name__)
_WS = re.compile(r"\s+")


def text_hash(text: str) -> str:
    """Hash of the whitespace- and case-normalised body: equal bodies, equal hashes."""
    return hashlib.sha256(_WS.sub(" ", text).strip().casefold().encode()).hexdigest()


ROW_FIELDS = ("url", "title", "text", "published", "url_date", "section", "byline_source",
              "author", "language", "topics", "topic_terms", "published_source")


def article_row(item: ArticleItem) -> dict:
    """The article's columns; the body hash and fingerprint computed upstream are reused."""
    row = {name: getattr(item, name) for name in ROW_FIELDS}
    row["canonical_url"] = item.canonical_url or canonical_url(item.url)
    row["text_hash"] = item.text_hash or text_hash(item.text)
    if item.fingerprint is not None:
        row["simhash"] = item.fingerprint.simhash
    if item.dedup is not None and item.dedup.kind == "duplicate":
        row["duplicate_of"], row["similarity"] = item.dedup.article_id, item.dedup.similarity
    return row


def fact_dicts_for(facts: list[dict]) -> list[dict]:
    """Extractor facts plus the dates bounding their period, as the facts table stores them."""
    with_dates = []
    for fact in facts:
        start, end = period_bounds(fact.get("period"))
        with_dates.append({**fact, "period_start": start, "period_end": end})
    return with_dates


def fact_dicts(item: ArticleItem) -> list[dict]:
    return fact_dicts_for(item.facts)


def store_item(session, source_id: int, item: ArticleItem, dedup: bool = True) -> StorageOutcome:
    """Decide one article against the archive — this transaction's earlier writes included,
    so two copies in one batch still meet — and write it with its facts and signature."""
    item.canonical_url = item.canonical_url or canonical_url(item.url)
    item.text_hash = item.text_hash or text_hash(item.text)
    if dedup:
        item.fingerprint = item.fingerprint or fingerprint(item.text)
        item.dedup = decide(session, item.canonical_url, item.title, item.text, item.text_hash,
                            item.published or item.url_date, item.fingerprint)
    if item.dedup is not None and item.dedup.kind == "alias":
        # An exact copy: one more URL of the stored article, and no facts of its own.
        add_alias(session, item.dedup.article_id, item.canonical_url)
        return StorageOutcome("alias", item.dedup.article_id)
    row, facts = article_row(item), fact_dicts(item)
    facts = link_for_storage(session, item.title, item.text, facts)
    article_id = None
    if item.dedup is not None and item.dedup.kind != "known":  # not stored: the fast path
        article_id = insert_article(session, source_id, row, facts, item.extractor_version)
    if article_id is not None:
        outcome = "new"
    else:
        outcome, article = save_article(session, source_id, row, facts, item.extractor_version)
        session.flush()
        article_id = article.id
    print_ = item.fingerprint
    if dedup and outcome != "unchanged" and print_ is not None and print_.bands:
        save_signature(session, article_id, print_.bands, print_.minhash, print_.figures,
                       print_.shingles, replace=outcome != "new", cjk=print_.cjk)
    if outcome == "new" and item.dedup is not None and item.dedup.supersedes is not None:
        relink_duplicates(session, item.dedup.supersedes, article_id, item.dedup.similarity)
    if item.page is not None:  # the WARC record it was read from, with it
        keep_reading(session, source_id, article_id, item.page, outcome)
    return StorageOutcome(outcome, article_id)


def describe(exc: BaseException) -> str:
    """One line naming the refusal (no SQL, no parameters)."""
    first = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {first[0] if first else ''}".strip()


ARTICLE_WRITE_LOCK = 7_274_914  # pg_advisory_xact_lock key of article writes


def _serialise_writers(session) -> None:
    """One article-writing transaction at a time across processes, so that each decides its
    near-duplicates against everything committed before it: two workers storing the two
    copies of one story at once would otherwise each miss the other. SQLite writers are
    serialised already (BEGIN IMMEDIATE); on PostgreSQL an advisory lock does it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({ARTICLE_WRITE_LOCK})"))


def write_batch(database_url: str, source_id: int, items: list[ArticleItem],
                dedup: bool = True) -> list[StorageOutcome | BaseException]:
    """Write the items in one transaction; when the database refuses it, write each alone so
    that only the refused ones fail (their exception is returned in their place)."""
    try:
        with session_scope(database_url, write=True) as session:
            _serialise_writers(session)
            return [store_item(session, source_id, item, dedup) for item in items]
    except Exception as exc:
        if len(items) == 1:
            return [exc]
        logger.info("batch of %d articles refused (%s); writing each alone",
                    len(items), describe(exc))
    outcomes: list[StorageOutcome | BaseException] = []
    for item in items:
        item.dedup = None
        try:
            with session_scope(database_url, write=True) as session:
                _serialise_writers(session)
                outcome = store_item(session, source_id, item, dedup)
        except Exception as exc:  # refused at the write or at the commit (a full disk)
            outcome = exc
        outcomes.append(outcome)  # once per item, after its commit
    return outcomes


class StoragePipeline:
    """Stores articles in the archive at PARKWATCH_DATABASE_URL (migrated on open), in
    transactions of at most PARKWATCH_WRITE_BATCH articles flushed at least every
    PARKWATCH_WRITE_INTERVAL seconds and at close, in the crawl's archive-writing thread (one
    batch at a time, pipelines.writer) so that the crawl's event loop keeps downloading. An
    item is handed on (and counted) only once it is committed; one the database refuses fails
    alone, as an item error."""

    def __init__(self, crawler, database_url: str, source: str, batch: int = 50,
                 interval: float = 0.25, dedup: bool = True, threaded: bool = True) -> None:
        self.crawler, self.database_url, self.source_name = crawler, database_url, source
        self.batch, self.interval, self.dedup = max(1, batch), interval, dedup
        self.threaded = threaded
        self.source_id: int | None = None
        self._pending: list[tuple[ArticleItem, Deferred]] = []
        self._timer: task.LoopingCall | None = None
        self._writing: Deferred | None = None  # the batch being written, if any

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        url = settings.get("PARKWATCH_DATABASE_URL")
        if not url:
            raise NotConfigured("PARKWATCH_DATABASE_URL is not set")
        return cls(crawler, url, settings.get("PARKWATCH_SOURCE", ""),
                   settings.getint("PARKWATCH_WRITE_BATCH", 50),
                   settings.getfloat("PARKWATCH_WRITE_INTERVAL", 0.25),
                   settings.getbool("PARKWATCH_DEDUP_ENABLED", True))

    def open_spider(self) -> None:
        ensure_schema(self.database_url)
        name = self.source_name or getattr(self.crawler.spider, "source_name", "unknown")
        with session_scope(self.database_url, write=True) as session:
            self.source_id = get_or_create_source(session, name).id
        if self.interval > 0:
            self._timer = task.LoopingCall(self.flush)
            self._timer.start(self.interval, now=False)

    def close_spider(self) -> Deferred | None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        return self._drain()

    def _drain(self) -> Deferred | None:
        """Write everything pending; a Deferred that fires when it is written (threaded)."""
        self.flush()
        if self._writing is None:
            return None
        done: Deferred = Deferred()
        self._writing.addBoth(lambda _: done.callback(None))
        return done.addCallback(lambda _: self._drain())

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        """Scrapy awaits the item until its batch is committed (a coroutine, as Scrapy 2.19
        asks: a returned Deferred is deprecated and warned about on every crawl)."""
        from scrapy.utils.defer import maybe_deferred_to_future

        return await maybe_deferred_to_future(self.enqueue(item))

    def enqueue(self, item: ArticleItem) -> Deferred:
        """Queue the item for the next batch; the Deferred fires once that batch is written."""
        done: Deferred = Deferred()
        self._pending.append((item, done))
        if len(self._pending) >= self.batch or self.interval <= 0:
            self.flush()
        return done

    def flush(self) -> None:
        """Write what is pending (unless a batch is being written), then hand each item on."""
        if self._writing is not None or not self._pending:
            return
        batch, self._pending = self._pending, []
        items = [item for item, _ in batch]
        if not self.threaded:
            self._hand_on(batch, write_batch(self.database_url, self.source_id, items,
                                             self.dedup))
            return
        self._writing = writer_of(self.crawler).submit(write_batch, self.database_url,
                                                       self.source_id, items, self.dedup)

        def written(outcomes):
            self._writing = None
            if isinstance(outcomes, Failure):  # write_batch returns refusals; this is a bug
                outcomes = [outcomes.value] * len(batch)
            self._hand_on(batch, outcomes)
            if len(self._pending) >= self.batch:
                self.flush()

        self._writing.addBoth(written)

    def _hand_on(self, batch: list[tuple[ArticleItem, Deferred]],
                 outcomes: list[StorageOutcome | BaseException]) -> None:
        stats = self.crawler.stats
        for (item, done), outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                item.stored = StorageOutcome("error", error=describe(outcome))
                done.errback(Failure(outcome))
                continue
            item.stored = outcome
            stats.inc_value(f"parkwatch/{outcome.outcome}")
            if outcome.outcome == "new" and item.dedup is not None and (
                    item.dedup.kind == "duplicate" or item.dedup.supersedes is not None):
                stats.inc_value("parkwatch/duplicate")
            done.callback(item)
