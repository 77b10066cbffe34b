"""A watch's Atom feed (feedgen): its matching articles, newest first, with a validator pair
(ETag, Last-Modified) for conditional GET. An entry that cannot be written as XML (a control
character stored before text was cleaned) is left out and logged, never the whole feed."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import Article, Source, Watch, WatchMatch
from foundation.cleantext import clean_text

logger = logging.getLogger(__name__)
ENTRIES = 50
SUMMARY = 400


@dataclass
class FeedState:
    etag: str
    last_modified: datetime


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def feed_state(session: Session, watch: Watch) -> FeedState:
    """Cheap validators: they change whenever a match is added (or the watch is replaced)."""
    count, newest, last = session.execute(
        select(func.count(), func.max(WatchMatch.id), func.max(WatchMatch.matched_at))
        .where(WatchMatch.watch_id == watch.id)).one()
    stamp = _aware(last or watch.created_at).replace(microsecond=0)
    digest = hashlib.sha256(f"{watch.id}:{watch.created_at}:{count}:{newest}".encode())
    return FeedState(f'"{digest.hexdigest()[:32]}"', stamp)


def atom_feed(session: Session, watch: Watch, base_url: str) -> bytes:
    """The feed document; entry links go to the article pages of this server."""
    from watches.store import describe

    base = base_url.rstrip("/")
    state = feed_state(session, watch)
    feed = FeedGenerator()
    feed.id(f"{base}/feeds/{watch.name}.atom")
    feed.title(clean_text(f"parkwatch: {watch.name}", "line"))
    feed.subtitle(clean_text(describe(watch), "line") or "every new article")
    feed.link(href=f"{base}/feeds/{watch.name}.atom", rel="self")
    feed.link(href=f"{base}/watches", rel="alternate")
    feed.updated(state.last_modified)
    feed.generator("parkwatch")
    rows = session.execute(
        select(Article, Source.name, WatchMatch.matched_at)
        .join(WatchMatch, WatchMatch.article_id == Article.id)
        .join(Source, Source.id == Article.source_id)
        .where(WatchMatch.watch_id == watch.id)
        .order_by(Article.published.desc().nulls_last(), Article.id.desc())
        .limit(ENTRIES)).all()
    for article, source, matched_at in rows:
        entry = feed.add_entry(order="append")  # rows come newest first
        try:
            _fill(entry, article, source, matched_at, base)
            entry.atom_entry()  # written once here: text no XML can hold raises now
        except ValueError as exc:
            feed.remove_entry(entry)
            logger.warning("feed %s: left out article %s: %s", watch.name, article.id, exc)
    document: bytes = feed.atom_str(pretty=True)
    return document


def _fill(entry: FeedEntry, article: Article, source: str, matched_at: datetime,
          base: str) -> None:
    entry.id(article.canonical_url)
    entry.title(article.title or article.url)
    entry.link(href=f"{base}/article/{article.id}", rel="alternate")
    if article.url.lower().startswith(("http://", "https://")):  # never a script's address
        entry.link(href=article.url, rel="via")
    if article.published:
        entry.published(datetime(article.published.year, article.published.month,
                                 article.published.day, tzinfo=UTC))
    entry.updated(_aware(matched_at))
    entry.author({"name": source})
    if article.section:
        entry.category(term=article.section)
    entry.summary(" ".join(article.text.split())[:SUMMARY])
