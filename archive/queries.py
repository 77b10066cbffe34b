"""Read-side queries of the archive, shared by the CLI and the HTTP API."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, cast, func, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from archive.entities import entity_dict, entity_facets
from archive.filters import ARTICLE_ORDER, ArticleFilter, apply_filters
from archive.keys import grouping_key
from archive.models import SERIES_LONG, Article, ArticleUrl, Fact, Source
from archive.search import fact_match, fact_names_matching


def fact_dict(fact: Fact) -> dict[str, Any]:
    conversion = None
    if fact.conversion_value is not None:
        conversion = {"value": fact.conversion_value, "unit": fact.conversion_unit,
                      "consistent": fact.conversion_consistent,
                      "implied_rate": fact.conversion_rate}
    value = fact.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return {
        "value": value, "unit": fact.unit, "kind": fact.kind, "qualifier": fact.qualifier,
        "period": fact.period, "basis": fact.basis, "metric": fact.metric,
        "subject": fact.subject, "share_of": fact.share_of, "refers_to": fact.refers_to,
        "conversion": conversion, "sentence": fact.sentence, "start": fact.start,
        "end": fact.end, "extractor_version": fact.extractor_version,
        # the link (0022): whose figure, which measure, its series (None: not linked)
        "entity": entity_dict(fact.entity, fact.entity_id), "measure": fact.measure,
        "series_id": fact.series_id, "status": fact.status,
    }


def article_dict(article: Article, source_name: str | None = None,
                 with_text: bool = True) -> dict[str, Any]:
    aliases = sorted(u.url for u in article.urls if u.url != article.canonical_url)
    data = {
        "id": article.id,
        "source": source_name,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "aliases": aliases,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "url_date": article.url_date.isoformat() if article.url_date else None,
        "published_source": article.published_source,
        "section": article.section,
        "byline_source": article.byline_source,
        "author": article.author,
        "language": article.language,
        "topics": list(article.topics or []),
        "topic_terms": dict(article.topic_terms or {}),
        "duplicate_of": article.duplicate_of,
        "similarity": article.similarity,
        "first_seen": article.first_seen.isoformat() if article.first_seen else None,
        "last_fetched": article.last_fetched.isoformat() if article.last_fetched else None,
    }
    if with_text:
        data["text"] = article.text
    data["facts"] = [fact_dict(f) for f in article.facts]
    return data


MAX_ARTICLE_ID = 2**31 - 1  # articles.id is a 32-bit integer on PostgreSQL


def list_articles(session: Session, filters: ArticleFilter, limit: int = 20,
                  offset: int = 0, after: int | None = None) -> list[Article]:
    """Newest first (undated last, then higher id first), with facts and aliases loaded.

    `after` is the id of the article the previous page ended with: the page that follows it
    is read straight from the (published, id) index, as fast at any depth (keyset
    pagination; LookupError when there is no such article). `offset` skips rows instead:
    the rows skipped are still read, so a deep offset is slow."""
    options = (selectinload(Article.facts), selectinload(Article.urls))
    if after is None:
        stmt = apply_filters(select(Article), filters).options(*options).order_by(*ARTICLE_ORDER)
        return list(session.scalars(stmt.limit(limit).offset(offset)))
    if offset:
        raise ValueError("give either an offset or an article to list after, not both")
    mark = None
    if 0 < after <= MAX_ARTICLE_ID:  # a larger one is no id (PostgreSQL would refuse it)
        mark = session.execute(select(Article.published).where(Article.id == after)).first()
    if mark is None:
        raise LookupError(f"no article with id {after}")
    rows: list[Article] = []
    if mark.published is not None:  # the dated rows after it, then every undated one
        dated = apply_filters(select(Article), filters).where(
            tuple_(Article.published, Article.id) < tuple_(literal(mark.published), literal(after)))
        rows = list(session.scalars(dated.options(*options).order_by(*ARTICLE_ORDER)
                                    .limit(limit)))
    if len(rows) < limit:
        undated = apply_filters(select(Article), filters).where(Article.published.is_(None))
        if mark.published is None:
            undated = undated.where(Article.id < after)
        rows += session.scalars(undated.options(*options).order_by(Article.id.desc())
                                .limit(limit - len(rows)))
    return rows


def get_article(session: Session, article_id: int) -> Article | None:
    return session.scalar(select(Article).where(Article.id == article_id).options(
        selectinload(Article.facts), selectinload(Article.urls)))


def source_names(session: Session) -> dict[int, str]:
    return {row.id: row.name for row in session.execute(select(Source.id, Source.name))}


def article_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Article)) or 0


def alias_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleUrl)) or 0


# ---------------------------------------------------------------- facts and series


@dataclass
class FactFilter:
    metric: str | None = None  # every word starts a word of the fact's metric, any case
    subject: str | None = None  # likewise for the fact's subject
    unit: str | None = None
    kind: str | None = None
    period: str | None = None
    article_id: int | None = None
    since: date | None = None  # compared with the fact's period, else the article's date
    until: date | None = None


def _fact_where(session: Session, stmt: Select, filters: FactFilter) -> Select:

    postgres = session.get_bind().dialect.name == "postgresql"
    condition = fact_match(filters.metric, filters.subject, postgres, session)
    if condition is not None:
        stmt = stmt.where(condition)
    for name in ("unit", "kind", "period", "article_id"):
        if (value := getattr(filters, name)) is not None:
            stmt = stmt.where(getattr(Fact, name) == value)
    if filters.since:  # the statement joins Article
        stmt = stmt.where(func.coalesce(Fact.period_end, Article.published) >= filters.since)
    if filters.until:
        stmt = stmt.where(func.coalesce(Fact.period_start, Article.published) <= filters.until)
    return stmt


def list_facts(session: Session, filters: FactFilter, limit: int = 50,
               offset: int = 0) -> list[dict[str, Any]]:
    """Facts with their article's id, URL and date, newest articles first."""
    stmt = _fact_where(session, select(Fact, Article.url, Article.published)
                       .join(Article, Article.id == Fact.article_id), filters)
    stmt = stmt.order_by(Article.published.desc().nulls_last(), Fact.article_id.desc(),
                         Fact.position).limit(limit).offset(offset)
    return [{"id": fact.id, "article_id": fact.article_id, "url": url,
             "published": published.isoformat() if published else None,
             "period_start": _iso(fact.period_start), "period_end": _iso(fact.period_end),
             **fact_dict(fact)} for fact, url, published in session.execute(stmt)]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


