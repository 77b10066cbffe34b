"""`parkwatch metrics extract | list | reextract` through the real command."""

from __future__ import annotations

import json
import sqlite3

FIELDS = ["value", "unit", "kind", "qualifier", "period", "basis", "metric", "subject",
          "share_of", "refers_to", "conversion", "sentence", "start", "end"]
TEXT = ("In 2022, the output value of the Songbei industrial park exceeded 12 billion yuan "
        "($1.8 billion), up 7.2 percent year-on-year.\nThe park added 26 enterprises.")


def test_extract_prints_facts_with_exactly_the_documented_fields(workspace) -> None:
    source = workspace.root / "story.txt"
    source.write_text(TEXT, encoding="utf-8")
    proc = workspace.run("metrics", "extract", str(source), "--published", "2023-02-01",
                         "--json", check=True)
    facts = json.loads(proc.stdout)
    assert [list(f) for f in facts] == [FIELDS] * 3
    money, change, added = facts
    assert (money["value"], money["unit"], money["kind"], money["qualifier"]) == (
        12_000_000_000, "CNY", "level", "more_than")
    assert money["conversion"]["unit"] == "USD" and money["conversion"]["consistent"] is True
    assert (change["value"], change["basis"], change["refers_to"]) == (7.2, "year-on-year", 0)
    assert (added["value"], added["kind"], added["period"]) == (26, "delta", "2022")
    assert TEXT[money["start"]:money["end"]].startswith("12 billion")
    table = workspace.run("metrics", "extract", "-", input_text=TEXT, check=True)
    assert "3 fact(s)" in table.stdout and "12,000,000,000" in table.stdout


def test_extract_survives_garbage_and_reports_bad_files(workspace) -> None:
    garbage = workspace.root / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 400)
    proc = workspace.run("metrics", "extract", str(garbage), "--json", check=True)
    assert isinstance(json.loads(proc.stdout), list)
    missing = workspace.run("metrics", "extract", str(workspace.root / "nope.txt"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "cannot read" in missing.stderr.splitlines()[-1]


def test_crawled_facts_are_listed_and_reextracted(workspace, site) -> None:
    workspace.point(site.url)
    workspace.crawl()
    articles = workspace.articles()
    with_facts = [a for a in articles if a["facts"]]
    assert len(with_facts) >= 10
    fact = with_facts[0]["facts"][0]
    assert set(FIELDS) <= set(fact) and fact["extractor_version"]
    listed = json.loads(workspace.run("metrics", "list", "--json", "--unit", "CNY",
                                      "--limit", "1000", check=True).stdout)
    assert listed and all(f["unit"] == "CNY" for f in listed)
    total = sum(len(a["facts"]) for a in articles)
    narrowed = json.loads(workspace.run("metrics", "list", "--json", "--metric", "output value",
                                        "--since", "2023-01-01", "--limit", "1000",
                                        check=True).stdout)
    assert narrowed and all("output value" in f["metric"].lower() for f in narrowed)
    assert len(narrowed) < total
    db = workspace.root / "archive.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE facts SET extractor_version = '0.0' WHERE article_id = ?",
                     (with_facts[0]["id"],))
    proc = workspace.run("metrics", "reextract", "--outdated", check=True)
    assert "re-extracted 1 article(s)" in proc.stdout
    with sqlite3.connect(db) as conn:
        versions = {v for (v,) in conn.execute("SELECT DISTINCT extractor_version FROM facts")}
        count = conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    assert "0.0" not in versions and count == total
