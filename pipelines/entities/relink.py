"""`parks relink`: link every stored fact again (after a rule, gazetteer or correction change),
in batches of articles by id, one transaction each; how far it got is kept (entity_relinks),
so an interrupted relink resumes after the last batch it committed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import bindparam, func, literal, select, update

from archive.db import session_scope
from archive.entities import articles_after, corrections, open_relink
from archive.models import Article, EntityRelink, Fact, utcnow
from archive.store import LINK_FIELDS

from .stored import Corrections, ensure_named, link_facts, link_for_storage, seed_gazetteer

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
                    for f, d in zip(facts, linked, strict=True)
                    if "status" in d]  # not linked (a linking bug): keeps its former link
    if updates:
        session.connection().execute(_FACT_UPDATE, updates)
    return len(updates)


def relink(database_url: str, restart: bool = False, batch: int = BATCH,
           progress: Callable[[int, int], None] | None = None,
           workers: int = 1) -> dict[str, Any]:
    """Link every stored fact again, resuming an unfinished relink unless `restart` →
    {run, articles, facts, resumed_after, total, workers}. `progress(articles_done, total)`
    after each batch. With `workers` > 1 (and more than a few batches to do) the linking runs
    in that many processes while this one reads and writes, batches committed in id order."""
    with session_scope(database_url, write=True) as session:
        seed_gazetteer(session)
        run = open_relink(session, restart)
        run_id, after = run.id, run.last_article_id
        articles, facts = run.articles, run.facts
        total = session.scalar(select(func.count()).select_from(Article)) or 0
        left = session.scalar(select(func.count()).select_from(Article)
                              .where(Article.id > after)) or 0
    resumed_after = after
    if workers > 1 and left > 4 * batch:
        done = _relink_in_pool(database_url, run_id, after, articles, facts, total, batch,
                               progress, workers)
        return {"run": run_id, **done, "resumed_after": resumed_after, "total": total,
                "workers": workers}
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
            "resumed_after": resumed_after, "total": total, "workers": 1}


def _link_batch(batch: list[tuple[str, str, list[dict[str, Any]]]], fixes: Corrections
                ) -> list[tuple[list[dict[str, Any]], dict[str, str]] | None]:
    """In a worker: the links of each article of a batch (nothing of the archive touched);
    an article whose linking fails keeps the links it had (None)."""
    out = []
    for title, text, facts in batch:
        try:
            out.append(link_facts(title, text, facts, fixes))
        except Exception:  # noqa: BLE001 - one article's linking bug stops no relink
            out.append(None)
    return out


def _read_batch(database_url: str, after: int, batch: int):
    """The next batch: (last article id, fact ids per article, (title, text, facts) each)."""
    with session_scope(database_url) as session:
        rows = articles_after(session, after, batch)
        if not rows:
            return None
        ids, payload = [], []
        for article in rows:
            stored = sorted(article.facts, key=lambda f: f.position)
            ids.append([f.id for f in stored])
            payload.append((article.title, article.text, [fact_dict(f) for f in stored]))
        return rows[-1].id, ids, payload


def _relink_in_pool(database_url: str, run_id: int, after: int, articles: int, facts: int,
                    total: int, batch: int, progress, workers: int) -> dict[str, int]:
    """relink's loop with the linking in `workers` processes (spawned: they inherit no
    database connection), at most workers + 1 batches in flight, written in order."""
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with session_scope(database_url) as session:
        fixes = Corrections.from_rows(corrections(session))
    in_flight: deque = deque()
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        exhausted = False
        while in_flight or not exhausted:
            while not exhausted and len(in_flight) <= workers:
                read = _read_batch(database_url, after, batch)
                if read is None:
                    exhausted = True
                    break
                after, ids, payload = read
                in_flight.append((after, ids, pool.submit(_link_batch, payload, fixes)))
            if not in_flight:
                break
            last, ids, future = in_flight.popleft()
            results = future.result()
            with session_scope(database_url, write=True) as session:
                updates = []
                for fact_ids, result in zip(ids, results, strict=True):
                    if result is None:
                        continue
                    links, named = result
                    ensure_named(session, links, named)
                    updates += [{"fact_id": i, **{n: link[n] for n in LINK_FIELDS}}
                                for i, link in zip(fact_ids, links, strict=True)]
                if updates:
                    session.connection().execute(_FACT_UPDATE, updates)
                facts += len(updates)
                articles += len(ids)
                run = session.get(EntityRelink, run_id)
                run.last_article_id, run.articles, run.facts = last, articles, facts
            if progress is not None:
                progress(articles, total)
    with session_scope(database_url, write=True) as session:  # every batch written
        session.get(EntityRelink, run_id).finished_at = utcnow()
    return {"articles": articles, "facts": facts}


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
