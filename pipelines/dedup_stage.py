"""DedupPipeline: the Scrapy adapter of pipelines.dedup's per-article work — the body hash and
the fingerprint (MinHash signature, band keys, figures), unless a worker process made them.
The decision itself (new, re-fetch, alias, near-duplicate) is taken by storage, inside the
transaction that writes the article, so copies within one batch still meet."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from pipelines.dedup import fingerprint
from pipelines.items import ArticleItem
from pipelines.storage import text_hash
from pipelines.urls import canonical_url


def fingerprint_item(item: ArticleItem) -> ArticleItem:
    """Fill the item's canonical URL, body hash and fingerprint where they are missing."""
    item.canonical_url = item.canonical_url or canonical_url(item.url)
    item.text_hash = item.text_hash or text_hash(item.text)
    if item.fingerprint is None:
        item.fingerprint = fingerprint(item.text)
    return item


class DedupPipeline:
    """Fingerprints each article for the archive's near-duplicate check
    (PARKWATCH_DEDUP_ENABLED = False switches deduplication off, in storage too)."""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("PARKWATCH_DATABASE_URL") or \
                not settings.getbool("PARKWATCH_DEDUP_ENABLED", True):
            raise NotConfigured("deduplication needs PARKWATCH_DATABASE_URL")
        return cls()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        return fingerprint_item(item)
