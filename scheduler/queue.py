"""Queued one-off crawls: the CLI records a crawl_requests row, the service starts it."""

from __future__ import annotations

from typing import Any

from archive.db import ensure_schema, session_scope
from archive.models import CrawlRequest
from archive.store import get_or_create_source
from crawler.run import parse_overrides
from foundation.settings import Settings


def enqueue(config: Settings, source: str, settings: list[str],
            options: dict[str, Any] | None = None) -> int:
    """Record a request to crawl `source`; return its id. Never touches the job store."""
    config.source(source)
    parse_overrides(settings)  # refuse a malformed -s now, not in the service
    ensure_schema(config.database_url)
    opts = {k: v for k, v in (options or {}).items() if v not in (None, False)}
    if settings:
        opts["settings"] = list(settings)
    with session_scope(config.database_url, write=True) as session:
        request = CrawlRequest(source_id=get_or_create_source(session, source).id, options=opts)
        session.add(request)
        session.flush()
        return request.id
