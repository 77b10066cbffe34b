"""Duplicates through the real `parkwatch crawl` on the sample site: the same story under two
sections is one article with an alias, a republished story is linked by duplicate_of, template
look-alikes stay apart, and `articles list` hides near-duplicates unless asked."""

from __future__ import annotations

import json
import sqlite3

from tests.support.sites import PROFILE, article_path, by_path

SECTIONS = "sections = [" + ", ".join(f'"{s}"' for s in [*PROFILE.sections, "change"]) + "]\n"


def path_of(record_id: int) -> str:
    from tests.support.sites import RECORDS

    return article_path(next(r for r in RECORDS if r["id"] == record_id))


def test_duplicates_on_the_sample_site(workspace, site) -> None:
    workspace.point(site.url, extra=SECTIONS)
    workspace.crawl()
    articles = workspace.articles()
    stored = by_path(articles)
    base = site.url

    # 6301 (news) and 6302 (change): one body, one article, the other URL its alias.
    pair = [p for p in (path_of(6301), path_of(6302)) if p in stored]
    assert len(pair) == 1
    other = ({path_of(6301), path_of(6302)} - set(pair)).pop()
    exact = stored[pair[0]]
    assert exact["aliases"] == [base + other]
    assert exact["canonical_url"] == base + pair[0]

    # 6420 republishes 6388 with a new title and lead: its own article, linked with a score.
    original, republished = stored[path_of(6388)], stored[path_of(6420)]
    assert original["duplicate_of"] is None
    assert republished["duplicate_of"] == original["id"]
    assert 0.5 < republished["similarity"] < 1

    # 5790 / 5905: one template, other figures — two stories, not linked.
    assert stored[path_of(5790)]["duplicate_of"] is None
    assert stored[path_of(5905)]["duplicate_of"] is None
    assert [a["id"] for a in articles if a["duplicate_of"] is not None] == [republished["id"]]

    # Default listing hides near-duplicates; show --json carries the fields.
    listed = json.loads(workspace.run("articles", "list", "--json", "--limit", "1000",
                                      check=True).stdout)
    assert republished["id"] not in [a["id"] for a in listed]
    assert len(listed) == len(articles) - 1
    shown = json.loads(workspace.run("articles", "show", str(republished["id"]), "--json",
                                     check=True).stdout)
    assert shown["duplicate_of"] == original["id"]
    assert {"canonical_url", "aliases", "duplicate_of"} <= set(shown)

    # The run's counts: one near-duplicate; the bands of every article are in the index.
    db = sqlite3.connect(workspace.database_url.removeprefix("sqlite:///"))
    assert db.execute("select duplicates from crawl_runs").fetchone() == (1,)
    bands = db.execute("select count(distinct article_id) from article_bands").fetchone()[0]
    assert bands == len(articles)

    # A second crawl neither downloads the alias nor adds anything.
    site.reset_log()
    workspace.crawl()
    assert sorted(a["id"] for a in workspace.articles()) == sorted(a["id"] for a in articles)
    assert not [p for m, p, _ in site.requests if p in (path_of(6301), path_of(6302))]
