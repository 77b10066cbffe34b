"""Reread as plain functions (crawler.history.reread): after a rule change (a furniture rule
added to the profile), the stored bodies are fixed from the kept pages with no request sent
to the site, each former reading kept as a revision with the reason "reread" and its record;
a second reread changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import text

from archive.db import get_engine
from crawler.history.reread import reread
from foundation.settings import load_settings
from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.sites import SITES

SITE = SITES["riverside-times"]


def _articles(database_url: str) -> dict[str, dict]:
    with get_engine(database_url).connect() as conn:
        rows = conn.execute(text("SELECT id, url, text, page_record FROM articles")).mappings()
        return {r["url"]: dict(r) for r in rows}


def test_a_furniture_rule_is_applied_to_the_stored_pages_without_a_request(
        workspace) -> None:
    with SiteServer() as server:
        server.pages.update(SITE.pages(base_url=server.url))
        table = f'[sources.riverside-times]\nbase_url = "{server.url}"\nlanguage = "en"\n'
        workspace.config.write_text(table)
        workspace.run("crawl", "--source", "riverside-times", "-s", "DOWNLOAD_DELAY=0",
                      "-s", "AUTOTHROTTLE_ENABLED=False", check=True, timeout=180)
        before = _articles(workspace.database_url)
        # the rule change: the last paragraph of three stories is furniture after all
        chosen = sorted(before)[:3]
        lines = [before[url]["text"].split("\n")[-1] for url in chosen]
        rule = "^(?:" + "|".join(re.escape(line[:30]) for line in lines) + ")"
        workspace.config.write_text(table + f"furniture = [{json.dumps(rule)}]\n")
        profile = load_settings(workspace.config).source("riverside-times")
        server.reset_log()
        summary = reread(workspace.database_url, profile, workspace.root / "pages",
                         workers=0)
        assert server.requests == []  # read from the kept pages alone
        again = reread(workspace.database_url, profile, workspace.root / "pages", workers=0)
    after = _articles(workspace.database_url)
    assert (summary.read, summary.changed, summary.bodies) == (len(before), 3, 3)
    assert summary.unchanged == len(before) - 3
    for url, line in zip(chosen, lines, strict=True):
        assert line not in after[url]["text"].split("\n")
        assert after[url]["text"] == before[url]["text"].removesuffix("\n" + line)
    assert all(after[u] == before[u] for u in before if u not in chosen)
    with get_engine(workspace.database_url).connect() as conn:
        revisions = conn.execute(text("SELECT article_id, reason, text, page_record "
                                      "FROM revisions")).mappings().all()
    by_id = {a["id"]: a for a in before.values()}
    assert sorted(by_id[r["article_id"]]["url"] for r in revisions) == chosen
    for revision in revisions:
        former = by_id[revision["article_id"]]
        assert revision["reason"] == "reread" and revision["text"] == former["text"]
        assert revision["page_record"] == former["page_record"]  # the bytes it came from
    assert (again.read, again.changed) == (len(before), 0)  # a second reread changes nothing
    assert _articles(workspace.database_url) == after


def test_nothing_kept_is_nothing_to_reread(tmp_path: Path, sqlite_url: str) -> None:
    profile = load_settings().source("e-my399")
    summary = reread(sqlite_url, profile, tmp_path / "pages", workers=0)
    assert (summary.total, summary.read, summary.changed) == (0, 0, 0)
