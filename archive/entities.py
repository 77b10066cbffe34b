"""The entities of the archive (0022): rows made on first use, analyst corrections, fact links
written and read back by park, measure and series."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.models import (
    Article,
    Entity,
    EntityAlias,
    EntityCorrection,
    EntityRelink,
    Fact,
    utcnow,
)

CORRECTIONS = ("alias", "merge", "split")


def entity_dict(entity: Entity | None, entity_id: str | None = None) -> dict[str, Any] | None:
    """A fact's `entity`: id and names (None when the fact has none)."""
    if entity is None:
        return {"id": entity_id, "name_zh": None, "name_en": None} if entity_id else None
    return {"id": entity.id, "name_zh": entity.name_zh, "name_en": entity.name_en}


def known_ids(session: Session, ids: Iterable[str]) -> set[str]:
    wanted = list(set(ids))
    if not wanted:
        return set()
    return set(session.scalars(select(Entity.id).where(Entity.id.in_(wanted))))


def ensure_entities(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert the entities (dicts of Entity's columns plus `aliases`: [(name, language,
    source)]) the archive does not hold yet → how many were new. A concurrent writer inserting
    one first is no error."""
    missing = [r for r in rows if r["id"] not in known_ids(session, [r["id"] for r in rows])]
    added = 0
    for row in {r["id"]: r for r in missing}.values():
        values = {k: v for k, v in row.items() if k != "aliases"}
        try:
            with session.begin_nested():
                session.add(Entity(**values))
                session.flush()
                session.add_all(EntityAlias(entity_id=row["id"], name=name, language=language,
                                            source=source)
                                for name, language, source in row.get("aliases", ()))
                session.flush()
            added += 1
        except IntegrityError:
            continue
    return added


def corrections(session: Session) -> list[EntityCorrection]:
    """Every analyst correction, oldest first (the order they are re-applied in)."""
    return list(session.scalars(select(EntityCorrection).order_by(EntityCorrection.id)))


def add_correction(session: Session, action: str, entity_id: str, target_id: str | None = None,
                   name: str | None = None) -> EntityCorrection:
    """Keep one correction (and, for an alias, the alias row; for a merge, the mark)."""
    if action not in CORRECTIONS:
        raise ValueError(f"unknown correction {action!r}")
    row = EntityCorrection(action=action, entity_id=entity_id, target_id=target_id, name=name)
    session.add(row)
    if action == "alias" and name:
        session.add(EntityAlias(entity_id=entity_id, name=name,
                                language="zh" if _cjk(name) else "en", source="analyst"))
    if action == "merge":
        session.execute(update(Entity).where(Entity.id == entity_id)
                        .values(merged_into=target_id))
    session.flush()
    return row


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def get_entity(session: Session, entity_id: str) -> Entity | None:
    return session.get(Entity, entity_id)


def aliases_of(session: Session, entity_id: str) -> list[EntityAlias]:
    return list(session.scalars(select(EntityAlias).where(EntityAlias.entity_id == entity_id)
                                .order_by(EntityAlias.source, EntityAlias.name)))


def list_entities(session: Session, kind: str | None = None, with_unused: bool = True,
                  limit: int | None = None) -> list[tuple[Entity, int, int]]:
    """(entity, facts, articles) of every entity, those with most facts first."""
    counts = (select(Fact.entity_id, func.count().label("facts"),
                     func.count(func.distinct(Fact.article_id)).label("articles"))
              .where(Fact.entity_id.is_not(None)).group_by(Fact.entity_id).subquery())
    stmt = (select(Entity, func.coalesce(counts.c.facts, 0), func.coalesce(counts.c.articles, 0))
            .outerjoin(counts, counts.c.entity_id == Entity.id))
    if kind:
        stmt = stmt.where(Entity.kind == kind)
    if not with_unused:
        stmt = stmt.where(counts.c.facts > 0)
    stmt = stmt.order_by(func.coalesce(counts.c.facts, 0).desc(), Entity.id)
    if limit:
        stmt = stmt.limit(limit)
    return [(e, int(f), int(a)) for e, f, a in session.execute(stmt)]


def entity_articles(session: Session, entity_id: str, limit: int = 200) -> list[Article]:
    """The articles with a figure of this entity, newest first."""
    ids = select(Fact.article_id).where(Fact.entity_id == entity_id).distinct()
    return list(session.scalars(
        select(Article).where(Article.id.in_(ids))
        .order_by(Article.published.desc().nulls_last(), Article.id.desc()).limit(limit)))


def series_facts(session: Session, entity_id: str | None = None, measure: str | None = None,
                 series_id: str | None = None) -> list[Any]:
    """Rows (id, article_id, series_id, entity_id, value, qualifier, period, period_start,
    period_end, url, published) of every fact of a series — by its id, or every series of an
    entity (and measure) — in period order (series_id; entity_id + measure are indexed).
    Columns, not ORM objects: a busy park's series read thousands of facts."""
    stmt = (select(Fact.id, Fact.article_id, Fact.series_id, Fact.entity_id, Fact.value,
                   Fact.qualifier, Fact.period, Fact.period_start, Fact.period_end,
                   Article.url, Article.published)
            .join(Article, Article.id == Fact.article_id)
            .where(Fact.series_id.is_not(None)))
    if series_id is not None:
        stmt = stmt.where(Fact.series_id == series_id)
    if entity_id is not None:
        stmt = stmt.where(Fact.entity_id == entity_id)
    if measure is not None:
        stmt = stmt.where(Fact.measure == measure)
    stmt = stmt.order_by(Fact.series_id, Fact.period_end.nulls_last(), Fact.period,
                         Fact.article_id, Fact.position)
    return list(session.execute(stmt))


