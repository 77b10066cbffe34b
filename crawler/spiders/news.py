"""NewsSpider: walks a profile's section listings page by page, follows links whose URL has the
article shape, and hands each article page to the Scrapy-free parser."""

from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse

from archive.db import session_scope
from archive.store import get_or_create_source, known_urls, listing_states, save_listing_state
from crawler.config import ConfigError, Profile, load_settings
from crawler.parsing.article import url_parts
from crawler.pool import parse_response
from pipelines.urls import canonical_url


class NewsSpider(scrapy.Spider):
    """`scrapy crawl news -a source=e-my399 [-a max_articles=N] [-a since=YYYY-MM-DD]`"""

    name = "news"

    def __init__(self, source: str = "e-my399", profile: Profile | None = None,
                 max_articles: int | str | None = None, since: date | str | None = None,
                 full: bool | str = False, refresh: bool | str = False, **kwargs) -> None:
        super().__init__(**kwargs)
        if profile is None:
            try:
                profile = load_settings().source(source)
            except ConfigError as exc:
                raise ValueError(str(exc)) from None
        self.profile = profile
        self.source_name = profile.name
        self.allowed_domains = [profile.host]
        self.max_articles = int(max_articles) if max_articles not in (None, "") else None
        self.since = date.fromisoformat(since) if isinstance(since, str) and since else since
        self.full = _truthy(full)
        self.refresh = _truthy(refresh)
        self.requested = 0
        self._seen: set[str] = set()
        self._source_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
        return spider

    def on_item_error(self, item, response, spider, failure) -> None:
        """A pipeline stage failed on an article (e.g. the database refused it): counted."""
        self.crawler.stats.inc_value("parkwatch/errors")

    @property
    def conditional(self) -> bool:
        """Listing pages are fetched conditionally, except when every page must be read."""
        return not (self.full or self.refresh) and bool(self._database_url)

    @property
    def _database_url(self) -> str | None:
        return self.settings.get("PARKWATCH_DATABASE_URL")

    async def start(self):
        if self._database_url:
            with session_scope(self._database_url, write=True) as session:
                self._source_id = get_or_create_source(session, self.source_name).id
        for section in self.profile.sections:
            yield self._listing_request(section, self.profile.listing_url(section), 0, 0)

    def _validators(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from what this listing page answered last time."""
        if not self.conditional:
            return {}
        with session_scope(self._database_url) as session:
            state = listing_states(session, [url]).get(url)
            if state is None:
                return {}
            headers = {}
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
            return headers

    def _listing_request(self, section: str, url: str, page: int, known_run: int,
                         guessed: bool = False):
        # 304 (unchanged) reaches the callback; so does 404 for a page number we guessed.
        statuses = [304, 404] if guessed else [304]
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                              headers=self._validators(url),
                              cb_kwargs={"section": section, "page": page,
                                         "known_run": known_run},
                              meta={"parkwatch_listing": True,
                                    "handle_httpstatus_list": statuses})

    def _remember_listing(self, response: Response, safe: bool) -> None:
        """Store the page's validators — only when every article on it is stored or was
        skipped on purpose, so that a later 304 never hides an article we do not have."""
        if not self._database_url or self._source_id is None:
            return
        content_hash = hashlib.sha256(response.body).hexdigest()
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        with session_scope(self._database_url, write=True) as session:
            changed = save_listing_state(
                session, self._source_id, response.meta.get("redirect_urls", [response.url])[0],
                etag.decode("latin-1") if etag and safe else None,
                modified.decode("latin-1") if modified and safe else None, content_hash)
        if changed:
            self.crawler.stats.inc_value("parkwatch/listing_changed")

    # -- listing pages -------------------------------------------------------------------
    def _on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.hostname == self.profile.host

    def _links(self, response: TextResponse, section: str, page: int):
        articles: dict[str, str] = {}
        next_page = None
        for href in response.css("a::attr(href)").getall():
            url = urljoin(response.url, href.strip())
            if not self._on_site(url):
                continue
            path = urlsplit(url).path
            if self.profile.article_re.match(path):
                articles.setdefault(canonical_url(url), url)
            elif (m := self.profile.listing_re.match(path)) and next_page is None:
                groups = m.groupdict()
                number = int(groups.get("page") or 0)
                if groups.get("section", section).strip("/") == section and number == page + 1:
                    next_page = url
        return articles, next_page

    def _known(self, canonicals: list[str]) -> set[str]:
        url = self._database_url
        if self.refresh or not url or not canonicals:
            return set()
        with session_scope(url) as session:
            return known_urls(session, canonicals)

    def parse_listing(self, response: Response, section: str, page: int, known_run: int):
        stats = self.crawler.stats
        stats.inc_value("parkwatch/listing_pages")
        if response.status == 404:  # a guessed next page that does not exist: section ends
            return
        if response.status == 304:  # unchanged since every article on it was stored
            stats.inc_value("parkwatch/listing_not_modified")
            known_run += 1
            if known_run <= self.profile.listing_overlap and \
                    page + 1 < self.profile.max_listing_pages:
                next_url = self.profile.listing_url(section, page + 1)
                yield self._listing_request(section, next_url, page + 1, known_run,
                                            guessed=True)
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("parkwatch/skipped")
            return
        articles, next_page = self._links(response, section, page)
        stats.inc_value("parkwatch/listing_read")
        stats.inc_value("parkwatch/listing_links", len(articles))
        fresh = {c: u for c, u in articles.items() if c not in self._seen}
        known = self._known(list(fresh))
        stop = False
        requested = False
        for canonical, url in fresh.items():
            if canonical in known:
                continue
            _, url_date = url_parts(url, self.profile)
            if self.since and url_date and url_date < self.since:
                stop = True  # listings run newest first: the rest of this section is older
                continue
            if self.max_articles is not None and self.requested >= self.max_articles:
                self._remember_listing(response, safe=False)
                return
            self._seen.add(canonical)
            self.requested += 1
            requested = True
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error)
        self._remember_listing(response, safe=not requested and not stop
                               and len(fresh) == len(articles))
        all_known = bool(articles) and all(c in known for c in articles)
        known_run = known_run + 1 if all_known else 0
        if not self.full and known_run > self.profile.listing_overlap:
            return  # incremental: the section's older pages hold only stored articles
        if next_page and not stop and page + 1 < self.profile.max_listing_pages:
            yield self._listing_request(section, next_page, page + 1, known_run)

    # -- article pages -------------------------------------------------------------------
    async def parse_article(self, response: Response):
        # Parsing, facts and fingerprints run in worker processes (crawler.pool).
        item = await parse_response(self, response)
        if item is not None:
            yield item

    def on_error(self, failure) -> None:
        self.crawler.stats.inc_value("parkwatch/errors")
        request = getattr(failure, "request", None)
        self.logger.warning("failed %s: %s", request.url if request else "?",
                            failure.getErrorMessage())


def _truthy(value: bool | str) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
