"""NewsSpider: a thin Scrapy adapter over crawler.discovery. It reads robots.txt, sitemaps,
feeds and listing pages (walked through their pagination), requests the article URLs the
archive does not hold, and hands each article page to the Scrapy-free parser.

Every path is incremental (conditional requests, known URLs never requested again, pagination
stopping at known articles) and resumable: a listing section is walked to its end, without
stopping at known pages, until one walk of it has finished, and again after any walk of it
did not finish (a kill, a timeout, a failed page)."""

from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from archive.db import session_scope
from archive.store import (
    crawl_states,
    get_or_create_source,
    known_urls,
    save_crawl_state,
    save_listing_state,
    source_listing_states,
)
from crawler.discovery import listings, urls
from crawler.discovery.state import Offer, Validators, Walk, snapshot
from crawler.parsing import NOT_AN_ARTICLE
from crawler.pool import parse_response
from crawler.spiders.documents import DocumentsMixin
from foundation.profile import Profile
from foundation.settings import ConfigError, load_settings
from pipelines.urls import canonical_url
from pipelines.writer import writer_of

# Stats of the start pages: requested, failed, the first failure (a run fails when all did).
START_PAGES, START_FAILED, START_ERROR = ("parkwatch/start_pages", "parkwatch/start_failed",
                                          "parkwatch/start_error")
MIN_LISTING_ARTICLES = 1  # article links that make a probed page a listing


