"""StoragePipeline: writes each article and its facts in one transaction; counts outcomes."""

from __future__ import annotations

import hashlib
import re

from scrapy.exceptions import NotConfigured

from archive.db import ensure_schema, session_scope
from archive.store import (
    add_alias,
    get_or_create_source,
    relink_duplicates,
    save_article,
    save_bands,
)
from pipelines.items import ArticleItem
from pipelines.periods import period_bounds
from pipelines.urls import canonical_url

_WS = re.compile(r"\s+")


def text_hash(text: str) -> str:
    """Hash of the whitespace- and case-normalised body: equal bodies, equal hashes."""
    return hashlib.sha256(_WS.sub(" ", text).strip().casefold().encode()).hexdigest()


ROW_FIELDS = ("url", "title", "text", "published", "url_date", "section", "byline_source",
              "author", "language", "topics", "topic_terms", "published_source")


def article_row(item: ArticleItem) -> dict:
    """The article's columns; the body hash the dedup stage computed is reused."""
    row = {name: getattr(item, name) for name in ROW_FIELDS}
    row["canonical_url"] = item.canonical_url or canonical_url(item.url)
    row["text_hash"] = item.extra.get("text_hash") or text_hash(item.text)
    row.update({k: v for k, v in item.extra.items()
                if k in ("simhash", "duplicate_of", "similarity")})
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


class StoragePipeline:
    """Stores articles in the archive at PARKWATCH_DATABASE_URL (migrated on open)."""

    def __init__(self, crawler, database_url: str, source: str) -> None:
        self.crawler, self.database_url, self.source_name = crawler, database_url, source
        self.source_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("PARKWATCH_DATABASE_URL")
        if not url:
            raise NotConfigured("PARKWATCH_DATABASE_URL is not set")
        return cls(crawler, url, crawler.settings.get("PARKWATCH_SOURCE", ""))

    def open_spider(self) -> None:
        ensure_schema(self.database_url)
        name = self.source_name or getattr(self.crawler.spider, "source_name", "unknown")
        with session_scope(self.database_url, write=True) as session:
            self.source_id = get_or_create_source(session, name).id

    def process_item(self, item: ArticleItem) -> ArticleItem:
        stats = self.crawler.stats
        with session_scope(self.database_url, write=True) as session:
            alias_of = item.extra.get("alias_of")
            if alias_of is not None:  # an exact copy: one more URL of the stored article
                add_alias(session, alias_of, item.canonical_url or canonical_url(item.url))
                item.extra.update(article_id=alias_of, outcome="alias")
                stats.inc_value("parkwatch/alias")
                return item
            outcome, article = save_article(
                session, self.source_id, article_row(item), fact_dicts(item),
                item.extractor_version)
            session.flush()
            if outcome != "unchanged" and item.extra.get("bands"):
                save_bands(session, article.id, item.extra["bands"])
            if outcome == "new" and item.extra.get("supersedes"):
                former, score = item.extra["supersedes"]
                relink_duplicates(session, former, article.id, score)
                stats.inc_value("parkwatch/duplicate")
            item.extra["article_id"] = article.id
        item.extra["outcome"] = outcome
        stats.inc_value(f"parkwatch/{outcome}")
        if outcome == "new" and article.duplicate_of is not None:
            stats.inc_value("parkwatch/duplicate")
        return item
