"""Retries that wait: exponential backoff, and the server's Retry-After on 503 and 429."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.exceptions import NotConfigured

log = logging.getLogger(__name__)

RETRY_AFTER_META = "parkwatch_retry_after"


class RetryBackoffMiddleware:
    """Waits before sending a retried request: base x 2^(n-1) seconds, capped, or longer when
    the server asked for it (Retry-After, seen by RetryAfterMiddleware).

    Scrapy's RetryMiddleware re-schedules failed requests at once; a struggling site deserves
    a pause. Only the retried request waits; the rest of the crawl goes on.
    """

    def __init__(self, base: float, cap: float) -> None:
        self.base, self.cap = base, cap

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        base = settings.getfloat("PARKWATCH_RETRY_BACKOFF_BASE", 1.0)
        return cls(max(0.0, base), settings.getfloat("PARKWATCH_RETRY_BACKOFF_MAX", 30.0))

    def delay(self, retries: int) -> float:
        if retries <= 0 or self.base <= 0:
            return 0.0
        return min(self.cap, self.base * 2 ** (retries - 1))

    async def process_request(self, request):
        retries = request.meta.get("retry_times", 0)
        wait = self.delay(retries)
        if retries > 0:
            wait = max(wait, float(request.meta.get(RETRY_AFTER_META) or 0.0))
        if wait:
            await asyncio.sleep(wait)
        return None


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Reads Retry-After on 503 and 429 answers (capped at PARKWATCH_RETRY_AFTER_MAX) so the
    retried request waits that long; counted in stats as parkwatch/retry_after."""

    STATUSES = (429, 503)

    def __init__(self, crawler, cap: float) -> None:
        self.crawler, self.cap = crawler, cap

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(crawler, settings.getfloat("PARKWATCH_RETRY_AFTER_MAX", 120.0))

    def process_response(self, request, response):
        if response.status not in self.STATUSES:
            return response
        seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
        if seconds is None:
            request.meta.pop(RETRY_AFTER_META, None)
            return response
        waited = min(seconds, self.cap)
        request.meta[RETRY_AFTER_META] = waited
        self.crawler.stats.inc_value("parkwatch/retry_after")
        log.info("%s answered %s with Retry-After %gs: the retry waits %gs", request.url,
                 response.status, seconds, waited)
        return response
