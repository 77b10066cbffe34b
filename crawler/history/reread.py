"""`reread`: a source's stored articles read again from their kept pages with today's rules —
the crawl's own reading (parse, topics, facts) in both cores, no request sent. A reading that
differs (title, date, body, section, topics, facts) replaces the stored one, which becomes a
revision with the reason "reread"; an unchanged one costs only its reading.

Resumable: each batch's new readings and the id it reached are committed together (crawl_state,
kind "reread", one row per date window), so a run killed midway leaves every batch done or
not, and the next run goes on after the last one done. A run that finishes starts the next one
from the beginning."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from archive.db import ensure_schema, session_scope
from archive.readings import (
    READING_FIELDS,
    StoredReading,
    apply_reading,
    count_readings,
    fact_key,
    stored_readings,
)
from archive.store import crawl_states, get_or_create_source, save_crawl_state, save_signature
from archive.warc import PageGone, StoredPage, read_page
from crawler.history.reading import PageTask, ReadingPool
from foundation.profile import Profile
from pipelines.dedup import fingerprint
from pipelines.entities.stored import link_for_storage
from pipelines.items import ArticleItem
from pipelines.storage import fact_dicts, text_hash

STATE_KIND = "reread"


@dataclass
class RereadSummary:
    """What a reread found, page by page and field by field."""

    total: int = 0  # articles with a kept page to read in this run
    read: int = 0
    unchanged: int = 0
    changed: int = 0
    titles: int = 0
    dates: int = 0
    bodies: int = 0
    sections: int = 0
    topics: int = 0
    facts_added: int = 0
    facts_removed: int = 0
    without_page: int = 0  # stored before pages were kept, or their file pruned
    unreadable: int = 0  # the kept record is gone, or no longer reads as an article
    resumed_after: int = 0  # the article id an earlier, killed run had reached
    seconds: float = 0.0


def window_key(since: date | None, until: date | None) -> str:
    return f"{since or ''}..{until or ''}"


def _charset(page: StoredPage) -> str | None:
    kind = page.header("Content-Type") or ""
    return kind.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in kind else None


def new_values(item: ArticleItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in READING_FIELDS}


def compare(stored: StoredReading, item: ArticleItem, summary: RereadSummary) -> bool:
    """Whether the new reading differs; counts what moved."""
    new = new_values(item)
    old = stored.values
    fresh = [fact_key(f) for f in fact_dicts(item)]
    added = Counter(fresh) - Counter(stored.facts)
    removed = Counter(stored.facts) - Counter(fresh)
    differs = {name for name in READING_FIELDS if _same(old[name]) != _same(new[name])}
    if not differs and not added and not removed and fresh == stored.facts:
        return False
    summary.titles += "title" in differs
    summary.dates += "published" in differs
    summary.bodies += "text" in differs
    summary.sections += "section" in differs
    summary.topics += "topics" in differs
    summary.facts_added += sum(added.values())
    summary.facts_removed += sum(removed.values())
    return True


def _same(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


class Rereader:
    """Reads one source's kept pages again, batch by batch."""

    def __init__(self, database_url: str, profile: Profile, pages_root: Path,
                 workers: int | None = None, batch: int = 200) -> None:
        self.database_url, self.profile, self.pages_root = database_url, profile, pages_root
        self.batch = max(1, batch)
        self.pool = ReadingPool(profile, workers, fingerprints=False)
        ensure_schema(database_url)
        with session_scope(database_url, write=True) as session:
            self.source_id = get_or_create_source(session, profile.name).id

    def run(self, since: date | None = None, until: date | None = None,
            progress: Callable[[RereadSummary], None] | None = None) -> RereadSummary:
        started = time.perf_counter()
        key = window_key(since, until)
        summary = RereadSummary()
        with session_scope(self.database_url, write=True) as session:
            state = crawl_states(session, self.source_id, [STATE_KIND]).get((STATE_KIND, key))
            after = state.deepest_page if state is not None and state.in_progress else 0
            summary.resumed_after = after
            summary.total, summary.without_page = count_readings(session, self.source_id,
                                                                 after, since, until)
            save_crawl_state(session, self.source_id, STATE_KIND, key, in_progress=True,
                             complete=False, deepest_page=after)
        if progress is not None:
            progress(summary)
        while True:
            with session_scope(self.database_url) as session:
                readings = stored_readings(session, self.source_id, after, self.batch, since,
                                           until)
            if not readings:
                break
            after = self._batch(readings, key, summary)
            if progress is not None:
                progress(summary)
        with session_scope(self.database_url, write=True) as session:
            save_crawl_state(session, self.source_id, STATE_KIND, key, in_progress=False,
                             complete=True, deepest_page=0)
        summary.seconds = time.perf_counter() - started
        return summary

    def _batch(self, readings: list[StoredReading], key: str, summary: RereadSummary) -> int:
        pages: list[tuple[StoredReading, StoredPage]] = []
        for stored in readings:
            try:
                pages.append((stored, read_page(self.pages_root, stored.warc_file,
                                                stored.warc_offset)))
            except (PageGone, OSError, ValueError):
                summary.unreadable += 1
        results = self.pool.read([PageTask(page.body, page.url or stored.url, _charset(page))
                                  for stored, page in pages])
        changed: list[tuple[StoredReading, ArticleItem]] = []
        for (stored, _page), result in zip(pages, results, strict=True):
            summary.read += 1
            item = result.item
            if item is None:
                summary.unreadable += 1
                continue
            if compare(stored, item, summary):
                changed.append((stored, item))
            else:
                summary.unchanged += 1
        with session_scope(self.database_url, write=True) as session:
            for stored, item in changed:
                self._store(session, stored, item)
            save_crawl_state(session, self.source_id, STATE_KIND, key,
                             deepest_page=readings[-1].article_id)
        summary.changed += len(changed)
        return readings[-1].article_id

    def _store(self, session: Any, stored: StoredReading, item: ArticleItem) -> None:
        values = new_values(item)
        values["topic_terms"] = item.topic_terms
        if item.text != stored.values["text"]:
            print_ = fingerprint(item.text)
            values.update(text_hash=text_hash(item.text), simhash=print_.simhash)
            if print_.bands:
                save_signature(session, stored.article_id, print_.bands, print_.minhash,
                               print_.figures, print_.shingles, replace=True, cjk=print_.cjk)
        apply_reading(session, stored.article_id, values,
                      link_for_storage(session, item.title, item.text, fact_dicts(item)),
                      item.extractor_version)

    def close(self) -> None:
        self.pool.close()


def reread(database_url: str, profile: Profile, pages_root: Path, since: date | None = None,
           until: date | None = None, workers: int | None = None, batch: int = 200,
           progress: Callable[[RereadSummary], None] | None = None) -> RereadSummary:
    """Reread one source's kept pages (articles dated within since..until, if given)."""
    rereader = Rereader(database_url, profile, pages_root, workers, batch)
    try:
        return rereader.run(since, until, progress)
    finally:
        rereader.close()
