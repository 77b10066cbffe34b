"""The same crawl into the machine's real PostgreSQL stores the same articles as SQLite."""

from __future__ import annotations

from tests.support.sites import CRAWLED, article_path, by_path
from tests.support.workspace import Workspace


def test_crawl_into_postgresql(tmp_path, postgres_url, site) -> None:
    workspace = Workspace(tmp_path, postgres_url)
    workspace.point(site.url)
    proc = workspace.crawl()
    assert f"{len(CRAWLED)} new" in proc.stdout
    stored = by_path(workspace.articles())
    assert sorted(stored) == sorted(article_path(r) for r in CRAWLED)
    record = next(r for r in CRAWLED if r["url_date"] != r["published"])
    assert stored[article_path(record)]["published"] == record["published"]
    again = workspace.crawl("--refresh").stdout
    assert "0 new" in again and f"{len(CRAWLED)} unchanged" in again
