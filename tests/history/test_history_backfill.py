"""`parkwatch backfill` from a web archive: a real pywb on loopback serves older captures of a
fixture site whose listings no longer link its older articles; after a crawl has stored what
the listings link, the backfill stores the rest from the captures (marked as from the archive,
first seen at their capture time, kept as WARC), at the configured rate, honouring a
Retry-After; a second backfill asks for no capture again."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from archive.db import get_engine
from archive.warc import Exchange, pack
from crawler.history.cdx import CdxCapture, parse_listing, query_url, replay_prefix_for
from parkwatch.samplesite import SiteServer, build_site, generate_records
from tests.support.kills import archive_intact, killed_when, stored
from tests.support.pywb import COLLECTION, Pywb, Tap
from tests.support.warcs import warc_files, warcio_accepts

SECTIONS = ["business/parks", "news"]
RECORDS = generate_records(14, sections=SECTIONS, seed=5)
OLDER, NEWER = RECORDS[:9], RECORDS[9:]  # the site's listings link only the newer now
CAPTURED = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
RATE = 4.0  # requests a second to the archive


def _path(record: dict) -> str:
    return f"/{record['section']}/{record['url_date']}/{record['id']}.html"


def _captures_warc(path: Path, base_url: str) -> None:
    """What a web archive captured of the site when it still listed every article."""
    pages = build_site(RECORDS, per_page=3, base_url=base_url)
    with open(path, "wb") as out:
        for n, (page_path, page) in enumerate(sorted(pages.items())):
            out.write(pack(Exchange(
                url=base_url + page_path, status=200, reason="OK",
                response_headers=(("Content-Type", page.content_type),
                                  ("Content-Length", str(len(page.body)))),
                body=page.body, fetched_at=CAPTURED + timedelta(minutes=n))).blob)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """(the site now, pywb behind a tap, the older captures' bodies by path)."""
    root = tmp_path_factory.mktemp("pywb")
    site = SiteServer().start()
    try:
        _captures_warc(root / "captures.warc.gz", site.url)
        site.pages.update(build_site(NEWER, per_page=3, base_url=site.url))
        pywb = Pywb(root, [root / "captures.warc.gz"]).start()
        tap = Tap(pywb.url).start()
        try:
            yield site, tap
        finally:
            tap.stop()
            pywb.stop()
    finally:
        site.stop()


def test_the_cdx_listing_of_pywb_reads(archive) -> None:
    site, tap = archive
    url = query_url(f"{tap.url}/{COLLECTION}/cdx", site.url)
    with urllib.request.urlopen(url, timeout=30) as answer:
        found, resume = parse_listing(answer.read().decode())
    paths = {urlsplit(c.original).path for c in found}
    assert {_path(r) for r in RECORDS} <= paths and resume is None
    assert all(c.captured_at >= CAPTURED for c in found)
    assert replay_prefix_for(f"{tap.url}/{COLLECTION}/cdx") == f"{tap.url}/{COLLECTION}"


def test_wayback_shapes_read() -> None:
    rows = ('[["timestamp","original","statuscode","mimetype","digest"],'
            '["20190102030405","http://e.my399.com/news/2019-01-01/1.html","200",'
            '"text/html","AAA"],[],["resume-key-1"]]')
    found, resume = parse_listing(rows)
    assert found == [CdxCapture("20190102030405", "http://e.my399.com/news/2019-01-01/1.html",
                                "200", "text/html", "AAA")]
    assert resume == "resume-key-1"
    plain = "news,e.my399)/1.html 20190102030405 http://e.my399.com/news/1.html text/html 200 X 9"
    assert parse_listing(plain)[0][0].statuscode == "200"
    assert found[0].replay_url("https://web.archive.org/web") == (
        "https://web.archive.org/web/20190102030405id_/http://e.my399.com/news/2019-01-01/1.html")


def _backfill(workspace, tap, *args: str) -> subprocess.CompletedProcess[str]:
    """`parkwatch backfill` as a user runs it (a reactor per process: in a child)."""
    return workspace.run("backfill", "--source", "e-my399", "--archive", "wayback",
                         "--rate", str(RATE), "-s", "PARKWATCH_RETRY_BACKOFF_BASE=0", *args,
                         PARKWATCH_ARCHIVE_CDX=f"{tap.url}/{COLLECTION}/cdx")


def _stored(database_url: str) -> dict[str, dict]:
    with get_engine(database_url).connect() as conn:
        rows = conn.execute(text(
            "SELECT a.id, a.url, a.title, a.first_seen, a.text, p.origin, p.origin_ref, "
            "p.captured_at FROM articles a LEFT JOIN pages p ON p.record_id = a.page_record"
        )).mappings()
        return {urlsplit(r["url"]).path: dict(r) for r in rows}


@pytest.mark.timeout(240)
def test_backfill_stores_what_no_listing_links_any_more(archive, workspace) -> None:
    site, tap = archive
    sections = ", ".join(f'"{s}"' for s in SECTIONS)
    workspace.point(site.url, f"sections = [{sections}]\n")
    workspace.crawl()
    assert set(_stored(workspace.database_url)) == {_path(r) for r in NEWER}
    later = _backfill(workspace, tap, "--from", "2026")  # the captures are of 2025
    assert later.returncode == 0 and " 0 captures fetched: 0 new" in later.stdout, later.stdout
    assert not [p for _, p, _ in tap.log if "id_/" in p]
    tap.log.clear()
    tap.refuse(1, retry_after=1)  # the archive asks the first capture's request to wait
    done = _backfill(workspace, tap)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (f" captures listed, {len(RECORDS)} article "
            f"URLs, {len(NEWER)} already stored; {len(OLDER)} captures fetched: {len(OLDER)} "
            "new, 0 updated") in done.stdout, done.stdout
    stored = _stored(workspace.database_url)
    assert set(stored) == {_path(r) for r in RECORDS}
    for record in OLDER:
        article = stored[_path(record)]
        assert article["title"] == record["title"]
        assert article["text"].split("\n") == record["paragraphs"]
        assert article["origin"] == "archive"
        assert article["origin_ref"].startswith(f"{tap.url}/{COLLECTION}/2025")
        assert article["origin_ref"].endswith(f"id_/{site.url}{_path(record)}")
        # first seen when the archive captured it, not when it was backfilled
        assert str(article["first_seen"]).startswith("2025-03-01")
    for record in NEWER:
        assert stored[_path(record)]["origin"] == "live"
    shown = json.loads(workspace.run("articles", "show", str(stored[_path(OLDER[0])]["id"]),
                                     "--json", check=True).stdout)["provenance"]
    assert (shown["reading"], shown["origin"]) == ("archive", "archive")
    assert shown["replay_url"] == stored[_path(OLDER[0])]["origin_ref"]
    assert shown["captured_at"].startswith("2025-03-01")
    captures = [(t, p, s) for t, p, s in tap.log if "id_/" in p]
    assert len([c for c in captures if c[2] == 200]) == len(OLDER)  # no newer one asked for
    refused = next(c for c in captures if c[2] == 429)
    retried = next(c for c in captures if c[1] == refused[1] and c[2] == 200)
    assert retried[0] - refused[0] >= 1.0 - 0.05  # its Retry-After
    times = sorted(t for t, _, _ in tap.log)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 1 / RATE - 0.05, list(zip(gaps, tap.log[1:], strict=False))
    warcio_accepts(warc_files(workspace.root / "pages"))
    tap.log.clear()
    again = _backfill(workspace, tap)
    assert again.returncode == 0, again.stderr[-2000:]
    assert not [p for _, p, _ in tap.log if "id_/" in p]  # nothing asked twice
    assert _stored(workspace.database_url) == stored



@pytest.mark.timeout(240)
def test_backfill_killed_twice_then_run_once_stores_every_capture_once(archive,
                                                                        workspace) -> None:
    """kill -9 when the archive holds 3, then 7 of the captures' articles (mid-write), then one
    normal run: every capture stored once, integrity ok, every record readable, no open file."""
    site, tap = archive
    sections = ", ".join(f'"{s}"' for s in SECTIONS)
    workspace.point(site.url, f"sections = [{sections}]\n")
    db = workspace.root / "archive.db"
    argv = [sys.executable, "-m", "parkwatch", "backfill", "--source", "e-my399",
            "--rate", "8", "-s", "PARKWATCH_RETRY_BACKOFF_BASE=0"]
    env = workspace.env(PARKWATCH_ARCHIVE_CDX=f"{tap.url}/{COLLECTION}/cdx")
    for at in (3, 7):
        assert killed_when(argv, workspace.root, env, lambda at=at: stored(db) >= at)
        assert at <= stored(db) < len(RECORDS)
    subprocess.run(argv, cwd=workspace.root, env=env, check=True, capture_output=True,
                   timeout=120)
    found = archive_intact(db, workspace.root / "pages")
    assert set(found) == {_path(r) for r in RECORDS}
    assert {a["origin"] for a in _stored(workspace.database_url).values()} == {"archive"}
