"""A cheap bound on the HTML a page may hand to the parser (memory and time grow with markup)."""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured

log = logging.getLogger(__name__)

HTML_TYPES = (b"text/html", b"application/xhtml")


def looks_html(content_type: bytes, body: bytes) -> bool:
    if content_type:
        return content_type.split(b";")[0].strip().lower().startswith(HTML_TYPES)
    return body[:1024].lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


class HtmlSizeMiddleware:
    """HTML answers larger than PARKWATCH_HTML_MAXSIZE bytes are dropped with a reason and
    counted (parkwatch/html_too_large) before any parsing; other types keep DOWNLOAD_MAXSIZE."""

    def __init__(self, crawler, limit: int) -> None:
        self.crawler, self.limit = crawler, limit

    @classmethod
    def from_crawler(cls, crawler):
        limit = crawler.settings.getint("PARKWATCH_HTML_MAXSIZE", 0)
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit)

    def process_response(self, request, response):
        if len(response.body) <= self.limit:
            return response
        if not looks_html(response.headers.get(b"Content-Type") or b"", response.body):
            return response
        self.crawler.stats.inc_value("parkwatch/html_too_large")
        raise IgnoreRequest(f"HTML page of {len(response.body):,} bytes is larger than "
                            f"PARKWATCH_HTML_MAXSIZE ({self.limit:,})")
