"""`import`: WARC files made elsewhere read into the archive as if crawled. Every response
record that is an article page of the source (its host, an article-shaped URL, answered 200,
HTML) goes through the crawl's reading (crawler.pool.process_page, in both cores) and storage
(pipelines.storage.write_batch: dedup, facts, topics); its first sighting is the capture's
WARC-Date, and the page is kept in the archive's own WARC series with the file and record it
came from. A capture no newer than what the archive holds for its URL is skipped, so a file
imported twice, or an import killed and run again, stores nothing twice; each file's progress
is kept in crawl_state (kind "import"), so a killed import goes on where it stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.db import ensure_schema, session_scope
from archive.pages import newest_capture
from archive.store import crawl_states, get_or_create_source, save_crawl_state
from archive.warc import KeptPage, PageSeries, pack
from crawler.discovery.urls import ARTICLE, classify_url, same_site, url_date
from crawler.history.captures import Capture, ReadCounts, captures
from crawler.history.reading import PageTask, ReadingPool
from crawler.parsing import NOT_AN_ARTICLE
from foundation.profile import Profile
from pipelines.items import ArticleItem, StorageOutcome
from pipelines.storage import write_batch
from pipelines.urls import canonical_url

STATE_KIND = "import"
PAGE_TYPES = ("html", "text", "xml")


@dataclass
class ImportSummary:
    """What an import did, record by record."""

    read: ReadCounts = field(default_factory=ReadCounts)
    files: int = 0
    files_done_before: int = 0  # imported completely by an earlier run
    off_source: int = 0  # responses of other hosts, other shapes, other statuses or types
    known: int = 0  # the archive holds the URL from a capture as new or newer
    not_articles: int = 0
    skipped: int = 0  # pages that did not read (empty, unreadable, too slow)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases: int = 0
    duplicates: int = 0
    errors: int = 0  # articles the database refused

    def counted(self, outcome: StorageOutcome | BaseException, item: ArticleItem) -> None:
        if isinstance(outcome, BaseException):
            self.errors += 1
            return
        kind = "aliases" if outcome.outcome == "alias" else outcome.outcome
        if kind in ("new", "updated", "unchanged", "aliases"):
            setattr(self, kind, getattr(self, kind) + 1)
        if outcome.outcome == "new" and item.dedup is not None and item.dedup.kind == "duplicate":
            self.duplicates += 1


def is_article_capture(capture: Capture, profile: Profile) -> bool:
    """A page of the source at an article-shaped URL, answered 200 with a web page."""
    kind = capture.header("Content-Type").lower()
    return (capture.status == 200 and same_site(capture.url, profile.host)
            and (not kind or any(k in kind for k in PAGE_TYPES))
            and classify_url(capture.url, profile.article_re if profile.article_pattern
                             else None,
                             profile.listing_re if profile.listing_pattern else None) == ARTICLE)


class Importer:
    """Reads captures into the archive in batches (one transaction each, as a crawl)."""

    def __init__(self, database_url: str, profile: Profile, pages_root: Path | None,
                 workers: int | None = None, batch: int = 50, origin: str = "import",
                 progress: Callable[[ImportSummary], None] | None = None) -> None:
        self.database_url, self.profile, self.batch = database_url, profile, max(1, batch)
        self.origin, self.progress = origin, progress
        self.summary = ImportSummary()
        self.series = PageSeries(pages_root, profile.name) if pages_root is not None else None
        self.pool = ReadingPool(profile, workers)
        ensure_schema(database_url)
        with session_scope(database_url, write=True) as session:
            self.source_id = get_or_create_source(session, profile.name).id

    def close(self) -> None:
        self.pool.close()
        if self.series is not None:
            self.series.close()

    def store(self, batch: list[Capture],
              origin_ref: Callable[[Capture], str | None] = lambda c: None) -> None:
        """Read and store one batch of captures (the newest of each URL, if newer than the
        archive's)."""
        newest: dict[str, Capture] = {}
        for capture in batch:
            key = canonical_url(capture.url)
            if key not in newest or capture.captured_at > newest[key].captured_at:
                newest[key] = capture
        with session_scope(self.database_url) as session:
            stored = newest_capture(session, list(newest))
        fresh = [c for key, c in newest.items()
                 if key not in stored or c.captured_at > stored[key]]
        self.summary.known += len(batch) - len(fresh)
        results = self.pool.read([PageTask(c.body, c.url, c.charset) for c in fresh])
        items = []
        for capture, result in zip(fresh, results, strict=True):
            item = result.item
            if item is not None and item.url_date is None:
                item.url_date = url_date(capture.url)
            if item is None or (item.published is None and item.url_date is None):
                if item is not None or result.skipped == NOT_AN_ARTICLE:
                    self.summary.not_articles += 1
                else:
                    self.summary.skipped += 1
                continue
            if self.series is not None:
                ref = self.series.write(pack(capture.exchange()))
                item.page = KeptPage(ref, capture.url, self.origin, origin_ref(capture))
            items.append(item)
        if items:
            for item, outcome in zip(items, write_batch(self.database_url, self.source_id,
                                                        items), strict=True):
                self.summary.counted(outcome, item)

    def import_file(self, path: Path) -> None:
        """One WARC file, from where an earlier run of it stopped."""
        key = str(path.resolve())[:2000]
        with session_scope(self.database_url) as session:
            state = crawl_states(session, self.source_id, [STATE_KIND]).get((STATE_KIND, key))
            done, complete = (state.entries, state.complete) if state else (0, False)
        self.summary.files += 1
        if complete:
            self.summary.files_done_before += 1
            return
        self._mark(key, entries=done, in_progress=True)
        batch: list[Capture] = []
        reached = done
        before = self.summary.read.records
        for capture in captures(path, self.summary.read, skip=done):
            if not is_article_capture(capture, self.profile):
                self.summary.off_source += 1
                continue
            batch.append(capture)
            if len(batch) >= self.batch:
                self.store(batch, _provenance)
                reached = done + self.summary.read.records - before
                self._mark(key, entries=reached)
                batch = []
                self._report()
        self.store(batch, _provenance)
        self._mark(key, entries=done + self.summary.read.records - before, complete=True,
                   in_progress=False)
        self._report()

    def _mark(self, key: str, **values: object) -> None:
        with session_scope(self.database_url, write=True) as session:
            save_crawl_state(session, self.source_id, STATE_KIND, key, **values)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.summary)


def _provenance(capture: Capture) -> str:
    """The file and record a capture came from: `name:offset <record id>`."""
    return f"{Path(capture.file).name}:{capture.offset} {capture.record_id}".strip()


def import_warcs(database_url: str, profile: Profile, paths: Iterable[Path],
                 pages_root: Path | None, workers: int | None = None, batch: int = 50,
                 progress: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Import these WARC files (.warc, .warc.gz, .arc, .arc.gz) for one source."""
    importer = Importer(database_url, profile, pages_root, workers, batch, progress=progress)
    try:
        for path in paths:
            importer.import_file(Path(path))
    finally:
        importer.close()
    return importer.summary
