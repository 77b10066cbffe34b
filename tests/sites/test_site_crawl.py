"""The two new fixture sites, each known by its address only, crawled through Scrapy into a real
SQLite archive: every article stored with its date, where the date came from, and its body."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.sites import SITES
from tests.support.warcs import assert_pages_kept

EXPECTED_DIR = Path(__file__).with_name("expected")


@pytest.mark.parametrize("name", ["binbei-kfq", "riverside-times"])
def test_crawl_by_address_stores_dates_with_their_source(workspace, name: str) -> None:
    site = SITES[name]
    expected = json.loads((EXPECTED_DIR / f"{name}.json").read_text(encoding="utf-8"))
    with SiteServer() as server:
        server.pages.update(site.pages(base_url=server.url))
        workspace.config.write_text(f'[sources.{name}]\nbase_url = "{server.url}"\n'
                                    f'language = "{site.language}"\n')
        workspace.run("crawl", "--source", name, "-s", "DOWNLOAD_DELAY=0",
                      "-s", "AUTOTHROTTLE_ENABLED=False", check=True, timeout=180)
        served = dict(server.pages.items())
    # Each page is kept as WARC, and each article points to its record.
    assert assert_pages_kept(workspace.root / "pages", workspace.database_url,
                             served) == len(expected)
    stored = {urlsplit(a["url"]).path: a for a in workspace.articles()}
    assert sorted(stored) == sorted(expected)
    for path, want in expected.items():
        got = stored[path]
        assert (got["published"], got["published_source"]) == (want["published"],
                                                                 want["published_source"])
        assert got["title"] == want["title"] and got["section"] == want["section"]
        assert got["text"].split("\n") == want["text"]
