"""Cheap checks before parsing: HTML too large for the parser (memory and time grow with
markup), and binary content labelled as HTML."""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured

log = logging.getLogger(__name__)

HTML_TYPES = (b"text/html", b"application/xhtml")


CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))
BINARY_SHARE = 0.05  # of the first 8 KiB: text never has that many control bytes


def looks_binary(body: bytes) -> bool:
    """Many control bytes (NUL, ESC, …) near the start: an image or archive, not a page."""
    head = body[:8192]
    return bool(head) and sum(head.count(bytes([c])) for c in CONTROL) > BINARY_SHARE * len(head)


def looks_html(content_type: bytes, body: bytes) -> bool:
    if content_type:
        return content_type.split(b";")[0].strip().lower().startswith(HTML_TYPES)
    return body[:1024].lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


class HtmlSizeMiddleware:
    """HTML answers larger than PARKWATCH_HTML_MAXSIZE bytes, and binary bodies labelled HTML,
    are dropped with a reason and counted (parkwatch/html_too_large, parkwatch/binary_as_html)
    before any parsing; other types keep DOWNLOAD_MAXSIZE."""

    def __init__(self, crawler, limit: int) -> None:
        self.crawler, self.limit = crawler, limit

    @classmethod
    def from_crawler(cls, crawler):
        limit = crawler.settings.getint("PARKWATCH_HTML_MAXSIZE", 0)
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit)

    def process_response(self, request, response):
        ctype = response.headers.get(b"Content-Type") or b""
        if ctype.split(b";")[0].strip().lower().startswith(HTML_TYPES) and \
                looks_binary(response.body):
            self.crawler.stats.inc_value("parkwatch/binary_as_html")
            raise IgnoreRequest(f"binary content labelled {ctype.decode('latin-1')}")
        if len(response.body) <= self.limit:
            return response
        if not looks_html(ctype, response.body):
            return response
        self.crawler.stats.inc_value("parkwatch/html_too_large")
        raise IgnoreRequest(f"HTML page of {len(response.body):,} bytes is larger than "
                            f"PARKWATCH_HTML_MAXSIZE ({self.limit:,})")
