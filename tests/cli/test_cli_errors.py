"""Bad input gets one clear line and a non-zero exit, never a traceback; nothing stored is lost."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import invoke


def assert_one_line_error(proc, *expected: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines, "an error line is printed"
    for text in expected:
        assert text in lines[-1], proc.stderr


@pytest.mark.parametrize(("config", "message"), [
    ("database_url = [1, 2", "is not valid TOML"),
    ("[sources.e-my399]\nbase_url = 'ftp://nowhere'", "base_url must be an http(s) URL"),
    # A source needs only its address (issue 12); an unknown discovery path is refused.
    ("[sources.mysite]\nbase_url = 'http://example.org'\ndiscover = ['atoms']",
     "sources.mysite"),
    ("[sources.mysite]\nlanguage = 'zh'", "sources.mysite.base_url"),  # the address is needed
    ("[sources.e-my399]\narticle_pattern = '(unclosed'", "bad regular expression"),
    ("unknown_key = 1", "unknown_key"),
])
def test_malformed_config(workspace, config: str, message: str) -> None:
    workspace.config.write_text(config)
    proc = workspace.run("sources", "list")
    assert_one_line_error(proc, message)


def test_missing_config_file(workspace) -> None:
    proc = workspace.run("sources", "list", PARKWATCH_CONFIG=str(workspace.root / "nope.toml"))
    assert_one_line_error(proc, "does not exist")


def test_unknown_source(workspace) -> None:
    proc = workspace.run("crawl", "--source", "no-such-site")
    assert_one_line_error(proc, "unknown source 'no-such-site'", "e-my399")


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://nobody@127.0.0.1:1/none",
    "sqlite:////proc/forbidden/archive.db",
    "notadialect://x",
])
def test_unreachable_or_invalid_database(workspace, url: str) -> None:
    proc = workspace.run("articles", "list", PARKWATCH_DATABASE_URL=url)
    assert_one_line_error(proc, "database")


def test_bad_scrapy_setting_and_bad_dates(workspace) -> None:
    assert_one_line_error(workspace.run("crawl", "-s", "DOWNLOAD_DELAY"), "NAME=VALUE")
    assert_one_line_error(workspace.run("crawl", "--since", "yesterday"), "--since")
    workspace.run("db", "upgrade", check=True)  # reading commands never create an archive
    assert_one_line_error(workspace.run("articles", "show", "12345"), "no article with id")
    assert_one_line_error(workspace.run("articles", "show", "abc"), "ID")


@pytest.mark.parametrize(("pair", "message"), [
    ("DOWNLAOD_DELAY=0", "unknown setting DOWNLAOD_DELAY (did you mean DOWNLOAD_DELAY?)"),
    ("NO_SUCH_SETTING=1", "unknown setting NO_SUCH_SETTING (not one of Scrapy's or "
                          "parkwatch's settings)"),
    ("download_delay=0", "unknown setting download_delay (did you mean DOWNLOAD_DELAY?)"),
    ("PARKWATCH_HOST_RAET=2", "did you mean PARKWATCH_HOST_RATE?"),
])
def test_an_unknown_setting_is_refused_with_the_closest_name(workspace, pair, message) -> None:
    proc = invoke(workspace, "crawl", "-s", pair)
    assert_one_line_error(proc, message)
    assert proc.returncode == 2
    assert not (workspace.root / "archive.db").exists()  # refused before anything was made


def test_every_command_taking_settings_checks_their_names(workspace) -> None:
    for command in (["crawl", "--distributed"], ["crawl", "--queue"], ["serve"], ["worker"]):
        proc = invoke(workspace, *command, "-s", "DOWNLAOD_DELAY=0")
        assert_one_line_error(proc, "unknown setting DOWNLAOD_DELAY (did you mean DOWNLOAD_DELAY?)")
        assert proc.returncode == 2
    known = invoke(workspace, "crawl", "-s", "CLOSESPIDER_PAGECOUNT=x")  # its value is checked
    assert_one_line_error(known, "bad Scrapy setting CLOSESPIDER_PAGECOUNT='x'")


def test_a_failed_crawl_keeps_what_is_stored(workspace, site) -> None:
    workspace.point(site.url)
    first = workspace.crawl("--max-articles", "4")
    archive = workspace.root / "archive.db"
    assert f"parkwatch: no archive at {archive} yet: this crawl creates a new one" in first.stderr
    before = workspace.articles()
    site.stop()
    proc = workspace.run("crawl", "-s", "RETRY_TIMES=0")
    assert_one_line_error(proc, "could not fetch any page")
    assert "creates a new one" not in proc.stderr
    assert workspace.articles() == before


def test_a_mistyped_sqlite_folder_is_an_error_not_a_new_archive(workspace) -> None:
    typo = workspace.root / "archve" / "parkwatch.db"
    for command in (["crawl"], ["crawl", "--distributed"]):
        proc = invoke(workspace, *command, PARKWATCH_DATABASE_URL=f"sqlite:///{typo}")
        assert_one_line_error(proc, f"the archive's folder {typo.parent} does not exist",
                              "nothing was created")
        assert proc.returncode == 2 and not typo.parent.exists()


def test_sources_list_shows_configured_sites(workspace) -> None:
    workspace.config.write_text(
        "[sources.my-zone-news]\n"
        "base_url = 'https://news.example.org'\n"
        "sections = ['economy']\n"
        "listing_pattern = '^/(?P<section>[a-z]+)/index(?:_(?P<page>\\\\d+))?\\\\.html$'\n"
        "article_pattern = '^/(?P<section>[a-z]+)/(?P<date>\\\\d{4}-\\\\d{2}-\\\\d{2})/"
        "(?P<id>\\\\d+)\\\\.html$'\n"
        "schedule = 'every 12h'\n"
        "[sources.e-my399]\nschedule = '0 */3 * * *'\n")
    proc = workspace.run("sources", "list", "--json", check=True)
    sources = {s["name"]: s for s in json.loads(proc.stdout)}
    assert sources["my-zone-news"]["base_url"] == "https://news.example.org"
    assert sources["my-zone-news"]["schedule"] == "every 12h"
    assert sources["e-my399"]["schedule"] == "0 */3 * * *"
    assert len(sources["e-my399"]["sections"]) == 8  # built-in values kept under an override
