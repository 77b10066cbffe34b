"""Matching each newly stored article against every watch, once: a per-watch high-water mark
of article ids checked; each match and its outbox messages are written in one transaction."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import session_scope
from archive.filters import ArticleFilter, apply_filters
from archive.models import Article, Fact, Notification, Source, Watch, WatchMatch

log = logging.getLogger("parkwatch.watches")

BATCH = 500  # articles (search hits) read per step
SNIPPET = 280


def check_query(query: str) -> None:
    """SearchSyntaxError unless the query parses (the CLI's search syntax)."""
    from archive.search_syntax import parse

    parse(query)


def _filters(watch: Watch, first: int, last: int) -> ArticleFilter:
    return ArticleFilter(source=watch.source, topic=watch.topic, section=watch.section,
                         min_id=first, max_id=last)


def _searched(session: Session, watch: Watch, filters: ArticleFilter) -> set[int]:
    from archive.search import search

    found: set[int] = set()
    offset = 0
    while True:
        hits = search(session, watch.query, filters, limit=BATCH, offset=offset)
        found.update(hit.id for hit in hits)
        if len(hits) < BATCH:
            return found
        offset += BATCH


def _fact_matches(session: Session, watch: Watch, filters: ArticleFilter,
                  among: set[int] | None) -> dict[int, int]:
    """article id → its first fact that matches the watch's metric and bounds."""
    from archive.search import fact_match

    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = apply_filters(select(Fact.article_id, Fact.id).join(
        Article, Article.id == Fact.article_id), filters)
    condition = fact_match(watch.metric, None, postgres)
    if condition is not None:
        stmt = stmt.where(condition)
    if watch.above is not None:
        stmt = stmt.where(Fact.value > watch.above)
    if watch.below is not None:
        stmt = stmt.where(Fact.value < watch.below)
    found: dict[int, int] = {}
    for article_id, fact_id in session.execute(stmt.order_by(Fact.article_id, Fact.position)):
        if among is None or article_id in among:
            found.setdefault(article_id, fact_id)
    return found


def matching_articles(session: Session, watch: Watch, first: int,
                      last: int) -> dict[int, int | None]:
    """The articles with ids in [first, last] that match the watch → a matching fact id."""
    filters = _filters(watch, first, last)
    among = _searched(session, watch, filters) if watch.query else None
    if watch.metric:
        return dict(_fact_matches(session, watch, filters, among))
    if among is not None:
        return dict.fromkeys(among)
    ids = session.scalars(apply_filters(select(Article.id), filters))
    return dict.fromkeys(ids)


def message(session: Session, watch: Watch, article_id: int,
            fact_id: int | None) -> tuple[str, str]:
    """The notification's title and body for one matching article."""
    article, source = session.execute(
        select(Article, Source.name).join(Source, Source.id == Article.source_id)
        .where(Article.id == article_id)).one()
    lines = [f"{article.published or 'undated'} · {source}"
             + (f" · {article.section}" if article.section else ""), article.url]
    fact = session.get(Fact, fact_id) if fact_id else None
    if fact is not None:
        lines.append(f"{fact.metric or 'figure'}: {fact.value:g} {fact.unit}"
                     + (f" ({fact.period})" if fact.period else ""))
        lines.append(fact.sentence[:SNIPPET])
    else:
        lines.append(" ".join(article.text.split())[:SNIPPET])
    return f"[{watch.name}] {article.title}", "\n".join(lines)


def match_watch(url: str, watch_id: int) -> int:
    """Check the articles stored since the watch's mark; returns how many matched."""
    with session_scope(url, write=True) as session:
        watch = session.scalar(select(Watch).where(Watch.id == watch_id).with_for_update())
        if watch is None:
            return 0
        newest = session.scalar(select(func.max(Article.id))) or 0
        if newest <= watch.checked_article_id:
            return 0
        found = matching_articles(session, watch, watch.checked_article_id + 1, newest)
        known = set(session.scalars(select(WatchMatch.article_id).where(
            WatchMatch.watch_id == watch.id, WatchMatch.article_id.in_(sorted(found)))))
        count = 0
        for article_id in sorted(found):
            if article_id in known:
                continue
            match = WatchMatch(watch_id=watch.id, article_id=article_id,
                               fact_id=found[article_id])
            session.add(match)
            session.flush()
            title, body = message(session, watch, article_id, found[article_id])
            for target in watch.targets or []:
                session.add(Notification(watch_id=watch.id, match_id=match.id, target=target,
                                         title=title, body=body, status="pending",
                                         attempts=0))
            count += 1
        watch.checked_article_id = newest
        return count


def match_new(url: str) -> dict[str, int]:
    """Match every watch against the articles it has not checked: name → new matches."""
    with session_scope(url) as session:
        watches = session.execute(select(Watch.id, Watch.name).order_by(Watch.id)).all()
    counts = {}
    for watch_id, name in watches:
        counts[name] = match_watch(url, watch_id)
        if counts[name]:
            log.info("watch %s: %d new match(es)", name, counts[name])
    return counts
