"""A source from its address alone, through the real `parkwatch crawl`: every article of a
WordPress-shaped and a TRS-shaped site is found (sitemaps, feed, home navigation, column
overview, pagers), and re-crawls are incremental on every path (request log counted)."""

from __future__ import annotations

import pytest

from tests.discovery.shapes import ShapeSite

pytestmark = pytest.mark.timeout(300)  # several crawls, each a fresh process


def _crawl(workspace, name: str, *args: str):
    return workspace.run("crawl", "--source", name, "-s", "DOWNLOAD_DELAY=0",
                         "-s", "AUTOTHROTTLE_ENABLED=False", *args, timeout=180, check=True)


def _configure(workspace, name: str, url: str, language: str) -> None:
    workspace.config.write_text(f'[sources.{name}]\nbase_url = "{url}"\n'
                                f'language = "{language}"\n')


@pytest.fixture(params=["wordpress", "trs"])
def shape_site(request):
    site = ShapeSite(request.param).start()
    try:
        yield site
    finally:
        site.stop()


def test_a_source_with_only_its_address_crawls_every_article(workspace, shape_site) -> None:
    _configure(workspace, "site", shape_site.url, "en" if shape_site.shape == "wordpress"
               else "zh")
    proc = _crawl(workspace, "site")
    assert "succeeded" in proc.stdout
    stored = {a["url"].removeprefix(shape_site.url): a for a in workspace.articles()}
    assert sorted(stored) == sorted(shape_site.article_paths())
    for story in shape_site.stories:
        article = stored[story.path]
        assert (article["published"] or article["url_date"]) == story.day
        assert story.paragraphs[1] in article["text"]
    fetched = [p for m, p, _ in shape_site.server.requests if m == "GET"]
    assert "/about/" not in fetched and "/tag/parks/" not in fetched  # not listings
    assert len(shape_site.article_requests()) == len(shape_site.stories)  # each once
    if shape_site.shape == "wordpress":
        assert not [p for p in fetched if p.startswith(("/wp-admin/", "/files/"))]
        assert fetched.count("/notices/100234.html") == 1  # read, found not an article
        shape_site.server.reset_log()
        _crawl(workspace, "site")
        assert "/notices/100234.html" not in [p for _, p, _ in shape_site.server.requests]


def test_recrawls_are_incremental_on_every_path(workspace, shape_site) -> None:
    _configure(workspace, "site", shape_site.url, "en")
    _crawl(workspace, "site")
    shape_site.server.reset_log()
    _crawl(workspace, "site")
    quiet = [(p, s) for m, p, s in shape_site.server.requests if m == "GET"]
    assert shape_site.article_requests() == []
    assert len(quiet) <= 8, quiet  # a handful of small, mostly conditional requests
    assert sum(1 for _, s in quiet if s == 200) <= 2, quiet  # robots.txt (ours and Scrapy's)

    story = shape_site.add_story()
    shape_site.server.reset_log()
    _crawl(workspace, "site")
    assert shape_site.article_requests() == [story.path]  # one new article, one fetch
    assert story.path in {a["url"].removeprefix(shape_site.url) for a in workspace.articles()}
    if shape_site.shape == "wordpress":
        fetched = [p for m, p, _ in shape_site.server.requests]
        assert "/sitemap-old.xml" not in fetched  # an old sub-sitemap is skipped by lastmod
