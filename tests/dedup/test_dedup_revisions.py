"""Revisions: a page whose text changes at the same URL keeps its article id; `--refresh` finds
the change, keeps the former text as a revision with its fetch time and re-extracts the facts."""

from __future__ import annotations

import copy
import sqlite3

from parkwatch.samplesite import build_site
from tests.support.sites import RECORDS, article_path, by_path

ADDED = ("By the end of June the zone had attracted 47 new projects with a total investment of "
         "9.35 billion yuan.")


def test_a_changed_page_becomes_a_revision(workspace, site) -> None:
    workspace.point(site.url)
    workspace.crawl()
    record = next(r for r in RECORDS if r["id"] == 6388)
    path = article_path(record)
    before = by_path(workspace.articles())[path]

    changed = copy.deepcopy(record)
    changed["paragraphs"].insert(2, ADDED)
    changed["title"] = record["title"] + " (updated)"
    site.pages[path] = build_site([changed], base_url=site.url)[path]

    plain = workspace.crawl()  # incremental: known URLs are not fetched, the change unseen
    assert "0 updated" in plain.stdout
    refresh = workspace.crawl("--refresh")
    assert "1 updated" in refresh.stdout and "0 new" in refresh.stdout

    after = by_path(workspace.articles())[path]
    assert after["id"] == before["id"]
    assert after["title"] == changed["title"]
    assert ADDED in after["text"]
    assert any(ADDED in fact["sentence"] for fact in after["facts"])
    assert not any(ADDED in fact["sentence"] for fact in before["facts"])
    assert len(after["facts"]) > len(before["facts"])

    db = sqlite3.connect(workspace.database_url.removeprefix("sqlite:///"))
    rows = db.execute("select title, text, fetched_at from revisions where article_id = ?",
                      (before["id"],)).fetchall()
    assert len(rows) == 1
    title, text, fetched_at = rows[0]
    assert (title, text) == (before["title"], before["text"])
    # The former text's fetch time: the last crawl that saw it (the plain re-crawl did not
    # fetch the page, so that is the first crawl).
    assert fetched_at.replace(" ", "T")[:19] == before["last_fetched"][:19]
    facts = db.execute("select count(*) from facts where article_id = ?",
                       (before["id"],)).fetchone()[0]
    assert facts == len(after["facts"])  # replaced, not appended
    assert db.execute("select count(*) from revisions").fetchone()[0] == 1
