"""`parks relink`: link every stored fact again (after a rule, gazetteer or correction change),
in batches of articles by id, one transaction each; how far it got is kept (entity_relinks),
so an interrupted relink resumes after the last batch it committed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import bindparam, func, literal, select, update

from archive.db import session_scope
from archive.entities import articles_after, open_relink
from archive.models import Article, EntityRelink, Fact, utcnow
from archive.store import LINK_FIELDS

from .stored import link_for_storage, seed_gazetteer

BATCH = 200
_FACT_UPDATE = (update(Fact.__table__).where(Fact.__table__.c.id == bindparam("fact_id"))
                .values({name: bindparam(name) for name in LINK_FIELDS}))


def fact_dict(fact: Fact) -> dict[str, Any]:
    """A stored fact as the extractor's dict (what linking reads)."""
    return {"value": fact.value, "unit": fact.unit, "kind": fact.kind,
            "qualifier": fact.qualifier, "period": fact.period, "basis": fact.basis,
            "metric": fact.metric, "subject": fact.subject, "share_of": fact.share_of,
            "refers_to": fact.refers_to, "sentence": fact.sentence, "start": fact.start,
            "end": fact.end}


def relink_articles(session, articles: Iterable[Article]) -> int:
    """Link the facts of these articles again in this transaction → how many facts."""
    updates = []
    for article in articles:
        facts = sorted(article.facts, key=lambda f: f.position)
        linked = link_for_storage(session, article.title, article.text,
                                  [fact_dict(f) for f in facts])
        updates += [{"fact_id": f.id, **{name: d[name] for name in LINK_FIELDS}}
                    for f, d in zip(facts, linked, strict=True)]
    if updates:
        session.connection().execute(_FACT_UPDATE, updates)
    return len(updates)


def relink(database_url: str, restart: bool = False, batch: int = BATCH,
           progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Link every stored fact again, resuming an unfinished relink unless `restart` →
    {run, articles, facts, resumed_after, total}. `progress(articles_done, total)` after each
    batch."""
    with session_scope(database_url, write=True) as session:
        seed_gazetteer(session)
        run = open_relink(session, restart)
        run_id, after = run.id, run.last_article_id
        articles, facts = run.articles, run.facts
        total = session.scalar(select(func.count()).select_from(Article)) or 0
    resumed_after = after
    while True:
        with session_scope(database_url, write=True) as session:
            rows = articles_after(session, after, batch)
            run = session.get(EntityRelink, run_id)
            if not rows:
                run.finished_at = utcnow()
                break
            facts += relink_articles(session, rows)
            articles += len(rows)
            after = rows[-1].id
            run.last_article_id, run.articles, run.facts = after, articles, facts
        if progress is not None:
            progress(articles, total)
    return {"run": run_id, "articles": articles, "facts": facts,
            "resumed_after": resumed_after, "total": total}


def relink_entity(database_url: str, entity_id: str) -> int:
    """Link again the articles holding a figure of this entity (after a split) → facts."""
    done = 0
    with session_scope(database_url, write=True) as session:
        ids = list(session.scalars(select(Fact.article_id)
                                   .where(Fact.entity_id == entity_id).distinct()))
    for start in range(0, len(ids), BATCH):
        with session_scope(database_url, write=True) as session:
            from sqlalchemy.orm import selectinload

            rows = session.scalars(select(Article).where(Article.id.in_(ids[start:start + BATCH]))
                                   .options(selectinload(Article.facts)))
            done += relink_articles(session, rows)
    return done


def merge_stored(session, source: str, target: str) -> int:
    """Move the stored figures of `source` to `target` at once (series ids begin with the
    entity's id) → how many facts."""
    moved = session.execute(
        update(Fact).where(Fact.entity_id == source)
        .values(entity_id=target, series_id=literal(target) + func.substr(
            Fact.series_id, len(source) + 1))
        .execution_options(synchronize_session=False))
    return moved.rowcount or 0
