"""Downloader middlewares of parkwatch."""

from __future__ import annotations

import asyncio

from scrapy.exceptions import NotConfigured


class RetryBackoffMiddleware:
    """Waits before sending a retried request: base x 2^(n-1) seconds, capped.

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
        if base <= 0:
            raise NotConfigured
        return cls(base, settings.getfloat("PARKWATCH_RETRY_BACKOFF_MAX", 30.0))

    def delay(self, retries: int) -> float:
        return min(self.cap, self.base * 2 ** (retries - 1)) if retries > 0 else 0.0

    async def process_request(self, request):
        wait = self.delay(request.meta.get("retry_times", 0))
        if wait:
            await asyncio.sleep(wait)
        return None
