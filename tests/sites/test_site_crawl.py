"""The government-portal fixture site crawled through Scrapy into a real SQLite archive: every
article stored with its date, where the date came from, and a body free of furniture."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.sites import SITES

EXPECTED = json.loads((__import__("pathlib").Path(__file__).with_name("expected")
                       / "binbei-kfq.json").read_text(encoding="utf-8"))


def test_portal_crawl_stores_dates_with_their_source(workspace) -> None:
    site = SITES["binbei-kfq"]
    with SiteServer(site.pages()) as server:
        table = {**site.profile, "base_url": server.url}
        lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in table.items()]
        workspace.config.write_text("[sources.binbei-kfq]\n" + "\n".join(lines) + "\n")
        workspace.run("crawl", "--source", "binbei-kfq", "-s", "DOWNLOAD_DELAY=0",
                      "-s", "AUTOTHROTTLE_ENABLED=False", check=True, timeout=180)
    stored = {urlsplit(a["url"]).path: a for a in workspace.articles()}
    assert sorted(stored) == sorted(EXPECTED)
    for path, want in EXPECTED.items():
        got = stored[path]
        assert (got["published"], got["published_source"]) == (want["published"],
                                                                 want["published_source"])
        assert got["title"] == want["title"] and got["section"] == want["section"]
        assert got["text"].split("\n") == want["text"]
