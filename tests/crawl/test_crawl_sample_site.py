"""End to end through Scrapy: the real `parkwatch crawl` against the sample site on a local
server, in both markup variants, stored and read back with `parkwatch articles list --json`."""

from __future__ import annotations

import pytest

from tests.support.sites import CRAWLED, PROFILE, article_path, article_requests, by_path, serve
from tests.support.warcs import assert_pages_kept

pytestmark = pytest.mark.parse_workers  # crawls as a user's: through the parse workers


@pytest.mark.parametrize("variant", ["classic", "modern"])
def test_every_article_is_stored_correctly(workspace, variant: str) -> None:
    server = serve(variant)
    try:
        workspace.point(server.url)
        proc = workspace.crawl()
    finally:
        server.stop()
    assert "succeeded" in proc.stdout
    stored = by_path(workspace.articles())
    assert sorted(stored) == sorted(article_path(r) for r in CRAWLED)
    # Each page is kept as WARC, and each article points to its record.
    assert assert_pages_kept(workspace.root / "pages", workspace.database_url,
                             dict(server.pages.items())) == len(CRAWLED)
    for record in CRAWLED:
        article = stored[article_path(record)]
        assert article["title"] == record["title"]
        assert article["published"] == record["published"]
        assert article["url_date"] == record["url_date"]
        assert article["section"] == (record["breadcrumb"]
                                      or PROFILE.section_name(record["section"]))
        assert article["byline_source"] == record["byline_source"]
        assert article["author"] == (record["author"].title() if record["author"] else None)
        assert article["language"] == "en"
        assert article["text"].split("\n") == record["paragraphs"], record["id"]
        assert article["topics"] == record["topics"], (record["id"], article["topic_terms"])
        if record["topics"]:
            assert article["topic_terms"]["industrial-parks"]


def test_crawling_twice_leaves_the_archive_unchanged(workspace, site) -> None:
    workspace.point(site.url)
    first_run = workspace.crawl("-s", "LOG_LEVEL=INFO", "-s", "PARKWATCH_PARSE_WORKERS=2")
    assert "2 parse workers started" in first_run.stderr
    # The rules and the sitemaps robots.txt names are read from one download.
    assert [p for m, p, _ in site.requests if m == "GET" and p == "/robots.txt"] == ["/robots.txt"]
    first = workspace.articles()
    site.reset_log()
    second_run = workspace.crawl("-s", "LOG_LEVEL=INFO", "-s", "PARKWATCH_PARSE_WORKERS=2")
    assert "0 new" in second_run.stdout and "0 updated" in second_run.stdout
    assert article_requests(site) == []  # known articles are not downloaded again
    # Nothing to parse: the run never started its parse workers.
    assert "parse workers started" not in second_run.stderr
    refresh = workspace.crawl("--refresh")
    assert f"{len(first)} unchanged" in refresh.stdout and "0 new" in refresh.stdout
    after = workspace.articles()
    strip = lambda rows: [{k: v for k, v in a.items() if k != "last_fetched"} for a in rows]  # noqa: E731
    assert strip(after) == strip(first)


def test_max_articles_and_since_limit_the_crawl(workspace, site) -> None:
    workspace.point(site.url)
    workspace.crawl("--max-articles", "3")
    assert len(article_requests(site)) == 3
    assert len(workspace.articles()) == 3
    site.reset_log()
    workspace.crawl("--since", "2023-06-01", "--full")
    fetched = article_requests(site)
    assert fetched, "articles after the date are fetched"
    assert all(path.split("/")[-2] >= "2023-06-01" for path in fetched)


def test_scrapy_settings_from_the_command_line_take_effect(workspace, site) -> None:
    workspace.point(site.url)
    workspace.crawl("-s", "CLOSESPIDER_PAGECOUNT=2", "-s", "CONCURRENT_REQUESTS=1")
    # robots.txt plus two pages: the page limit set with -s stopped the crawl.
    assert len([r for r in site.requests if r[0] == "GET"]) <= 4
