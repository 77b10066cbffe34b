"""The spider's robots.txt, home page, sitemap and feed callbacks (a mixin of NewsSpider):
each hands the document to crawler.discovery and requests what it points at."""

from __future__ import annotations

from scrapy.http import Response, TextResponse

from crawler.discovery import feeds, listings, sitemaps, urls
from crawler.discovery.state import Offer, Walk, aware


class DocumentsMixin:
    """Sitemaps, feeds and the home page of a source, for NewsSpider."""

    def _documents(self, robots_sitemaps: list[str]):
        """Sitemaps and feeds: the profile's, those robots.txt names and those found before."""
        profile = self.profile
        wanted = [*map(profile.absolute, profile.sitemaps), *robots_sitemaps]
        wanted += [url for (kind, url), s in self._states.items()
                   if kind == "sitemap" and s["note"] == "root"]
        for url in dict.fromkeys(wanted):
            yield from self._sitemap_request(url, root=True)
        feed_urls = [*map(profile.absolute, profile.feeds)]
        feed_urls += [url for (kind, url) in self._states if kind == "feed"]
        for url in dict.fromkeys(feed_urls):
            yield from self._feed_request(url)
        if "sitemaps" in profile.discover and not wanted and \
                ("probe", f"{profile.base_url}/sitemap.xml") not in self._states:
            yield from self._sitemap_request(f"{profile.base_url}/sitemap.xml", root=True,
                                             probe=True)
        if "feeds" in profile.discover or "listings" in profile.discover:
            yield self._as_start(self._request(f"{profile.base_url}/", self.parse_home,
                                               "home", statuses=[304]))

    def _sitemap_request(self, url: str, root: bool = False, probe: bool = False,
                         lastmod=None):
        key = ("sitemap", url)
        if key in self._walks or not self._allowed(url):
            return
        self._walks[key] = Walk("sitemap", url)
        yield self._request(url, self.parse_sitemap, "sitemap", [304, 404, 410],
                            cb_kwargs={"root": root, "probe": probe, "lastmod": lastmod},
                            meta={"parkwatch_walk": key})

    def _feed_request(self, url: str, probe: bool = False):
        key = ("feed", url)
        if key in self._walks or not self._allowed(url):
            return
        self._walks[key] = Walk("feed", url)
        yield self._request(url, self.parse_feed, "feed", [304, 404, 410] if probe else [304],
                            cb_kwargs={"probe": probe}, meta={"parkwatch_walk": key})

    # -- robots.txt, home page, sitemaps, feeds -----------------------------------------
    def parse_robots(self, response: Response):
        if response.status >= 500:
            # RFC 9309: an unreachable robots.txt means "disallow everything" until it answers.
            self.logger.warning("robots.txt of %s answered %s: nothing else is fetched",
                                self.profile.host, response.status)
            self._robots = sitemaps.robots_parser("User-agent: *\nDisallow: /\n")
            return
        found: list[str] = []
        if response.status == 200 and isinstance(response, TextResponse):
            self._robots = sitemaps.robots_parser(response.text)
            found = sitemaps.sitemaps_in_robots(response.text, response.url)
            for url in found:
                if ("sitemap", url) not in self._states and self._source_id is not None:
                    self._mark(("sitemap", url), note="root")
        yield from self._documents(found)

    async def parse_home(self, response: Response):
        self.crawler.stats.inc_value("parkwatch/listing_pages")
        if response.status == 304 or not isinstance(response, TextResponse):
            return
        html, profile = response.text, self.profile
        launched = 0  # new paths tried: the home page is read again until they are known
        if "feeds" in profile.discover:
            found = feeds.find_feeds(html, response.url)
            for url in found:
                if ("feed", url) not in self._states:
                    launched += 1
                    for request in self._feed_request(url):
                        yield request
            if not found and not any(k == "feed" for k, _ in self._states) and \
                    ("probe", "feeds") not in self._states:
                launched += 1
                if self._source_id is not None:
                    self._mark(("probe", "feeds"), note="common feed paths tried")
                for url in feeds.common_feed_urls(profile.base_url):
                    for request in self._feed_request(url, probe=True):
                        yield request
        links = listings.page_links(html, response.url, self._article_re, self._listing_re)
        offer, requests = await self._articles(links.articles, ("home", response.url))
        for request in requests:
            yield request
        if "listings" in profile.discover:
            for url in listings.find_listings(html, response.url, self._article_re,
                                              self._listing_re):
                if ("listing", url) in self._states or ("probe", url) in self._states:
                    continue
                if launched >= profile.max_probe_pages:
                    break
                launched += 1
                for request in self._start_walk(url, None, probe=1):
                    yield request
        self._remember("home", response, offer, held=launched > 0)

    async def parse_sitemap(self, response: Response, root: bool, probe: bool, lastmod):
        stats = self.crawler.stats
        stats.inc_value("parkwatch/listing_pages")
        key = ("sitemap", response.url)
        if response.status in (404, 410):
            if probe and self._source_id is not None:
                self._mark(("probe", response.url), note=f"answered {response.status}")
            return
        if response.status == 304:
            stats.inc_value("parkwatch/listing_not_modified")
            return
        parsed = sitemaps.parse_sitemap(response.body, response.url)
        if parsed is None:
            self.logger.warning("%s is not a sitemap", response.url)
            return
        stats.inc_value("parkwatch/listing_read")
        if root and self._source_id is not None and key not in self._states:
            self._mark(key, note="root")
        if parsed.kind == "index":
            for entry in parsed.entries:
                state = self._states.get(("sitemap", entry.loc))
                unchanged = (state is not None and state["complete"] and entry.lastmod
                             and state["lastmod"] and aware(state["lastmod"]) >= entry.lastmod)
                if unchanged and not self.full:
                    stats.inc_value("parkwatch/sitemaps_skipped")
                    continue  # an old sub-sitemap (a past year's): nothing new in it
                for request in self._sitemap_request(entry.loc, lastmod=entry.lastmod):
                    yield request
            self._remember("sitemap", response, Offer(), lastmod=lastmod,
                           children=[e.loc for e in parsed.entries])
            return
        candidates = [e.loc for e in parsed.entries if parsed.news or
                      urls.classify_url(e.loc, self._article_re, self._listing_re)
                      == urls.ARTICLE]
        stats.inc_value("parkwatch/listing_links", len(candidates))
        offer, requests = await self._articles(candidates, key, newest_first=False)
        for request in requests:
            yield request
        self._remember("sitemap", response, offer, lastmod=lastmod)

    async def parse_feed(self, response: Response, probe: bool):
        stats = self.crawler.stats
        stats.inc_value("parkwatch/listing_pages")
        key = ("feed", response.url)
        if response.status in (404, 410):
            return
        if response.status == 304:
            stats.inc_value("parkwatch/listing_not_modified")
            return
        entries = feeds.parse_feed(response.body, response.url)
        if entries is None:
            if not probe:
                self.logger.warning("%s is not a feed", response.url)
            return
        stats.inc_value("parkwatch/listing_read")
        candidates = [e.url for e in entries]
        stats.inc_value("parkwatch/listing_links", len(candidates))
        offer, requests = await self._articles(candidates, key, newest_first=False)
        for request in requests:
            yield request
        self._remember("feed", response, offer)
