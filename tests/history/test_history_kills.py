"""kill -9 during `parkwatch reread`, `import` and `backfill`, twice each at moments chosen by
observed progress (revisions recorded, articles stored — never a timer), then one normal run:
nothing lost, nothing stored or revised twice, SQLite's integrity check passes, every article's
WARC record reads and no WARC file is left open. (bench/bench_history_kills.py does the same at
random moments, many times.)"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc import Exchange, pack
from crawler.history.imports import import_warcs
from foundation.settings import load_settings
from parkwatch.samplesite import build_site, generate_records
from tests.support.kills import archive_intact, killed_when, stored

BASE = "http://e.my399.com"
RECORDS = generate_records(40, sections=["business/parks", "news"], seed=11)


def _path(record: dict) -> str:
    return f"/{record['section']}/{record['url_date']}/{record['id']}.html"


def _captures(path: Path, records: list[dict], base_url: str = BASE) -> Path:
    pages = build_site(records, per_page=4, base_url=base_url)
    with open(path, "wb") as out:
        for n, (page_path, page) in enumerate(sorted(pages.items())):
            out.write(pack(Exchange(base_url + page_path, 200,
                                    (("Content-Type", page.content_type),), page.body,
                                    datetime(2024, 5, 1, tzinfo=UTC) + timedelta(hours=n))
                           ).blob)
    return path


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "parkwatch", *args]


def _revisions(db: Path) -> dict[int, int]:
    """{article id: its reread revisions}"""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return dict(conn.execute("SELECT article_id, count(*) FROM revisions "
                                     "WHERE reason = 'reread' GROUP BY article_id"))
    except sqlite3.Error:
        return {}


def _texts(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return {url.removeprefix(BASE): text for url, text in
                conn.execute("SELECT url, text FROM articles")}


@pytest.mark.timeout(240)
def test_reread_killed_twice_then_run_once_revises_each_article_once(workspace) -> None:
    workspace.point(BASE)
    db = workspace.root / "archive.db"
    warc = _captures(workspace.root / "captures.warc.gz", RECORDS)
    profile = load_settings(workspace.config).source("e-my399")
    assert import_warcs(workspace.database_url, profile, [warc], workspace.root / "pages",
                        workers=0).new == len(RECORDS)
    # the rule change: the generic reader, and every story's last paragraph is furniture
    rule = "^(?:" + "|".join(re.escape(r["paragraphs"][-1][:30]) for r in RECORDS) + ")"
    workspace.point(BASE, f'reader = "generic"\nfurniture = [{json.dumps(rule)}]\n')
    argv = _command("reread", "--source", "e-my399", "--batch", "5", "--json")
    for at in (7, 22):  # mid-batch: by the revisions recorded so far
        assert killed_when(argv, workspace.root, workspace.env(),
                           lambda at=at: sum(_revisions(db).values()) >= at)
        assert at <= sum(_revisions(db).values()) < len(RECORDS)
    last = subprocess.run(argv, cwd=workspace.root, env=workspace.env(), capture_output=True,
                          text=True, timeout=120, check=True)
    summary = json.loads(last.stdout)["e-my399"]
    assert summary["resumed_after"] > 0 and summary["read"] < len(RECORDS)  # it went on
    revised = _revisions(db)
    assert len(revised) == len(RECORDS) and set(revised.values()) == {1}  # once each
    texts = _texts(db)
    assert {path: text.split("\n") for path, text in texts.items()} == {
        _path(r): [p for p in r["paragraphs"] if not re.search(rule, p, re.I)]
        for r in RECORDS}
    archive_intact(db, workspace.root / "pages")


@pytest.mark.timeout(240)
def test_import_command_killed_twice_then_run_once_stores_everything_once(workspace) -> None:
    workspace.point(BASE)
    db = workspace.root / "archive.db"
    warc = _captures(workspace.root / "captures.warc.gz", RECORDS)
    argv = _command("import", str(warc), "--source", "e-my399", "--batch", "5")
    for at in (6, 21):  # by the stored count: mid-batch and mid-write moments
        assert killed_when(argv, workspace.root, workspace.env(), lambda at=at: stored(db) >= at)
        assert at <= stored(db) < len(RECORDS)
    done = subprocess.run(argv, cwd=workspace.root, env=workspace.env(), capture_output=True,
                          text=True, timeout=120, check=True)
    assert "import into e-my399: 1 file(s)," in done.stdout
    assert set(archive_intact(db, workspace.root / "pages")) == {_path(r) for r in RECORDS}
