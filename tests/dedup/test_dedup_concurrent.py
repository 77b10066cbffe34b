"""Two crawls of overlapping sources at once (two `parkwatch crawl` processes, one archive) never
make two articles of one URL: unique canonical URLs plus upserts — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import resources

import pytest

from parkwatch.samplesite import SiteServer, build_site, generate_records
from parkwatch.samplesite.generate import DEFAULT_SECTIONS
from tests.support.sites import PROFILE, article_path
from tests.support.workspace import Workspace

FIRST = DEFAULT_SECTIONS[:6]
SECOND = DEFAULT_SECTIONS[2:]  # four sections in common


def toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def source_table(name: str, base_url: str, sections: list[str]) -> str:
    """A full profile (the built-in one's keys) under another name."""
    text = resources.files("foundation.sites").joinpath("e-my399.toml").read_text("utf-8")
    data = {**tomllib.loads(text), "name": name, "base_url": base_url, "sections": sections}
    return f"[sources.{name}]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in data.items())


def crawl_process(workspace: Workspace, source: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "crawl", "--source", source, "--quiet",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=workspace.root, env=workspace.env(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


@pytest.mark.timeout(240)
def test_concurrent_crawls_of_overlapping_sources(tmp_path, db_url: str) -> None:
    records = generate_records(120, seed=5)
    server = SiteServer()
    server.start()
    base = server.url
    try:
        server.pages.update(build_site(records, base_url=base))
        workspace = Workspace(tmp_path, db_url)
        workspace.config.write_text(source_table("first", base, FIRST)
                                    + source_table("second", base, SECOND))
        workspace.run("db", "upgrade", check=True)
        crawls = [crawl_process(workspace, "first"), crawl_process(workspace, "second")]
        outputs = [crawl.communicate(timeout=200) for crawl in crawls]
        for crawl, (out, err) in zip(crawls, outputs, strict=True):
            assert crawl.returncode == 0, out + err
        gets = [path for method, path, _ in server.requests
                if method == "GET" and PROFILE.article_re.match(path)]
    finally:
        server.stop()

    articles = workspace.articles()
    canonical = [a["canonical_url"] for a in articles]
    every_url = canonical + [alias for a in articles for alias in a["aliases"]]
    assert len(every_url) == len(set(every_url)), "one URL stored twice"
    expected = {base + article_path(r) for r in records}  # every section is crawled
    assert set(every_url) == expected
    assert len(articles) == len(expected)  # generated stories are all distinct
    # The overlap really was fetched twice at once: the race was exercised.
    assert len(gets) > len(expected)
