"""Requests, redirects included, stay on the profile's origin: its host, scheme and port."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
_META_REFRESH = re.compile(rb"""http-equiv\s*=\s*["']?refresh""", re.I)


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def refusal(url: str, site: str, allow_https: bool) -> str | None:
    """Why `url` is off the site's origin, or None when it is on it.

    Same scheme, host and port; with `allow_https`, http://host/ may move to https://host/ on
    the default ports (never the other way).
    """
    want, got = origin(site), origin(url)
    if got == want:
        return None
    if got[1] != want[1]:
        return f"host {got[1] or '?'} is not the site's host {want[1]}"
    upgrade = (allow_https and want[0] == "http" and got[0] == "https"
               and want[2] == 80 and got[2] == 443)
    if upgrade:
        return None
    if got[0] != want[0]:
        return f"scheme {got[0]} is not the site's {want[0]}"
    return f"port {got[2]} is not the site's port {want[2]}"


class OriginPolicyMiddleware:
    """Drops, counts (parkwatch/origin_refused) and logs every request — a redirect target in
    particular — whose scheme, host or port is not the profile's (PARKWATCH_ORIGIN_POLICY)."""

    def __init__(self, crawler, allow_https: bool) -> None:
        self.crawler, self.allow_https = crawler, allow_https

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PARKWATCH_ORIGIN_POLICY", True):
            raise NotConfigured
        mw = cls(crawler, crawler.settings.getbool("PARKWATCH_ALLOW_HTTPS_UPGRADE", True))
        # Scrapy's OffsiteMiddleware drops offsite redirects when they are scheduled, silently;
        # this handler is connected first, so it names and counts them.
        from scrapy import signals

        crawler.signals.connect(mw.request_scheduled, signal=signals.request_scheduled)
        return mw

    def request_scheduled(self, request, spider) -> None:
        self.process_request(request)

    def _site(self) -> str | None:
        profile = getattr(self.crawler.spider, "profile", None)
        return getattr(profile, "base_url", None)

    def process_request(self, request):
        site = self._site()
        if site is None or request.url.startswith(("data:", "file:")):
            return None
        why = refusal(request.url, site, self.allow_https)
        if why is None:
            return None
        redirected = request.meta.get("redirect_urls")
        what = f"redirect from {redirected[-1]} to" if redirected else "request to"
        self.crawler.stats.inc_value("parkwatch/origin_refused")
        reason = f"{what} {request.url} refused: {why}"
        log.warning("%s", reason)
        raise IgnoreRequest(reason)


class RedirectLoopMiddleware:
    """A redirect or meta refresh beyond REDIRECT_MAX_TIMES is logged with its reason and
    counted as skipped (Scrapy drops it with a debug line); sits above RedirectMiddleware."""

    def __init__(self, crawler, max_hops: int) -> None:
        self.crawler, self.max_hops = crawler, max_hops

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("REDIRECT_MAX_TIMES", 20))

    def process_response(self, request, response):
        hops = len(request.meta.get("redirect_urls", []))
        if hops < self.max_hops:
            return response
        if (300 <= response.status < 400 and b"Location" in response.headers) or \
                _META_REFRESH.search(response.body[:4096]):
            self.crawler.stats.inc_value("parkwatch/guard_skipped")
            log.warning("skipped %s: redirect loop (more than %s redirects)",
                        request.meta["redirect_urls"][0], self.max_hops)
        return response
