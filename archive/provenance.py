"""Where an article's reading came from: a live fetch, a reread of a kept page with newer rules,
a WARC file made elsewhere (import) or a web archive's capture (backfill) — with the page's
capture time, WARC record and file, and the imported file or the archive's replay address —
and the folder the archive's WARC files are kept in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Article, Page, Revision
from foundation.settings import Settings

#: How a reading came, in words (the keys are `provenance()["reading"]`).
READINGS = {"live": "live fetch", "reread": "reread of a kept page", "import": "WARC import",
            "archive": "web archive", None: "not kept (stored before pages were kept)"}


def pages_root(config: Settings) -> Path:
    """The archive's WARC folder: [scrapy] PARKWATCH_PAGES_DIR, else `pages/` in its home."""
    configured = config.scrapy.get("PARKWATCH_PAGES_DIR")
    return Path(str(configured)).expanduser() if configured else config.home / "pages"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _web_address(value: str | None) -> str | None:
    """A stored address, only when it is one a page may link to."""
    return value if value and value.lower().startswith(("http://", "https://")) else None


def provenance(session: Session, article: Article) -> dict[str, Any]:
    """The reading's provenance as plain values (JSON as it is):

    `reading` live | reread | import | archive | None (no page kept), `described` in words,
    `origin` how the page came (live | import | archive), `captured_at`, `record_id`,
    `warc_file`, `warc_offset`, `kept` (whether the page's row is still there: a pruned file's
    is not), `reread_at`, `imported_from` (the file and record of an import), `replay_url` (a
    web archive's capture) and `source_url` (the kept page for inspection)."""
    page = session.get(Page, article.page_record) if article.page_record else None
    latest = session.execute(select(Revision.reason, Revision.page_record,
                                    Revision.fetched_at)
                             .where(Revision.article_id == article.id)
                             .order_by(Revision.id.desc()).limit(1)).first()
    # a reread keeps the former reading as a revision naming the same record it re-read
    reread = (latest is not None and latest.reason == "reread" and page is not None
              and latest.page_record == article.page_record)
    origin = page.origin if page is not None else None
    reading = "reread" if reread else origin
    return {
        "reading": reading,
        "described": READINGS.get(reading, str(reading)),
        "origin": origin,
        "record_id": article.page_record,
        "kept": page is not None,
        "captured_at": _iso(page.captured_at) if page else None,
        "warc_file": page.warc_file if page else None,
        "warc_offset": page.warc_offset if page else None,
        "reread_at": _iso(article.updated_at) if reread else None,
        "imported_from": page.origin_ref if page is not None and origin == "import" else None,
        "replay_url": (_web_address(page.origin_ref)
                       if page is not None and origin == "archive" else None),
        "source_url": f"/article/{article.id}/source" if page is not None else None,
    }