class NewsSpider(DocumentsMixin, scrapy.Spider):
    """`scrapy crawl news -a source=e-my399 [-a max_articles=N] [-a since=YYYY-MM-DD]`"""

    name = "news"

    def __init__(self, source: str = "e-my399", profile: Profile | None = None,
                 max_articles: int | str | None = None, since: date | str | None = None,
                 full: bool | str = False, refresh: bool | str = False,
                 frontier: bool | str = False, **kwargs) -> None:
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
        # A worker of a distributed run: requests come from the shared frontier, not start().
        self.frontier = _truthy(frontier)
        self.requested = 0
        self._seen: set[str] = set()
        self._source_id: int | None = None
        self._states: dict = {}
        self._listings: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._walks: dict[tuple[str, str], Walk] = {}
        if self.frontier:  # pages of walks that other processes started come to this one
            from crawler.distributed.walks import SharedWalks

            self._walks = SharedWalks(self)
        self._deferred: list[Validators] = []
        self._robots = None
        self._fetched: set[str] = set()
        self._overviews: list[tuple[str, str]] = []
        self._article_re = profile.article_re if profile.article_pattern else None
        self._listing_re = profile.listing_re if profile.listing_pattern else None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_item_dropped, signal=signals.item_dropped)
        return spider

    def on_item_dropped(self, item, response, exception, spider) -> None:
        """An article page dropped on purpose (empty, …) is remembered, not fetched again."""
        url = getattr(item, "canonical_url", None) or getattr(response, "url", None)
        if url:
            self._reject(url, f"dropped: {exception}")

    def on_item_error(self, item, response, spider, failure) -> None:
        """A pipeline stage failed on an article (e.g. the database refused it): counted."""
        self.crawler.stats.inc_value("parkwatch/errors")
        if response is not None:
            self._cut(response.meta.get("parkwatch_walk"))

    @property
    def conditional(self) -> bool:
        """Pages are fetched conditionally, except when every page must be read."""
        return not (self.full or self.refresh) and bool(self._database_url)

    @property
    def _database_url(self) -> str | None:
        return self.settings.get("PARKWATCH_DATABASE_URL")

    # -- start ---------------------------------------------------------------------------
    async def start(self):
        for request in self._initial():
            yield request

    def _initial(self):
        if self._database_url:
            with session_scope(self._database_url, write=True) as session:
                self._source_id = get_or_create_source(session, self.source_name).id
                self._states = {key: snapshot(row) for key, row in
                                crawl_states(session, self._source_id).items()}
                # Listing validators are read once here, so that requesting a listing page
                # asks nothing of the database (a slow one would stall the crawl).
                self._listings = source_listing_states(session, self._source_id)
        if self.frontier:
            return  # a worker: requests come from the shared frontier
        profile = self.profile
        for section in profile.sections:
            if url := profile.listing_url(section, 0):
                yield from map(self._as_start, self._start_walk(url, section))
        for page in profile.start_pages:
            yield from map(self._as_start, self._start_walk(profile.absolute(page), None))
        for (kind, url), state in list(self._states.items()):
            if kind == "listing" and state["note"] != "gone":
                yield from map(self._as_start, self._start_walk(url, None))
        if profile.discover:
            yield self._request(f"{profile.base_url}/robots.txt", self.parse_robots, "robots",
                                statuses=[404, 410, 403, 401, 500, 502, 503, 504],
                                conditional=False)
        else:
            yield from self._documents([])

    # -- requests ------------------------------------------------------------------------
    def _allowed(self, url: str) -> bool:
        if not urls.same_site(url, self.profile.host):
            return False
        if self._robots is not None and not self._robots.can_fetch(
                url, self.settings.get("USER_AGENT") or "*"):
            self.crawler.stats.inc_value("parkwatch/robots_denied")
            return False
        return True

    def _validators(self, kind: str, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from what this document answered last time."""
        if not self.conditional:
            return {}
        if kind == "listing":
            etag, modified, _ = self._listings.get(url, (None, None, None))
        else:
            state = self._states.get((kind, url))
            etag, modified = (state["etag"], state["last_modified"]) if state else (None, None)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def _request(self, url: str, callback, kind: str, statuses: list[int] | None = None,
                 cb_kwargs: dict | None = None, meta: dict | None = None,
                 conditional: bool = True) -> scrapy.Request:
        return scrapy.Request(
            url, callback=callback, errback=self.on_error,
            headers=self._validators(kind, url) if conditional else {},
            cb_kwargs=cb_kwargs or {}, dont_filter=True,
            meta={"parkwatch_listing": True, "parkwatch_kind": kind,
                  "handle_httpstatus_list": statuses or [304], **(meta or {})})

    def _as_start(self, request: scrapy.Request) -> scrapy.Request:
        """A start page (a listing the profile or an earlier run names, the home page): when
        every one fails, the run fails with the reason (see crawler/run.py)."""
        request.meta["parkwatch_start"] = True
        try:
            stats = self.crawler.stats
        except RuntimeError:  # a distributed run's coordinator seeds requests without a crawl
            return request
        stats.inc_value(START_PAGES)
        return request

    def _start_walk(self, url: str, section: str | None, probe: int = 0):
        """Walk a listing from its first page; `probe` 1 (found on the home page) or 2 (on a
        column overview) while it is not yet known to be a listing."""
        key = ("listing", url)
        if key in self._walks or not self._allowed(url):
            return
        state = self._states.get(key)
        resume = state is None or not state["complete"] or state["in_progress"]
        self._walks[key] = Walk("listing", url, resume=resume)
        if self._source_id is not None and not probe:
            self._mark(key, in_progress=True)
        yield self._listing_request(key, section, url, 0, 0, probe=probe)

    def _mark(self, key: tuple[str, str], **values) -> None:
        """Record a path's state: at once in memory, in the archive by the crawl's writer
        thread, in order, before any article write submitted after it."""
        self._states.setdefault(key, snapshot(None)).update(values)
        writer_of(self.crawler).submit_logged(f"the state of {key[1]}", self._write_state,
                                              key, values)

    def _write_state(self, key: tuple[str, str], values: dict) -> None:
        with session_scope(self._database_url, write=True) as session:
            save_crawl_state(session, self._source_id, key[0], key[1], **values)

    def _listing_request(self, walk: tuple[str, str], section: str | None, url: str, page: int,
                         known_run: int, guessed: bool = False, probe: int = 0):
        # 304 (unchanged) reaches the callback; so does 404 for a page we guessed or probed.
        statuses = [304, 404, 410] if guessed or probe else [304]
        self._fetched.add(url)
        return self._request(url, self.parse_listing, "listing", statuses,
                             cb_kwargs={"walk": walk, "section": section, "page": page,
                                        "known_run": known_run, "probe": probe},
                             meta={"parkwatch_walk": walk}, conditional=not probe)

    # -- articles found on any path ------------------------------------------------------
    async def _known(self, canonicals: list[str]) -> set[str]:
        """The archive's known URLs among these, asked in a thread (the crawl goes on)."""
        url = self._database_url
        if self.refresh or not url or not canonicals:
            return set()
        known = await in_thread(_known_urls, url, canonicals)
        if not self.full:
            known.update(c for c in canonicals if ("page", c) in self._states)
        return known

    async def _articles(self, links: list[str], walk: tuple[str, str],
                        newest_first: bool = True) -> tuple[Offer, list[scrapy.Request]]:
        """The unknown articles among these links: (the offer, their requests)."""
        articles = {canonical_url(u): u for u in links if self._allowed(u)}
        offer = Offer(known=await self._known(list(articles)))
        return offer, list(self._requests(articles, offer, walk, newest_first))

    def _requests(self, articles: dict[str, str], offer: Offer, walk: tuple[str, str],
                  newest_first: bool):
        state = self._walks.get(walk)
        for canonical, url in articles.items():
            if canonical in offer.known:
                continue
            if canonical in self._seen:
                offer.requested.add(canonical)  # requested from another page of this run
                continue
            day = urls.url_date(url)
            if self.since and day and day < self.since:
                offer.unhandled += 1
                if newest_first and state is not None:
                    state.limited = True  # listings run newest first: the rest is older
                continue
            if self.max_articles is not None and self.requested >= self.max_articles:
                offer.unhandled += 1
                if state is not None:
                    state.limited = True
                continue
            self._seen.add(canonical)
            self.requested += 1
            offer.requested.add(canonical)
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                                 meta={"parkwatch_walk": walk})

    def _remember(self, kind: str, response: Response, offer: Offer,
                  next_url: str | None = None, lastmod=None, children=None,
                  held: bool = False) -> None:
        """Keep the document's validators; stored now when every article on it is stored,
        else at the end of a run that stored them, so a later 304 never hides an article."""
        if not self._database_url or self._source_id is None:
            return
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        url = response.meta.get("redirect_urls", [response.url])[0]
        validators = Validators(kind, url, etag.decode("latin-1") if etag else None,
                                modified.decode("latin-1") if modified else None,
                                hashlib.sha256(response.body).hexdigest(), next_url, lastmod,
                                set(offer.requested), list(children or []))
        if offer.unhandled:
            self._save_validators(validators, safe=False)  # read in full next time
        elif offer.requested or children or held:
            self._deferred.append(validators)
            self._save_validators(validators, safe=False)
        else:
            self._save_validators(validators, safe=True)

    def _save_validators(self, v: Validators, safe: bool) -> None:
        """Keep a document's validators (only `safe` ones are sent next time), in memory at
        once and in the archive by the crawl's writer thread."""
        etag, modified = (v.etag, v.last_modified) if safe else (None, None)
        if v.kind == "listing":
            self._listings[v.url] = (etag, modified, v.next_url)
            writer_of(self.crawler).submit_logged(
                f"the validators of {v.url}", self._write_listing, v, etag, modified,
            ).addCallback(self._count_changed)
            return
        values = {"etag": etag, "last_modified": modified, "last_seen": _now()}
        if v.kind == "sitemap":
            values.update(complete=safe, lastmod=v.lastmod if safe else None)
        self._mark((v.kind, v.url), **values)

    def _write_listing(self, v: Validators, etag: str | None, modified: str | None) -> bool:
        with session_scope(self._database_url, write=True) as session:
            return save_listing_state(session, self._source_id, v.url, etag, modified,
                                      v.content_hash, v.next_url)

    def _count_changed(self, changed: bool | None) -> None:
        if changed:
            self.crawler.stats.inc_value("parkwatch/listing_changed")

    # -- listing pages -------------------------------------------------------------------
    async def parse_listing(self, response: Response, walk: tuple[str, str],
                            section: str | None, page: int, known_run: int, probe: int = 0):
        stats = self.crawler.stats
        stats.inc_value("parkwatch/listing_pages")
        state = self._walks[walk]
        state.deepest = max(state.deepest, page)
        if response.status in (404, 410):  # a guessed next page that does not exist: the end
            if probe:
                self._mark(("probe", walk[1]), note=f"answered {response.status}")
                del self._walks[walk]
            else:
                state.ended = True
            return
        if response.status == 304:  # unchanged since every article on it was stored
            stats.inc_value("parkwatch/listing_not_modified")
            known_run += 1
            next_url, guessed = self._stored_next(response.url, section, page)
            if next_url is None:
                state.ended = True
            elif self.full or state.resume or known_run <= self.profile.listing_overlap:
                for request in self._next(walk, section, next_url, page, known_run, guessed):
                    yield request
            else:
                state.stopped = True
            return
        if not isinstance(response, TextResponse):
            stats.inc_value("parkwatch/skipped")
            state.cut = True
            return
        links = listings.page_links(response.text, response.url, self._article_re,
                                    self._listing_re)
        if probe:
            if len(links.articles) < MIN_LISTING_ARTICLES:
                del self._walks[walk]
                for request in self._overview(response.url, links, probe):
                    yield request
                return
            if self._source_id is not None:
                self._mark(walk, in_progress=True, note="found on the home page")
        next_url = listings.next_page(response.text, response.url)
        if next_url in self._fetched or page + 1 >= self.profile.max_listing_pages:
            next_url = None
        stats.inc_value("parkwatch/listing_read")
        stats.inc_value("parkwatch/listing_links", len(links.articles))
        offer, requests = await self._articles(links.articles, walk)
        for request in requests:
            yield request
        self._remember("listing", response, offer, next_url=next_url)
        all_known = bool(links.articles) and len(offer.known) == len(
            {canonical_url(u) for u in links.articles})
        known_run = known_run + 1 if all_known else 0
        if not (self.full or state.resume) and known_run > self.profile.listing_overlap:
            state.stopped = True  # incremental: the older pages hold only stored articles
            return
        if state.limited:
            return
        if next_url is None:
            state.ended = True
            return
        for request in self._next(walk, section, next_url, page, known_run):
            yield request

    def _overview(self, url: str, links, probe: int):
        """A probed page without articles: a column overview's deeper links are probed in
        turn; the page is remembered once they all are known."""
        prefix = urlsplit(url).path.rstrip("/") + "/"
        children = [link for link in [*links.listings, *links.pages]
                    if urlsplit(link).path.startswith(prefix) and urlsplit(link).path != prefix]
        unknown = [c for c in children[:self.profile.max_probe_pages]
                   if ("listing", c) not in self._states and ("probe", c) not in self._states]
        if probe == 1:
            for child in unknown:
                yield from self._start_walk(child, None, probe=2)
        note = f"not a listing ({len(links.articles)} article links, {len(children)} deeper)"
        if self._source_id is not None and (probe == 2 or not unknown):
            self._mark(("probe", url), note=note)
        elif self._source_id is not None:
            self._overviews.append((url, note))  # remembered when this run finishes

    def _next(self, walk, section, url: str, page: int, known_run: int, guessed=False):
        if not self._allowed(url):
            self._walks[walk].ended = True
            return
        yield self._listing_request(walk, section, url, page + 1, known_run, guessed=guessed)

    def _stored_next(self, url: str, section: str | None,
                     page: int) -> tuple[str | None, bool]:
        """The page after a listing page that answered 304, and whether it is a guess: as
        stored, else from the profile's pagination template."""
        _, _, stored_next = self._listings.get(url, (None, None, None))
        if stored_next:
            return stored_next, False
        if section is not None and page + 1 < self.profile.max_listing_pages:
            return self.profile.listing_url(section, page + 1), True
        return None, False

    # -- article pages -------------------------------------------------------------------
    async def parse_article(self, response: Response):
        # Parsing, facts and fingerprints run in worker processes (crawler.pool), counted there.
        result = await parse_response(self, response)
        if result.item is None:
            # A page that is no article (no date anywhere: a tag, listing or static page) is
            # remembered and not fetched again; an empty or unreadable one may be a passing
            # fault of the site, so it is only counted and tried again by the next run.
            if not result.error and result.skipped == NOT_AN_ARTICLE:
                self._reject(response.url, result.skipped)
            return
        if self._confirmed(result.item, response):
            yield result.item

    def _confirmed(self, item, response: Response) -> bool:
        """An article has a date (its own or its URL's) and a body; other pages are
        remembered, so they are not fetched again."""
        declared = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if not isinstance(response, TextResponse) or (declared and not any(
                kind in declared for kind in ("html", "text", "xml"))):  # not a web page
            self.crawler.stats.inc_value("parkwatch/skipped")
            self.logger.warning("skipped %s: not an HTML page", response.url)
            self._reject(response.url, "not an HTML page")
            return False
        if item.url_date is None:
            item.url_date = urls.url_date(response.url)
        if item.published is None and item.url_date is None:
            self.crawler.stats.inc_value("parkwatch/skipped")
            self.crawler.stats.inc_value("parkwatch/not_articles")
            self._reject(response.url, "not an article: no date")
            return False
        return True

    def _reject(self, url: str, reason: str) -> None:
        if self._source_id is not None:
            self._mark(("page", canonical_url(url)), note=reason[:200])

    def on_error(self, failure) -> None:
        request = getattr(failure, "request", None)
        if failure.check(IgnoreRequest) and not getattr(failure.value, "response", None):
            # Our own guards count and log what they refuse; Scrapy's decompression limit
            # (a gzip bomb) does not: it is a counted, reasoned skip here.
            if "decompress" in str(failure.value).lower():
                self.crawler.stats.inc_value("parkwatch/guard_skipped")
                self.logger.warning("skipped %s: %s", request.url if request else "?",
                                    failure.value)
            else:
                self.crawler.stats.inc_value("parkwatch/robots_denied")
            return
        self.crawler.stats.inc_value("parkwatch/errors")
        if request is not None:
            self._cut(request.meta.get("parkwatch_walk"))
        reason = failure.getErrorMessage() or type(failure.value).__name__
        if request is not None and request.meta.get("parkwatch_start"):
            response = getattr(failure.value, "response", None)
            why = f"HTTP {response.status}" if response is not None else reason
            self.crawler.stats.inc_value(START_FAILED)
            if not self.crawler.stats.get_value(START_ERROR):
                self.crawler.stats.set_value(START_ERROR, f"{why} on {request.url}")
        self.logger.warning("failed %s: %s", request.url if request else "?", reason)

    def _cut(self, walk) -> None:
        if walk is not None and (state := self._walks.get(tuple(walk))) is not None:
            state.cut = True

    # -- end of the run ------------------------------------------------------------------
    async def on_closed(self, spider, reason: str) -> None:
        """A run that finished stores the validators it held back and marks the sections it
        walked to their end (or incrementally, as before) as read; any other keeps them
        unfinished, so the next run resumes them. Either way the crawl ends once its writer
        thread has written everything submitted to it."""
        from scrapy.utils.defer import maybe_deferred_to_future

        writer = writer_of(self.crawler)
        await maybe_deferred_to_future(writer.drained())  # every article written: then decide
        if self._source_id is not None and reason == "finished":
            await self._finish()
            await maybe_deferred_to_future(writer.drained())

    async def _finish(self) -> None:
        pending = set().union(*(v.articles for v in self._deferred)) if self._deferred else set()
        stored = await in_thread(_known_urls, self._database_url, list(pending))
        stored.update(c for c in pending if ("page", c) in self._states)
        for url, note in self._overviews:
            self._mark(("probe", url), note=note)
        for v in sorted(self._deferred, key=lambda v: bool(v.children)):  # indexes last
            walk = self._walks.get((v.kind, v.url))
            if walk is not None and walk.cut:
                continue
            if v.articles <= stored and all(
                    self._states.get(("sitemap", c), {}).get("complete") for c in v.children):
                self._save_validators(v, safe=True)
        for key, walk in self._walks.items():
            if walk.kind != "listing":
                continue
            finished = not walk.cut and (walk.ended or (walk.stopped and not walk.resume))
            if walk.limited:
                finished = False
            if finished:
                self._mark(key, complete=True, in_progress=False, deepest_page=walk.deepest,
                           last_seen=_now())


def _known_urls(database_url: str, canonicals: list[str]) -> set[str]:
    """The canonical URLs among these that the archive holds (one short read transaction)."""
    if not canonicals:
        return set()
    with session_scope(database_url) as session:
        return known_urls(session, canonicals)


async def in_thread(function, *args):
    """`await in_thread(f, *args)`: f run in Twisted's thread pool, off the event loop."""
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet.threads import deferToThread

    return await maybe_deferred_to_future(deferToThread(function, *args))


def _now():
    from archive.models import utcnow

    return utcnow()


def _truthy(value: bool | str) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