#: Bases that make a fact a comparison with another figure ("1.2 percentage points higher
#: than the city's average"), never a rival value of the series it sits in.
COMPARISON_BASES = frozenset({"percentage-points"})


#: Past this many (metric, subject) pairs the words name, a series is read the plain way.
SERIES_NAME_PAIRS = 2000


def _coalesce(first: date | None, second: date | None) -> date | None:
    return first if first is not None else second


def _at_least(value: date | None, bound: date | None) -> bool:
    """value >= bound, false when either is NULL (SQL's comparison in a WHERE)."""
    return value is not None and bound is not None and value >= bound


def _series_rows_by_name(session: Session, filters: FactFilter) -> list[tuple] | None:
    """PostgreSQL, a filter with metric words: metric_series' rows, in its order, read by the
    exact names the words match (fact_names) from ix_facts_series alone: each fact carries its
    article's URL and date (migration 0013), so the series is one index-only scan instead of
    a full-text match and an article lookup per fact. None when the plain way is to be taken:
    another backend, no metric words, too many names, or facts too long for the partial index."""
    from archive.search_syntax import filter_words

    if session.get_bind().dialect.name != "postgresql" or not filter_words(filters.metric):
        return None
    names = fact_names_matching(session, filters.metric, filters.subject)
    metrics, subjects = names["metric"], names.get("subject")
    if not metrics or subjects == []:
        return []
    if len(metrics) * len(subjects or [None]) > SERIES_NAME_PAIRS:
        return None
    connection = session.connection()
    if connection.exec_driver_sql(
            f"SELECT 1 FROM facts WHERE {SERIES_LONG} LIMIT 1").first() is not None:
        return None  # rows ix_facts_series leaves out (ix_facts_series_long lists them)
    # One statement, its parameters arrays (not one per name or id).
    conditions = ["metric = ANY(%(metrics)s)", "period IS NOT NULL", f"NOT ({SERIES_LONG})"]
    params: dict[str, Any] = {"metrics": metrics}
    if subjects is not None:
        conditions.append("subject = ANY(%(subjects)s)")
        params["subjects"] = subjects
    for name in ("unit", "kind", "period", "article_id"):
        if (value := getattr(filters, name)) is not None:
            conditions.append(f"{name} = %({name})s")
            params[name] = value
    rows = connection.exec_driver_sql(
        "SELECT id, article_id, value, unit, kind, basis, period, period_start, period_end, "
        "metric, subject, subject_key, article_url, article_published FROM facts "
        f"WHERE {' AND '.join(conditions)} ORDER BY article_id, position", params).all()
    # article_url is NULL for an article's URL past SOURCE_URL_BYTES (or a fact written with
    # the triggers off): those few articles are read by primary key.
    if missing := sorted({row[1] for row in rows if row[12] is None}):
        articles = {article_id: (url, published) for article_id, url, published in
                    connection.exec_driver_sql(
                        "SELECT id, url, published FROM articles WHERE id = ANY(%(ids)s)",
                        {"ids": missing})}
        rows = [row if row[12] is not None else (*row[:12], *articles[row[1]])
                for row in rows if row[12] is not None or row[1] in articles]
    if filters.since or filters.until:
        # as coalesce(period_end, published) >= since, coalesce(period_start, …) <= until
        rows = [row for row in rows
                if (not filters.since
                    or _at_least(_coalesce(row[8], row[13]), filters.since))
                and (not filters.until
                     or _at_least(filters.until, _coalesce(row[7], row[13])))]
    return rows


