"""Adding, listing and removing watches; what each one asks, with its targets shown redacted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import apprise
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from archive.db import session_scope
from archive.models import Article, Notification, Watch, WatchMatch
from watches.outbox import watch_health
from watches.targets import redact

NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


class WatchError(ValueError):
    """Bad watch input (a name taken or malformed, a target apprise cannot read)."""


@dataclass
class WatchSpec:
    name: str
    query: str | None = None
    topic: str | None = None
    source: str | None = None
    section: str | None = None
    metric: str | None = None
    above: float | None = None
    below: float | None = None
    targets: list[str] = field(default_factory=list)


def check_spec(spec: WatchSpec) -> None:
    """WatchError unless the spec is a usable watch."""
    if not spec.name or not set(spec.name) <= NAME_CHARS or len(spec.name) > 100:
        raise WatchError(f"watch name {spec.name!r}: use lower-case letters, digits, - _ .")
    if not any((spec.query, spec.topic, spec.source, spec.section, spec.metric)):
        raise WatchError("a watch needs at least one of --query, --topic, --source, "
                         "--section, --metric")
    if (spec.above is not None or spec.below is not None) and not spec.metric:
        raise WatchError("--above/--below go with --metric")
    if spec.above is not None and spec.below is not None and spec.above >= spec.below:
        raise WatchError(f"--above {spec.above:g} --below {spec.below:g}: no value is both "
                         "(give --above a smaller number than --below)")
    for target in spec.targets:
        if not apprise.Apprise.instantiate(target, suppress_exceptions=True):
            raise WatchError(f"not a notification URL apprise knows: {redact(target)}")


def add_watch(url: str, spec: WatchSpec) -> Watch:
    """Store a watch; it matches articles stored from now on (its mark is the newest id)."""
    from watches.match import check_query

    check_spec(spec)
    if spec.query:
        check_query(spec.query)
    with session_scope(url, write=True) as session:
        if session.scalar(select(Watch.id).where(Watch.name == spec.name)) is not None:
            raise WatchError(f"a watch named {spec.name} exists (watch remove {spec.name})")
        newest = session.scalar(select(func.max(Article.id))) or 0
        watch = Watch(name=spec.name, query=spec.query, topic=spec.topic, source=spec.source,
                      section=spec.section, metric=spec.metric, above=spec.above,
                      below=spec.below, targets=list(spec.targets), checked_article_id=newest)
        session.add(watch)
        session.flush()
        session.expunge(watch)
        return watch


def remove_watch(url: str, name: str) -> None:
    with session_scope(url, write=True) as session:
        watch_id = session.scalar(select(Watch.id).where(Watch.name == name))
        if watch_id is None:
            raise WatchError(f"no watch named {name}")
        # Children first: SQLite enforces no foreign keys unless asked, PostgreSQL does.
        session.execute(delete(Notification).where(Notification.watch_id == watch_id))
        session.execute(delete(WatchMatch).where(WatchMatch.watch_id == watch_id))
        session.execute(delete(Watch).where(Watch.id == watch_id))


def get_watch(session: Session, name: str) -> Watch | None:
    return session.scalar(select(Watch).where(Watch.name == name))


def describe(watch: Watch) -> str:
    """'query "x" · topic t · metric GDP above 5' — what the watch asks."""
    parts = []
    if watch.query:
        parts.append(f"query {watch.query}")
    for name in ("topic", "source", "section"):
        if value := getattr(watch, name):
            parts.append(f"{name} {value}")
    if watch.metric:
        bound = "".join(f" {word} {value:g}" for word, value in
                        (("above", watch.above), ("below", watch.below)) if value is not None)
        parts.append(f"metric {watch.metric}{bound}")
    return " · ".join(parts)


def watch_rows(session: Session) -> list[dict[str, Any]]:
    """Every watch with its match count, outbox state and health, for `watch list` and the
    web page; targets are redacted."""

    rows = []
    for watch in session.scalars(select(Watch).order_by(Watch.name)):
        matches = session.scalar(select(func.count()).select_from(WatchMatch)
                                 .where(WatchMatch.watch_id == watch.id)) or 0
        health = watch_health(session, watch.id)
        rows.append({"name": watch.name, "asks": describe(watch), "query": watch.query,
                     "topic": watch.topic, "source": watch.source, "section": watch.section,
                     "metric": watch.metric, "above": watch.above, "below": watch.below,
                     "targets": [redact(t) for t in watch.targets or []],
                     "matches": matches, "checked_article_id": watch.checked_article_id,
                     **health})
    return rows


def degraded(url: str) -> list[str]:
    """'NAME: reason' for every degraded watch (for `parkwatch status`)."""
    with session_scope(url) as session:
        return [f"{row['name']}: {'; '.join(row['reasons'])}" for row in watch_rows(session)
                if row["health"] == "degraded"]
