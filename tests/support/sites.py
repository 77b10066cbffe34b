"""Fixture sites for crawl tests: the bundled sample site on a real local HTTP server."""

from __future__ import annotations

from foundation.settings import load_settings
from parkwatch.samplesite import SiteServer, article_path, build_site, load_records

PROFILE = load_settings().source("e-my399")
RECORDS = load_records()
# The records the built-in profile reaches: those in its sections.
CRAWLED = [r for r in RECORDS if r["section"] in PROFILE.sections]


def article_requests(server: SiteServer) -> list[str]:
    return [path for method, path, _ in server.requests
            if method == "GET" and PROFILE.article_re.match(path)]


def serve(variant: str = "classic", records=None) -> SiteServer:
    server = SiteServer()
    server.start()
    server.pages.update(build_site(records or RECORDS, variant=variant, base_url=server.url))
    return server


def by_path(articles: list[dict]) -> dict[str, dict]:
    from urllib.parse import urlsplit

    return {urlsplit(a["url"]).path: a for a in articles}


__all__ = ["CRAWLED", "PROFILE", "RECORDS", "article_path", "article_requests", "by_path",
           "serve"]