def entity_names(session: Session, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """{id: {id, name_zh, name_en}} of these entities (one query)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {e.id: {"id": e.id, "name_zh": e.name_zh, "name_en": e.name_en} for e in
            session.execute(select(Entity.id, Entity.name_zh, Entity.name_en)
                            .where(Entity.id.in_(wanted)))}


def entity_facets(session: Session, limit: int = 200) -> dict[str, list[dict[str, Any]]]:
    """{measures: [{name, count}], parks: [{name, example, count}]}: facts linked to each
    measure and park, most first (a park's example is its name)."""
    measures = session.execute(
        select(Fact.measure, func.count()).where(Fact.measure.is_not(None))
        .group_by(Fact.measure).order_by(func.count().desc(), Fact.measure).limit(limit))
    parks = session.execute(
        select(Fact.entity_id, func.count(), func.min(Entity.name_zh), func.min(Entity.name_en))
        .outerjoin(Entity, Entity.id == Fact.entity_id).where(Fact.entity_id.is_not(None))
        .group_by(Fact.entity_id).order_by(func.count().desc(), Fact.entity_id).limit(limit))
    return {"measures": [{"name": m, "count": int(c)} for m, c in measures],
            "parks": [{"name": e, "example": " / ".join(n for n in (zh, en) if n) or None,
                       "count": int(c)} for e, c, zh, en in parks]}


# ---------------------------------------------------------------- relink runs


def open_relink(session: Session, restart: bool = False) -> EntityRelink:
    """The unfinished relink to resume (none, or `restart`: a new one from the first article)."""
    last = session.scalar(select(EntityRelink).order_by(EntityRelink.id.desc()).limit(1))
    if last is not None and last.finished_at is None and not restart:
        return last
    if last is not None and last.finished_at is None:
        last.finished_at = utcnow()
    run = EntityRelink(last_article_id=0, articles=0, facts=0)
    session.add(run)
    session.flush()
    return run


def articles_after(session: Session, after: int, limit: int) -> list[Article]:
    """The next `limit` articles by id after `after`, with their facts."""
    from sqlalchemy.orm import selectinload

    return list(session.scalars(select(Article).where(Article.id > after).order_by(Article.id)
                                .limit(limit).options(selectinload(Article.facts))))
