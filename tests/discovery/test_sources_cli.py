"""`parkwatch sources add` probes a site and writes its table (keeping the user's file);
`parkwatch sources check` then reports it healthy; a site without articles gets one line."""

from __future__ import annotations

import tomllib

import pytest

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.render import Page
from tests.discovery.shapes import ShapeSite

pytestmark = pytest.mark.timeout(300)  # several crawls, each a fresh process


@pytest.mark.parametrize("shape", ["wordpress", "trs"])
def test_add_writes_a_table_that_check_reports_healthy(workspace, shape: str) -> None:
    site = ShapeSite(shape).start()
    try:
        workspace.config.write_text('# my sites\n[sources.other]\nbase_url = "http://x.test"'
                                    "  # keep me\n")
        added = workspace.run("sources", "add", "site", site.url, "--pause", "0", check=True)
        text = workspace.config.read_text()
        assert "# my sites" in text and "# keep me" in text  # the user's file is kept
        table = tomllib.loads(text)["sources"]["site"]
        assert table["base_url"] == site.url
        assert table["language"] == ("en" if shape == "wordpress" else "zh")
        if shape == "wordpress":
            assert table["sitemaps"] == ["/sitemap_index.xml"] and table["feeds"] == ["/feed/"]
            assert table["start_pages"] == ["/business/"]
        else:
            assert table["start_pages"] == ["/xwzx/yqdt/"] and "feeds" not in table
            assert "could not find: no RSS/Atom feed" in added.stdout
        assert "/wp-admin/" not in {p for _, p, _ in site.server.requests}
        checked = workspace.run("sources", "check", "site", "--pages", "4", "--pause", "0",
                                check=True)
    finally:
        site.stop()
    assert "4 of 4 pages read as articles" in checked.stdout, checked.stdout
    assert "dates" in checked.stdout and "4/4" in checked.stdout


def test_check_of_a_site_without_articles_is_one_clear_line(workspace) -> None:
    server = SiteServer({"/": Page(b"<html><body><a href='/about/'>About</a></body></html>"),
                         "/about/": Page(b"<html><body><p>Who we are.</p></body></html>")})
    with server:
        workspace.config.write_text(f'[sources.empty]\nbase_url = "{server.url}"\n')
        proc = workspace.run("sources", "check", "empty", "--pause", "0")
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no recognisable articles" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["e-my399", "binbei-kfq", "riverside-times"])
def test_add_then_check_on_every_fixture_site(workspace, name: str) -> None:
    """Each fixture shape, known by its address only: `sources add` writes a table that
    `sources check` reads healthy (every page an article, every date found)."""
    from parkwatch.samplesite.sites import fixture_site

    site = fixture_site(name)
    with SiteServer() as server:
        server.pages.update(site.pages(base_url=server.url))
        workspace.config.write_text("")
        workspace.run("sources", "add", "site", server.url, "--pause", "0", check=True)
        table = tomllib.loads(workspace.config.read_text())["sources"]["site"]
        assert table["base_url"] == server.url and table["language"] == site.language
        checked = workspace.run("sources", "check", "site", "--pages", "4", "--pause", "0",
                                check=True)
    assert "4 of 4 pages read as articles" in checked.stdout, checked.stdout
    assert "4/4" in checked.stdout, checked.stdout
