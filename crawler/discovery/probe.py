"""A one-off, polite look at a site for `sources add` and `sources check`: a small synchronous
fetcher (robots.txt obeyed, the configured User-Agent, http_proxy/https_proxy/no_proxy
honoured by urllib, a pause between requests, bounded sizes) and the probe built on the same
discovery functions as the crawl. A crawl goes through Scrapy; a probe of ten pages does not
need a reactor."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.discovery import feeds, listings, sitemaps, urls

MAX_BYTES = 8 * 1024 * 1024
TIMEOUT = 20.0


class ProbeError(Exception):
    """The site cannot be probed (one line a user can act on)."""


@dataclass
class Fetched:
    url: str
    status: int
    body: bytes = b""
    content_type: str = ""

    @property
    def text(self) -> str:
        charset = "utf-8"
        if "charset=" in self.content_type:
            charset = self.content_type.split("charset=", 1)[1].split(";")[0].strip()
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class PoliteFetcher:
    """GET with robots.txt obeyed, a pause between requests and a size cap."""

    def __init__(self, user_agent: str, pause: float = 1.0, timeout: float = TIMEOUT) -> None:
        self.user_agent, self.pause, self.timeout = user_agent, pause, timeout
        self.opener = urllib.request.build_opener()  # environment proxies and no_proxy
        self.robots = None
        self.count = 0
        self._last = 0.0

    def _get(self, url: str) -> Fetched:
        wait = self._last + self.pause - time.monotonic()
        if wait > 0:
            time.sleep(wait)  # politeness between two requests to the site
        self._last = time.monotonic()
        self.count += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)[:MAX_BYTES]
                return Fetched(response.geturl(), response.status, body,
                               response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            return Fetched(url, exc.code)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ProbeError(f"cannot fetch {url}: {reason}") from None

    def read_robots(self, base_url: str) -> Fetched:
        """robots.txt first: 4xx allows everything; 5xx or no answer stops the probe."""
        try:
            answer = self._get(f"{base_url}/robots.txt")
        except ProbeError as exc:
            raise ProbeError(f"robots.txt unreachable, nothing else fetched ({exc})") from None
        if answer.status >= 500:
            raise ProbeError(f"robots.txt answered {answer.status}: nothing else fetched "
                             "(RFC 9309: disallow everything until it answers)")
        self.robots = sitemaps.robots_parser(answer.text if answer.status == 200 else "")
        return answer

    def get(self, url: str) -> Fetched | None:
        """The page, or None when robots.txt disallows it."""
        if self.robots is not None and not self.robots.can_fetch(url, self.user_agent):
            return None
        return self._get(url)


@dataclass
class ProbeResult:
    """What a probe of a site found, and what it could not."""

    base_url: str
    language: str | None = None
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    pagers: dict[str, str] = field(default_factory=dict)  # listing → its next page
    articles: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    requests: int = 0


def _is_html(answer: Fetched | None) -> bool:
    return answer is not None and answer.status == 200 and (
        "html" in answer.content_type or not answer.content_type)


def probe_site(base_url: str, fetcher: PoliteFetcher, max_listings: int = 6,
               article_re=None) -> ProbeResult:
    """robots.txt, sitemaps, feeds, the home page and a few listing pages of a site."""
    result = ProbeResult(base_url.rstrip("/"))
    base = result.base_url
    robots = fetcher.read_robots(base)
    result.sitemaps = (sitemaps.sitemaps_in_robots(robots.text, base)
                       if robots.status == 200 else [])
    found_articles: list[str] = []
    if not result.sitemaps:
        answer = fetcher.get(f"{base}/sitemap.xml")
        if answer is not None and answer.status == 200 and sitemaps.parse_sitemap(answer.body):
            result.sitemaps = [f"{base}/sitemap.xml"]
    for url in result.sitemaps[:3]:
        found_articles += _sitemap_articles(url, fetcher, article_re)
    if not result.sitemaps:
        result.missing.append("no sitemap (robots.txt names none, /sitemap.xml absent)")
    home = fetcher.get(f"{base}/")
    if not _is_html(home):
        result.missing.append(f"home page unreadable ({home.status if home else 'disallowed'})")
        result.articles = list(dict.fromkeys(found_articles))
        result.requests = fetcher.count
        return result
    result.feeds = feeds.find_feeds(home.text, home.url)
    if not result.feeds:
        for url in feeds.common_feed_urls(base):
            answer = fetcher.get(url)
            if answer is not None and answer.status == 200 and feeds.parse_feed(answer.body):
                result.feeds = [url]
                break
    for url in result.feeds[:2]:
        answer = fetcher.get(url)
        entries = feeds.parse_feed(answer.body, url) if answer and answer.status == 200 else None
        if entries:
            found_articles += [e.url for e in entries]
    if not result.feeds:
        result.missing.append("no RSS/Atom feed (none announced, common paths absent)")
    links = listings.page_links(home.text, home.url, article_re)
    found_articles += links.articles
    candidates = listings.find_listings(home.text, home.url, article_re)
    tried: set[str] = set()
    queue = list(candidates)
    while queue and len(tried) < max_listings * 2 and len(result.listings) < max_listings:
        url = queue.pop(0)
        if url in tried:
            continue
        tried.add(url)
        answer = fetcher.get(url)
        if not _is_html(answer):
            continue
        page = listings.page_links(answer.text, answer.url, article_re)
        if len(page.articles) >= 2:
            result.listings.append(url)
            found_articles += page.articles
            if nxt := listings.next_page(answer.text, answer.url):
                result.pagers[url] = nxt
        elif url in candidates:  # a column overview: its deeper pages are columns
            prefix = urlsplit(url).path.rstrip("/") + "/"
            queue[:0] = [c for c in [*page.listings, *page.pages]
                         if urlsplit(c).path.startswith(prefix) and urlsplit(c).path != prefix
                         and c not in queue and c not in tried][:4]
    if not result.listings:
        result.missing.append("no listing page with article links among the home page's "
                              f"{len(candidates)} navigation links")
    result.articles = [u for u in dict.fromkeys(found_articles)
                       if urls.same_site(u, urlsplit(base).hostname or "")]
    if not result.articles:
        result.missing.append("no article-shaped URL anywhere")
    result.requests = fetcher.count
    return result


def _sitemap_articles(url: str, fetcher: PoliteFetcher, article_re, depth: int = 0) -> list[str]:
    answer = fetcher.get(url)
    if answer is None or answer.status != 200:
        return []
    parsed = sitemaps.parse_sitemap(answer.body, url)
    if parsed is None:
        return []
    if parsed.kind == "index":
        if depth:
            return []
        newest = sorted(parsed.entries, key=lambda e: (e.lastmod is not None, e.lastmod),
                        reverse=True)[:2]
        return [u for e in newest for u in _sitemap_articles(e.loc, fetcher, article_re, 1)]
    ordered = sorted(parsed.entries, key=lambda e: (e.published or e.lastmod) is not None
                     and (e.published or e.lastmod).timestamp() or 0, reverse=True)
    return [e.loc for e in ordered if parsed.news or
            urls.classify_url(e.loc, article_re) == urls.ARTICLE]
