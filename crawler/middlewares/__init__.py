"""Downloader middlewares of parkwatch: retries that wait (backoff, Retry-After), robots.txt by
RFC 9309, redirects that stay on the site's origin, and a reason on every failure."""

from crawler.middlewares.origin import OriginPolicyMiddleware, RedirectLoopMiddleware
from crawler.middlewares.reasons import FailureReasonMiddleware
from crawler.middlewares.retry import RetryAfterMiddleware, RetryBackoffMiddleware
from crawler.middlewares.robots import RobotsTxtRfcMiddleware
from crawler.middlewares.size import HtmlSizeMiddleware

__all__ = ["FailureReasonMiddleware", "HtmlSizeMiddleware", "OriginPolicyMiddleware",
           "RedirectLoopMiddleware", "RetryAfterMiddleware", "RetryBackoffMiddleware",
           "RobotsTxtRfcMiddleware"]
