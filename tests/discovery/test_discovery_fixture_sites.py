"""The fixture sites of every shape, crawled with a config of only `base_url` + `language`:
every article found (sitemaps, feeds, listings and their pagers discovered) and read as the
expected JSON says; a re-crawl with nothing new fetches no article page; one new article
costs one article fetch. Counted on the server's request log."""

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
    else:
        record["id"] = 899999
        record["created"] = "2023-06-03"
        record["published"] = "2023-06-03 10:00"
    return record


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", ["binbei-kfq", "riverside-times"])
def test_a_fixture_site_by_its_address_alone(workspace, name: str) -> None:
    site = fixture_site(name)
    expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    records = site.load()
    with SiteServer() as server:
        server.pages.update(site.build(records, variant=site.variants[0], base_url=server.url))
        workspace.config.write_text(f'[sources.{name}]\nbase_url = "{server.url}"\n'
                                    f'language = "{site.language}"\n')
        crawl = ("crawl", "--source", name, "-s", "DOWNLOAD_DELAY=0",
                 "-s", "AUTOTHROTTLE_ENABLED=False")
        workspace.run(*crawl, timeout=180, check=True)
        stored = {a["url"].removeprefix(server.url): a for a in workspace.articles()}
        assert sorted(stored) == sorted(expected)
        for path, want in expected.items():
            assert stored[path]["published"] == want["published"], path
            assert stored[path]["title"] == want["title"], path

        server.reset_log()
        workspace.run(*crawl, timeout=180, check=True)
        gets = [(p, s) for m, p, s in server.requests if m == "GET"]
        assert not [p for p, _ in gets if p in expected]  # no article page fetched again
        assert len(gets) <= 16, gets  # a handful of small requests, conditional
        assert all(s == 304 for p, s in gets if p != "/robots.txt"), gets

        record = _new_record(name, records)
        server.pages.update(site.build([record, *records], variant=site.variants[0],
                                       base_url=server.url))
        server.reset_log()
        workspace.run(*crawl, timeout=180, check=True)
        new_path = site.path(record)
        articles = [p for m, p, _ in server.requests if m == "GET" and
                    (p in expected or p == new_path)]
        assert articles == [new_path]  # one new article, one article fetch
        assert new_path in {a["url"].removeprefix(server.url) for a in workspace.articles()}


@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_discovery_state_on_postgresql(tmp_path, postgres_url: str) -> None:
    from tests.support.workspace import Workspace

    site = fixture_site("binbei-kfq")
    expected = json.loads((EXPECTED / "binbei-kfq.json").read_text(encoding="utf-8"))
    workspace = Workspace(tmp_path, postgres_url)
    with SiteServer() as server:
        server.pages.update(site.pages(base_url=server.url))
        workspace.config.write_text(f'[sources.gov]\nbase_url = "{server.url}"\n'
                                    'language = "zh"\n')
        crawl = ("crawl", "--source", "gov", "-s", "DOWNLOAD_DELAY=0",
                 "-s", "AUTOTHROTTLE_ENABLED=False")
        workspace.run(*crawl, timeout=180, check=True)
        server.reset_log()
        workspace.run(*crawl, timeout=180, check=True)
        refetched = [p for m, p, _ in server.requests if m == "GET" and p in expected]
        stored = {a["url"].removeprefix(server.url): a for a in workspace.articles()}
    assert sorted(stored) == sorted(expected)
    assert all(stored[p]["published"] == want["published"] for p, want in expected.items())
    assert refetched == []
