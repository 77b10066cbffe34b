"""Re-run the current metric extractor over stored articles, replacing their facts."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import selectinload

from archive.db import session_scope
from archive.models import Article, Fact
from archive.store import fact_rows
from pipelines.entities.stored import link_for_storage
from pipelines.metrics import EXTRACTOR_VERSION
from pipelines.metrics.extract import extract_facts
from pipelines.storage import fact_dicts_for

BATCH = 200


def reextract(database_url: str, outdated_only: bool = False,
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Replace the facts of every article (or of those made by another extractor version).

    Works in batches of article ids, one transaction each, so an interruption keeps the
    batches already done and never leaves an article without its facts.
    """
    done = facts = 0
    last_id = 0
    while True:
        with session_scope(database_url, write=True) as session:
            stmt = select(Article.id).where(Article.id > last_id).order_by(Article.id)
            if outdated_only:  # a fact of another version, or none and no stamp of this one
                older = select(Fact.article_id).where(Fact.extractor_version != EXTRACTOR_VERSION)
                factless = ~exists().where(Fact.article_id == Article.id)
                unstamped = or_(Article.extractor_version.is_(None),
                                Article.extractor_version != EXTRACTOR_VERSION)
                stmt = stmt.where(or_(Article.id.in_(older), and_(factless, unstamped)))
            ids = list(session.scalars(stmt.limit(BATCH)))
            if not ids:
                break
            articles = session.scalars(select(Article).where(Article.id.in_(ids))
                                       .options(selectinload(Article.facts)))
            for article in articles:
                found = [f.to_dict() for f in extract_facts(article.text, article.published)]
                linked = link_for_storage(session, article.title, article.text,
                                          fact_dicts_for(found))
                article.facts = fact_rows(linked, EXTRACTOR_VERSION)
                article.extractor_version = EXTRACTOR_VERSION
                facts += len(found)
                done += 1
            last_id = ids[-1]
        if progress:
            progress(done)
    return {"articles": done, "facts": facts}