_MISSING = object()


_PAUSES = {"count": 0, "was_enabled": False}
_PAUSES_LOCK = threading.Lock()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a series builds its thousands of rows and
    dicts: they are not cycles, but their number sets off full collections, each walking
    every object of the process (30-60 ms in a CLI or API process: a 5,500-fact series took
    30 ms, or 60-90 when one fell inside it). Counted across threads (the API builds series
    side by side): the first one in turns it off, the last one out turns it back on, if it
    was on."""
    with _PAUSES_LOCK:
        if _PAUSES["count"] == 0:
            _PAUSES["was_enabled"] = gc.isenabled()
            gc.disable()
        _PAUSES["count"] += 1
    try:
        yield
    finally:
        with _PAUSES_LOCK:
            _PAUSES["count"] -= 1
            if _PAUSES["count"] == 0 and _PAUSES["was_enabled"]:
                gc.enable()


def metric_series(session: Session, filters: FactFilter) -> list[dict[str, Any]]:
    """One point per period; one fact reported by several articles is one value carrying all
    its sources; differing values of the same unit, kind, basis and subject for one period
    stand side by side (`conflict`). Comparisons (percentage-point differences) are listed
    with `comparison: true` and never make a conflict."""
    with _collector_paused():
        return _series(session, filters)


def _series(session: Session, filters: FactFilter) -> list[dict[str, Any]]:
    rows = _series_rows_by_name(session, filters)
    if rows is None:
        rows = session.execute(_fact_where(session, select(
            Fact.id, Fact.article_id, Fact.value, Fact.unit, Fact.kind, Fact.basis,
            Fact.period, Fact.period_start, Fact.period_end, Fact.metric, Fact.subject,
            Fact.subject_key, Article.url, Article.published)
            .join(Article, Article.id == Fact.article_id)
            .where(Fact.period.is_not(None)), filters).order_by(Fact.article_id, Fact.position))
    points: dict[str, dict[str, Any]] = {}
    # Worked out once each: grouping keys of subjects without their key column, values
    # rounded for comparison, dates in ISO form.
    keys: dict[str, str] = {}
    roundings: dict[float, float] = {}
    days: dict[date | None, Any] = {}
    # One dict per new point, value and source only (not one per row).
    for (fact_id, article_id, number, unit, kind, basis, period, period_start, period_end,
         metric, subject, subject_key, url, published) in rows:
        point = points.get(period)
        if point is None:
            point = points[period] = {"period": period, "period_start": _iso(period_start),
                                      "period_end": _iso(period_end), "values": {}}
        if subject_key is None and subject is not None:  # a row older than its key column
            subject_key = keys.get(subject)
            if subject_key is None:
                subject_key = keys[subject] = grouping_key(subject)
        rounded = roundings.get(number)
        if rounded is None:
            rounded = roundings[number] = float(f"{number:.12g}")
        key = (rounded, unit, kind, basis, subject_key or "")
        values = point["values"]
        value = values.get(key)
        if value is None:
            value = values[key] = {"value": _plain_number(number), "unit": unit, "kind": kind,
                                   "basis": basis, "subject": subject,
                                   "subject_key": subject_key or "", "metric": metric,
                                   "comparison": basis in COMPARISON_BASES, "conflict": False,
                                   "sources": []}
        sources = value["sources"]
        # Rows come in article order, so an article already among this value's sources is
        # the last one added.
        if not sources or sources[-1]["article_id"] != article_id:
            day = days.get(published, _MISSING)
            if day is _MISSING:
                day = days[published] = _iso(published)
            sources.append({"article_id": article_id, "url": url, "published": day,
                            "fact_id": fact_id})
    series = []
    for point in points.values():
        values = sorted(point["values"].values(),
                        key=lambda v: (v["comparison"], -len(v["sources"]), v["unit"],
                                       v["value"]))
        groups: dict[tuple, list[dict]] = {}
        for v in values:
            if not v["comparison"]:
                groups.setdefault((v["unit"], v["kind"], v["basis"], v["subject_key"]),
                                  []).append(v)
        for group in groups.values():
            if len(group) > 1:
                for v in group:
                    v["conflict"] = True
        series.append({**point, "values": values,
                       "conflict": any(len(g) > 1 for g in groups.values())})
    return sorted(series, key=lambda p: (p["period_start"] or "9999", p["period_end"] or "9999",
                                         p["period"]))


# ---------------------------------------------------------------- facets


def _most_first(counts: dict[str | None, int]) -> list[tuple[str | None, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))


def facets(session: Session, limit: int = 200) -> dict[str, list[dict[str, Any]]]:
    """What the archive holds, with counts: sections, topics, languages, units, metrics
    (by grouping key, with their most frequent wording), measures and parks (facts linked
    to each), most frequent first."""
    def counted(rows) -> list[dict[str, Any]]:
        return [{"name": name, "count": count} for name, count in rows if name is not None]

    # One pass over the live articles, grouped by the few (section, language, topics)
    # combinations there are; each combination's topics are read once, not once an article.
    sections: dict[str, int] = {}
    languages: dict[str, int] = {}
    topics: dict[str, int] = {}
    text = cast(Article.topics, String)
    for section, language, names, count in session.execute(
            select(Article.section, Article.language, text, func.count())
            .where(Article.duplicate_of.is_(None))
            .group_by(Article.section, Article.language, text)):
        for found, name in ((sections, section), (languages, language)):
            found[name] = found.get(name, 0) + count
        for name in json.loads(names) if names else []:
            topics[name] = topics.get(name, 0) + count
    units = session.execute(select(Fact.unit, func.count()).group_by(Fact.unit)
                            .order_by(func.count().desc(), Fact.unit)).all()
    metric_rows = session.execute(
        select(Fact.metric_key, func.count(), func.min(Fact.metric))
        .where(Fact.metric_key.is_not(None), Fact.metric_key != "")
        .group_by(Fact.metric_key).order_by(func.count().desc(), Fact.metric_key)
        .limit(limit)).all()
    return {
        "sections": counted(_most_first(sections)),
        "topics": counted(_most_first(topics)),
        "languages": counted(_most_first(languages)),
        "units": counted(units),
        "metrics": [{"name": key, "example": example, "count": count}
                    for key, count, example in metric_rows],
        **entity_facets(session, limit),  # measures and parks (0022)
    }


def stored_sections(session: Session) -> set[str]:
    """Every section name the archive's articles carry."""
    return {s for s in session.scalars(select(Article.section).distinct()) if s}
