"""The article record that flows from the parser through the pipeline stages to storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class ArticleItem:
    url: str
    title: str
    text: str
    published: date | None = None
    # Where `published` came from: jsonld, meta, time, visible, url or profile.
    published_source: str | None = None
    url_date: date | None = None
    section: str | None = None
    byline_source: str | None = None
    author: str | None = None
    language: str | None = None
    source: str = ""
    # Where each read field came from ({"title": "jsonld", "body": "trafilatura", ...}).
    provenance: dict[str, str] = field(default_factory=dict)
    # Filled by the pipeline stages.
    canonical_url: str = ""
    topics: list[str] = field(default_factory=list)
    topic_terms: dict[str, list[str]] = field(default_factory=dict)
    facts: list[dict[str, Any]] = field(default_factory=list)
    extractor_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
