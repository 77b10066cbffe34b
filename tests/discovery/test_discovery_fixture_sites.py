"""The fixture sites of every shape, crawled with a config of only `base_url` + `language`, on
SQLite and on PostgreSQL: every article found (sitemaps, feeds, listings and their pagers
discovered) and read as the expected JSON says; a re-crawl with nothing new fetches no article
page (both read the archive's known URLs and validators); one new article costs one article
fetch (on SQLite: the requests do not depend on the backend). Counted on the server's request
log."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.sites import fixture_site

EXPECTED = Path(__file__).resolve().parents[1] / "sites" / "expected"


def _new_record(name: str, records: list[dict]) -> dict:
    """One more article, newer than all, in the site's own record shape."""
    record = copy.deepcopy(records[0])
    record["title"] = record["title"] + " (update)"
    record["paragraphs"] = [p + " A later report." for p in record["paragraphs"]]
    if name == "riverside-times":
        record["slug"] = "a-later-park-report"
        record["published"] = "2024-06-03T08:00:00+08:00"
        record["modified"] = record["published"]
    elif name == "binbei-kfq":
        record["id"] = 899999
        record["created"] = "2023-06-03"
        record["published"] = "2023-06-03 10:00"
    else:  # e-my399
        record["id"] = 9999
        record["url_date"] = record["published"] = "2024-06-03"
    return record


def _by_path(articles: list[dict], base: str) -> dict[str, dict]:
    """Every stored URL (aliases of exact copies too) → the article stored for it."""
    return {url.removeprefix(base): a for a in articles for url in [a["url"], *a["aliases"]]}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", ["e-my399", "binbei-kfq", "riverside-times"])
def test_a_fixture_site_by_its_address_alone(tmp_path, db_url: str, name: str) -> None:
    """On SQLite and PostgreSQL: every article with its date, title and whole body."""
    from tests.support.workspace import Workspace

    workspace = Workspace(tmp_path, db_url)
    site = fixture_site(name)
    expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    records = site.load()
    with SiteServer() as server:
        server.pages.update(site.build(records, variant=site.variants[0], base_url=server.url))
        # Not the built-in profile's name: nothing but the address is known of the site.
        workspace.config.write_text(f'[sources.by-address]\nbase_url = "{server.url}"\n'
                                    f'language = "{site.language}"\n')
        crawl = ("crawl", "--source", "by-address", "-s", "DOWNLOAD_DELAY=0",
                 "-s", "AUTOTHROTTLE_ENABLED=False")
        workspace.run(*crawl, timeout=180, check=True)
        stored = _by_path(workspace.articles(), server.url)
        assert sorted(stored) == sorted(expected)
        for path, want in expected.items():
            got = stored[path]
            assert got["published"] == want["published"], path
            assert got["title"] == want["title"], path
            assert got["text"].split("\n") == want["text"], path  # whole, and no furniture

        server.reset_log()
        workspace.run(*crawl, timeout=180, check=True)
        gets = [(p, s) for m, p, s in server.requests if m == "GET"]
        assert not [p for p, _ in gets if p in expected]  # no article page fetched again
        assert len(gets) <= 20, gets  # a handful of small requests, conditional
        assert all(s == 304 for p, s in gets if p != "/robots.txt"), gets
        assert [p for p, _ in gets if p == "/robots.txt"] == ["/robots.txt"]  # one download

        if "sqlite" not in db_url:
            return  # one new article, one fetch: the same requests whatever the backend
        record = _new_record(name, records)
        server.pages.update(site.build([record, *records], variant=site.variants[0],
                                       base_url=server.url))
        server.reset_log()
        workspace.run(*crawl, timeout=180, check=True)
        new_path = site.path(record)
        articles = [p for m, p, _ in server.requests if m == "GET" and
                    (p in expected or p == new_path)]
        assert articles == [new_path]  # one new article, one article fetch
        assert new_path in _by_path(workspace.articles(), server.url)
