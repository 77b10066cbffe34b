"""DedupPipeline: the Scrapy adapter of pipelines.dedup — marks each article new, a re-fetch,
an alias of an exact copy, or a near-duplicate of an earlier story (storage acts on it)."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from archive.db import ensure_schema, session_scope
from pipelines.dedup import decide
from pipelines.items import ArticleItem
from pipelines.storage import text_hash
from pipelines.urls import canonical_url


class DedupPipeline:
    """Looks each article up in the archive at PARKWATCH_DATABASE_URL by URL, body hash and
    MinHash-LSH bands (PARKWATCH_DEDUP_ENABLED = False switches it off)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("PARKWATCH_DATABASE_URL")
        if not url or not crawler.settings.getbool("PARKWATCH_DEDUP_ENABLED", True):
            raise NotConfigured("deduplication needs PARKWATCH_DATABASE_URL")
        return cls(url)

    def open_spider(self) -> None:
        ensure_schema(self.database_url)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.canonical_url = item.canonical_url or canonical_url(item.url)
        item.extra["text_hash"] = body_hash = text_hash(item.text)  # storage reuses it
        with session_scope(self.database_url) as session:
            decision = decide(session, item.canonical_url, item.title, item.text,
                              body_hash, item.published or item.url_date)
        item.extra["dedup"] = decision.kind
        item.extra["bands"] = decision.bands
        item.extra["simhash"] = decision.simhash
        if decision.kind == "alias":
            item.extra["alias_of"] = decision.article_id
        elif decision.kind == "duplicate":
            item.extra["duplicate_of"] = decision.article_id
            item.extra["similarity"] = decision.similarity
        elif decision.supersedes is not None:
            item.extra["supersedes"] = (decision.supersedes, decision.similarity)
        return item
