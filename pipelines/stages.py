"""Scrapy adapters for the pipeline stages: each reads its settings once and calls a plain
function. Order: topics (100) → dedup (200) → metrics (300) → storage (900)."""

from __future__ import annotations

from scrapy.exceptions import DropItem, NotConfigured

from pipelines.items import ArticleItem
from pipelines.topics import rules_for, tag_topics


class TopicsPipeline:
    """Tags each article with the built-in topics (pipelines/topic_rules.toml) and its
    profile's (config: [sources.NAME.topics], replacing built-in topics of the same name)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.rules: dict = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        profile = getattr(self.crawler.spider, "profile", None)
        self.rules = rules_for(profile.topics if profile is not None else None)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not item.topics_tagged:  # not already done in a worker process
            topics_of(item, self.rules)
        return item


def topics_of(item: ArticleItem, rules) -> ArticleItem:
    """The item tagged with the topics whose rules it meets, with the terms that matched."""
    for match in tag_topics(item.title, item.text, rules):
        item.topics.append(match.topic)
        item.topic_terms[match.topic] = match.terms
    item.topics_tagged = True
    return item


class MetricsPipeline:
    """Extracts numeric facts from the article text (see pipelines.metrics)."""

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PARKWATCH_METRICS_ENABLED", True):
            raise NotConfigured
        return cls()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.extractor_version is None:  # not already done in a worker process
            facts_of(item)
        return item


def facts_of(item: ArticleItem) -> ArticleItem:
    """The item's numeric facts (an exact copy's are computed too, then not stored)."""
    from pipelines.metrics import EXTRACTOR_VERSION  # a parse worker's import
    from pipelines.metrics.extract import extract_facts  # a parse worker's import

    item.facts = [f.to_dict() for f in extract_facts(item.text, item.published)]
    item.extractor_version = EXTRACTOR_VERSION
    return item


class EmptyArticleFilter:
    """Drops items without text; the reason shows up in the run's skipped count."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not item.text.strip():
            raise DropItem(f"empty article text at {item.url}")
        return item
