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
    url_date: date | None = None
    section: str | None = None
    byline_source: str | None = None
    author: str | None = None
    language: str | None = None
    source: str = ""
    # Filled by the pipeline stages.
    canonical_url: str = ""
    topics: list[str] = field(default_factory=list)
    topic_terms: dict[str, list[str]] = field(default_factory=dict)
    facts: list[dict[str, Any]] = field(default_factory=list)
    extractor_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
