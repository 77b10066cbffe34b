"""Incremental crawling on a generated site (200 articles over 8 sections): a re-crawl with
nothing new downloads no article page and at most `listing_overlap + 1` listing pages per
section (304s once the pages' validators are stored); 10 new articles cost exactly 10 article
downloads; `--full` walks every listing page again."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

from parkwatch.samplesite import SiteServer, build_site, generate_records
from parkwatch.samplesite.generate import DEFAULT_SECTIONS
from tests.support.sites import PROFILE, article_path

SECTIONS = "sections = [" + ", ".join(f'"{s}"' for s in DEFAULT_SECTIONS) + "]\n"


def listing_requests(server: SiteServer) -> list[tuple[str, int]]:
    return [(path, status) for method, path, status in server.requests
            if method == "GET" and PROFILE.listing_re.match(path)]


def article_gets(server: SiteServer) -> list[str]:
    return [path for method, path, _ in server.requests
            if method == "GET" and PROFILE.article_re.match(path)]


def per_section(requests: list[tuple[str, int]]) -> Counter[str]:
    return Counter(path.rsplit("/", 1)[0].strip("/") for path, _ in requests)


def run_counts(workspace) -> list[tuple]:
    db = sqlite3.connect(workspace.database_url.removeprefix("sqlite:///"))
    return db.execute("select new, listing_pages, listing_changed from crawl_runs "
                      "order by id").fetchall()


def test_incremental_crawls_cost_only_what_is_new(workspace) -> None:
    records = generate_records(200, seed=3)
    server = SiteServer()
    server.start()
    try:
        server.pages.update(build_site(records, base_url=server.url))
        workspace.point(server.url, extra=SECTIONS)

        workspace.crawl()
        assert len(workspace.articles()) == 200
        assert len(set(article_gets(server))) == 200

        # Nothing new: no article page, the first page and one page of overlap per section.
        server.reset_log()
        workspace.crawl()
        assert article_gets(server) == []
        assert set(per_section(listing_requests(server)).values()) == {2}

        # Again: now the listing pages' validators are stored, so they answer 304.
        server.reset_log()
        workspace.crawl()
        assert article_gets(server) == []
        requests = listing_requests(server)
        assert {status for _, status in requests} == {304}
        assert max(per_section(requests).values()) <= 2

        # Ten new articles, spread over the sections: exactly those ten are downloaded.
        new = generate_records(10, seed=4, start_id=90000, start_date=date(2030, 1, 1))
        pages = build_site(records + new, base_url=server.url)
        server.pages.update(pages)
        listing_total = sum(1 for p in pages if (m := PROFILE.listing_re.match(p))
                            and m["section"] in DEFAULT_SECTIONS)
        server.reset_log()
        workspace.crawl()
        assert sorted(article_gets(server)) == sorted(article_path(r) for r in new)
        assert len(workspace.articles()) == 210

        # Backfill: --full walks every listing page, still without re-downloading articles.
        server.reset_log()
        workspace.crawl("--full")
        assert article_gets(server) == []
        assert len(listing_requests(server)) == listing_total
        assert {status for _, status in listing_requests(server)} == {200}
    finally:
        server.stop()

    runs = run_counts(workspace)
    assert [new for new, _, _ in runs] == [200, 0, 0, 10, 0]
    assert runs[0][2] == runs[0][1]  # first sight of every listing page is a change
    assert runs[2][2] == 0  # 304s: nothing changed
    assert runs[3][2] > 0  # the new articles changed the first pages
