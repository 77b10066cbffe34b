"""Which articles a query means: the filter every list, search, export and watch narrows by
(source, topic, dates, section, language, id range, duplicates), its SQL, and the order of
article lists."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Select, String, cast, func, literal
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from archive.models import Article, Source


@dataclass
class ArticleFilter:
    source: str | None = None
    topic: str | None = None
    since: date | None = None
    until: date | None = None
    with_duplicates: bool = False
    section: str | None = None  # a display name, any case (see `sections`)
    sections: tuple[str, ...] = field(default=())  # more names the section is known by
    language: str | None = None
    min_id: int | None = None  # article ids in [min_id, max_id]: what a watch has not checked
    max_id: int | None = None


class has_topic(FunctionElement):  # noqa: N801 - an SQL function's name, as SQLAlchemy's are
    """Whether an article's topics (a JSON list of names) hold `name`: on PostgreSQL a jsonb
    containment, which the search index answers together with the words (its second column,
    migration 0016); elsewhere a match of the name in double quotes in the list's text."""

    type = Boolean()
    inherit_cache = True

    def __init__(self, topics: Any, name: str) -> None:
        quoted = json.dumps(name)  # as the list's text holds it
        escaped = quoted.replace("/", "//").replace("%", "/%").replace("_", "/_")
        super().__init__(topics, literal(f"%{escaped}%"), literal(json.dumps([name])))


@compiles(has_topic)
def _has_topic_text(element: has_topic, compiler, **kw) -> str:
    topics, pattern, _ = element.clauses
    return f"({compiler.process(cast(topics, String).like(pattern, escape='/'), **kw)})"


@compiles(has_topic, "postgresql")
def _has_topic_jsonb(element: has_topic, compiler, **kw) -> str:
    topics, _, listed = element.clauses
    return f"({compiler.process(cast(topics, JSONB).op('@>')(cast(listed, JSONB)), **kw)})"


def section_names(filters: ArticleFilter) -> list[str]:
    """The sections a filter names (`section` and `sections`), lower-cased: sections are
    matched case-blind, as lower(section)."""
    return sorted({n.lower() for n in (filters.section, *filters.sections) if n})


def apply_filters(stmt: Select, filters: ArticleFilter) -> Select:
    """Narrow a select over articles by an ArticleFilter (lists, search, export, watches)."""
    if filters.source:
        stmt = stmt.join(Source, Source.id == Article.source_id).where(
            Source.name == filters.source)
    if filters.since:
        stmt = stmt.where(Article.published >= filters.since)
    if filters.until:
        stmt = stmt.where(Article.published <= filters.until)
    if filters.topic:
        stmt = stmt.where(has_topic(Article.topics, filters.topic))
    names = section_names(filters)
    if names:
        stmt = stmt.where(func.lower(Article.section).in_(names))
    if filters.language:
        stmt = stmt.where(func.lower(Article.language) == filters.language.lower())
    if filters.min_id is not None:
        stmt = stmt.where(Article.id >= filters.min_id)
    if filters.max_id is not None:
        stmt = stmt.where(Article.id <= filters.max_id)
    if not filters.with_duplicates:
        stmt = stmt.where(Article.duplicate_of.is_(None))
    return stmt


#: The order of article lists (and of broad searches): newest first, undated last, then higher
#: id first. PostgreSQL reads it from ix_articles_published_id; SQLite from ix_articles_published
#: (its entries end with the rowid, which is the id).
ARTICLE_ORDER = (Article.published.desc().nulls_last(), Article.id.desc())
