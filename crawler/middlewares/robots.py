"""robots.txt by RFC 9309: 4xx allows everything; 5xx or no answer disallows everything.

Scrapy's RobotsTxtMiddleware treats a robots.txt that fails (500, timeout, connection reset) as
"allow all". RFC 9309 §2.3.1.3-4: while robots.txt is unreachable the crawler MUST assume
complete disallow. parkwatch keeps no stored copy of robots.txt: an unreachable robots.txt
lets nothing but robots.txt itself be fetched, asked again every PARKWATCH_ROBOTSTXT_RETRY
seconds within the crawl (and by the next crawl).

robots.txt is downloaded once per crawl and host: the spider's own request for it (it reads
the sitemaps robots.txt names) is answered with the copy the rules were read from.
"""

from __future__ import annotations

import logging
import time

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached

log = logging.getLogger(__name__)


class Unreachable:
    """A robots.txt that could not be read: every URL is disallowed until `until`."""

    def __init__(self, why: str, until: float) -> None:
        self.why, self.until = why, until

    def allowed(self, url, user_agent) -> bool:
        from urllib.parse import urlsplit

        return urlsplit(url).path == "/robots.txt"  # asking robots.txt again is allowed


class RobotsTxtRfcMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware with RFC 9309's unreachable rule (replaces Scrapy's, same slot)."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.retry_after = settings.getfloat("PARKWATCH_ROBOTSTXT_RETRY", 300.0)
        self.timeout = settings.getfloat("PARKWATCH_ROBOTSTXT_TIMEOUT",
                                         min(15.0, settings.getfloat("DOWNLOAD_TIMEOUT", 30)))
        self.retries = settings.getint("PARKWATCH_ROBOTSTXT_RETRY_TIMES", 1)
        self._answers: dict[str, Response] = {}  # netloc → the robots.txt response read

    async def process_request(self, request: Request) -> Response | None:
        url = urlparse_cached(request)
        if request.meta.get("dont_obey_robotstxt") or url.path != "/robots.txt":
            return await super().process_request(request)
        netloc = url.netloc
        self.process_request_2(await self.robot_parser(request), request)
        answer = self._answers.get(netloc)
        if answer is None or answer.url != request.url:
            return None  # not read (unreachable, or another scheme): downloaded
        return answer.replace(request=request, flags=[*answer.flags, "robots.txt read once"])

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        return cls(crawler)

    async def robot_parser(self, request: Request):
        netloc = urlparse_cached(request).netloc
        parser = self._parsers.get(netloc)
        if isinstance(parser, Unreachable) and time.monotonic() >= parser.until:
            del self._parsers[netloc]  # ask again
            self._answers.pop(netloc, None)
        if netloc not in self._parsers:
            return await self._fetch(request, netloc)
        return await super().robot_parser(request)

    async def _fetch(self, request: Request, netloc: str):
        # Scrapy's robot_parser with a bounded timeout and retries for robots.txt itself.
        from twisted.internet.defer import Deferred

        url = urlparse_cached(request)
        self._parsers[netloc] = Deferred()
        robots = Request(f"{url.scheme}://{url.netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                         meta={"dont_obey_robotstxt": True, "download_timeout": self.timeout,
                               "max_retry_times": self.retries,
                               "handle_httpstatus_all": True},
                         callback=_no_callback())
        try:
            response = await self.crawler.engine.download_async(robots)
            await self._parse_robots(response, netloc, request)
        except Exception as exc:  # noqa: BLE001 - unreachable, whatever the cause
            self._robots_error(exc, netloc)
        self._stats.inc_value("robotstxt/request_count")
        return await super().robot_parser(request)

    async def _parse_robots(self, response, netloc: str, request: Request) -> None:
        self._answers[netloc] = response
        status = response.status
        if status >= 500 or (300 <= status < 400):
            # 5xx: unreachable (RFC 9309 2.3.1.4); a 3xx left over after the redirect limit
            # is treated the same, the safer of the two readings.
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{status}")
            self._unreachable(netloc, f"robots.txt answered HTTP {status}")
            return
        if 400 <= status < 500:  # unavailable: no rules, everything allowed (RFC 2.3.1.3)
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        from crawler.middlewares.reasons import reason

        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unreachable(netloc, f"robots.txt unreachable ({reason(exc)})")

    def _unreachable(self, netloc: str, why: str) -> None:
        from twisted.internet.defer import Deferred

        log.warning("%s: %s is treated as disallowed (RFC 9309) — nothing but robots.txt is "
                    "fetched until it answers", why, netloc)
        self._stats.inc_value("parkwatch/robotstxt_unreachable")
        pending = self._parsers.get(netloc)
        parser = Unreachable(why, time.monotonic() + self.retry_after)
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)

    def process_request_2(self, rp, request: Request) -> None:
        if isinstance(rp, Unreachable) and not rp.allowed(request.url, None):
            self._stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"{rp.why}: the site is treated as disallowed until it answers")
        if not isinstance(rp, Unreachable):
            super().process_request_2(rp, request)


def _no_callback():
    from scrapy.http.request import NO_CALLBACK

    return NO_CALLBACK
