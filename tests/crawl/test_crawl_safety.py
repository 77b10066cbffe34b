"""Politeness and robustness of a crawl: robots.txt, offsite links, failing and hostile pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from parkwatch.samplesite import Page, SiteServer
from tests.support.sites import CRAWLED, article_path, article_requests


def test_robots_txt_is_obeyed(workspace, site) -> None:
    site.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /news/\n", "text/plain")
    workspace.point(site.url)
    workspace.crawl()
    fetched = [path for method, path, _ in site.requests if method == "GET"]
    assert fetched and not [p for p in fetched if p.startswith("/news/")]
    assert all(a["section"] != "Harbin Today" or not a["url"].count("/news/")
               for a in workspace.articles())


def test_offsite_links_are_never_requested(workspace, site) -> None:
    other = SiteServer({"/news/2023-01-01/1.html": Page(b"<html>elsewhere</html>")})
    with other:
        listing = site.pages["/business/parks/index.html"].body.replace(
            b"</body>",
            f'<a href="http://localhost:{other.port}/news/2023-01-01/1.html">x</a></body>'
            .encode())
        site.pages["/business/parks/index.html"] = Page(listing)
        workspace.point(site.url)
        workspace.crawl()
        assert other.requests == []


def test_failing_and_hostile_pages_are_counted_not_fatal(workspace, site) -> None:
    broken, garbage, empty = (article_path(r) for r in CRAWLED[:3])
    site.fail_paths[broken] = 500
    site.pages[garbage] = Page(bytes(range(256)) * 64, "application/octet-stream")
    site.pages[empty] = Page(b"<html><body></body></html>")
    workspace.point(site.url)
    proc = workspace.crawl("-s", "RETRY_TIMES=1", "-s", "PARKWATCH_RETRY_BACKOFF_BASE=0.1")
    assert proc.returncode == 0
    assert "1 errors" in proc.stdout and "2 skipped" in proc.stdout
    stored = {a["url"].split(":", 2)[-1].split("/", 1)[-1] for a in workspace.articles()}
    assert len(stored) == len(CRAWLED) - 3
    retries = [p for p in article_requests(site) if p == broken]
    assert len(retries) == 2  # first try + one retry, with backoff in between


def test_an_unreachable_site_fails_the_run_with_one_line(workspace) -> None:
    server = SiteServer()
    server.start()
    url = server.url
    server.stop()  # nothing listens there now
    workspace.point(url)
    proc = workspace.run("crawl", "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=5",
                         timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "could not fetch any page" in proc.stderr


def test_oversized_pages_are_cut_off_and_counted(workspace, site) -> None:
    huge = article_path(CRAWLED[0])
    page = site.pages[huge]
    site.pages[huge] = Page(page.body.replace(b"</body>", b"<p>" + b"x" * 200_000 + b"</p></body>"))
    workspace.point(site.url)
    proc = workspace.crawl("-s", "DOWNLOAD_MAXSIZE=100000", "-s", "RETRY_TIMES=0")
    assert "1 errors" in proc.stdout
    stored = {urlsplit(a["url"]).path for a in workspace.articles()}
    assert huge not in stored and len(stored) == len(CRAWLED) - 1


def test_scrapy_project_commands_work_from_the_repository_root() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.split() == ["news"], proc.stderr


def test_an_article_the_database_refuses_is_counted_as_an_error(workspace, site) -> None:
    import sqlite3

    refused = article_path(CRAWLED[0])
    workspace.run("db", "upgrade", check=True)
    with sqlite3.connect(workspace.root / "archive.db") as db:
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.url LIKE "
                   f"'%{refused}' BEGIN SELECT RAISE(ABORT, 'refused by a test'); END")
    workspace.point(site.url)
    proc = workspace.crawl()
    assert "1 errors" in proc.stdout
    stored = {urlsplit(a["url"]).path for a in workspace.articles()}
    assert refused not in stored and len(stored) == len(CRAWLED) - 1
