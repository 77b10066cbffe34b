"""`parkwatch metrics extract | list | reextract` through the real command."""

from __future__ import annotations

import codecs
import json
import random
import sqlite3
import subprocess
import sys

import pytest

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


def test_extract_refuses_binary_input_and_reports_bad_files(workspace) -> None:
    garbage = workspace.root / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 400)
    proc = workspace.run("metrics", "extract", str(garbage), "--json")
    assert proc.returncode != 0 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "binary" in proc.stderr
    rng = random.Random(7)
    noise = workspace.root / "noise.bin"
    noise.write_bytes(bytes(rng.randrange(128, 256) for _ in range(8000)))
    proc = workspace.run("metrics", "extract", str(noise), "--json")
    assert proc.returncode != 0 and proc.stdout == "" and "no facts read" in proc.stderr
    missing = workspace.run("metrics", "extract", str(workspace.root / "nope.txt"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "cannot read" in missing.stderr.splitlines()[-1]


ZH = "2023年上半年，园区实现营业收入1075亿元，同比增长6.5%。园区新增企业30家。"


@pytest.mark.parametrize(("encoding", "bom"), [
    ("gbk", b""), ("gb18030", b""), ("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
])
def test_extract_decodes_chinese_files(workspace, encoding: str, bom: bytes) -> None:
    source = workspace.root / f"zh-{encoding}.txt"
    source.write_bytes(bom + ZH.encode(encoding))
    proc = workspace.run("metrics", "extract", str(source), "--published", "2023-07-20",
                         "--json", check=True)
    facts = json.loads(proc.stdout)
    assert [(f["value"], f["unit"], f["kind"]) for f in facts] == [
        (107_500_000_000, "CNY", "level"), (6.5, "percent", "change"), (30, "count", "delta")]
    assert facts[0]["sentence"].startswith("2023年上半年")


def test_extract_decodes_a_short_gbk_line_from_stdin(workspace) -> None:
    proc = subprocess.run([sys.executable, "-m", "parkwatch", "metrics", "extract", "-", "--json"],
                          cwd=workspace.root, env=workspace.env(), input="增长6.5%".encode("gbk"),
                          capture_output=True, timeout=60, check=True)
    assert [(f["value"], f["kind"]) for f in json.loads(proc.stdout)] == [(6.5, "change")]


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

    # An article without facts (one stored by an older parkwatch: no stamp) is re-extracted
    # once, then it is up to date like the others: a second run redoes nothing.
    from archive.search_syntax import register_sqlite_functions

    with sqlite3.connect(db) as conn:
        register_sqlite_functions(conn)  # the full-text triggers call them
        conn.execute("DELETE FROM facts WHERE article_id = ?", (with_facts[1]["id"],))
        conn.execute("UPDATE articles SET text = 'The park held an open day for visitors.', "
                     "extractor_version = NULL WHERE id = ?", (with_facts[1]["id"],))
    first = workspace.run("metrics", "reextract", "--outdated", check=True)
    assert "re-extracted 1 article(s)" in first.stdout
    again = workspace.run("metrics", "reextract", "--outdated", check=True)
    assert "re-extracted 0 article(s)" in again.stdout
