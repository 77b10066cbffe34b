"""`import` (crawler.history.imports): the WARC file `wget --warc-file` makes of a fixture site,
given to `parkwatch import`, stores the same articles as a crawl of it, each first seen at its
capture's date and pointing to its kept record; a second import stores nothing; a broken
record is counted and skipped and the records after it are still read; a killed import goes
on (tests/history/test_history_kills.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from archive.db import get_engine
from archive.warc import read_page
from crawler.history.captures import ReadCounts, captures
from crawler.history.imports import import_warcs
from foundation.profile import Profile
from tests.docs.sandbox import in_process
from tests.support.sites import CRAWLED, PROFILE, article_path, by_path, serve
from tests.support.warcs import warc_files, warcio_accepts

REPO = Path(__file__).resolve().parents[2]
FIELDS = ("title", "published", "url_date", "section", "author", "byline_source", "text",
          "topics")


@pytest.fixture(scope="module")
def site():
    server = serve("classic")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def wget_warc(site, tmp_path_factory) -> Path:
    """wget's WARC of the site, walked from each section's listing as a crawl walks it."""
    if shutil.which("wget") is None:
        pytest.skip("wget is not installed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("wget")
    starts = [PROFILE.listing_url(s, 0).replace(PROFILE.base_url, site.url)
              for s in PROFILE.sections]
    subprocess.run(["wget", "--quiet", "--recursive", "--level=inf", "--no-parent",
                    "--delete-after", "--no-directories", "--tries=1", "--timeout=10",
                    "--warc-file", str(folder / "site"), *starts], cwd=folder, timeout=120,
                   check=False)  # exit 8 when a listing names a page the site does not have
    path = folder / "site.warc.gz"
    assert path.is_file()
    return path


def _profile(site) -> Profile:
    return PROFILE.model_copy(update={"base_url": site.url})


def _stored(database_url: str) -> dict[str, dict]:
    with get_engine(database_url).connect() as conn:
        rows = conn.execute(text(
            "SELECT a.url, a.title, a.published, a.url_date, a.section, a.author, "
            "a.byline_source, a.text, a.topics, a.first_seen, a.page_record, p.warc_file, "
            "p.warc_offset, p.origin, p.origin_ref, "
            "(SELECT count(*) FROM facts f WHERE f.article_id = a.id) AS facts "
            "FROM articles a LEFT JOIN pages p ON p.record_id = a.page_record")).mappings()
        return by_path([dict(r) for r in rows])


def test_wget_warc_imports_as_a_crawl_stores(site, wget_warc, workspace, tmp_path) -> None:
    workspace.point(site.url)
    workspace.crawl()
    crawled = _stored(workspace.database_url)
    assert sorted(crawled) == sorted(article_path(r) for r in CRAWLED)
    imported_url = f"sqlite:///{tmp_path / 'imported.db'}"
    into = workspace.env(PARKWATCH_DATABASE_URL=imported_url, PARKWATCH_HOME=str(tmp_path),
                         PARKWATCH_PARSE_WORKERS="2")  # the archive's pages in tmp_path/pages
    done = in_process(["import", str(wget_warc), "--source", "e-my399", "--json"], into,
                      workspace.root)
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    imported = _stored(imported_url)
    assert sorted(imported) == sorted(crawled)
    assert summary["new"] + summary["aliases"] == len(crawled) and summary["read"]["bad"] == 0
    for path, article in imported.items():
        assert {k: article[k] for k in FIELDS} == {k: crawled[path][k] for k in FIELDS}, path
        assert article["facts"] == crawled[path]["facts"]
        # first seen when wget fetched it (not when it was imported), from its own record
        assert article["first_seen"] < str(datetime.now(UTC).replace(tzinfo=None))
        assert article["origin"] == "import"
        assert article["origin_ref"].startswith("site.warc.gz:")
        kept = read_page(tmp_path / "pages", article["warc_file"], article["warc_offset"])
        assert kept.body == site.pages[path].body
    warcio_accepts(warc_files(tmp_path / "pages"))
    again = in_process(["import", str(wget_warc), "--source", "e-my399"],
                       {**into, "PARKWATCH_PARSE_WORKERS": "0"}, workspace.root)
    assert "import into e-my399: 1 file(s) (1 imported before), 0 records" in again.stdout
    assert " 0 stored (0 new, 0 updated" in again.stdout
    assert _stored(imported_url) == imported


def _garbled(source: Path, target: Path) -> int:
    """A copy of the WARC file with its 5th response record's gzip member broken → the
    number of response records left whole."""
    offsets = sorted({c.offset for c in captures(source)})
    broken = bytearray(source.read_bytes())
    broken[offsets[4] + 20: offsets[4] + 60] = b"\x00" * 40  # inside the compressed record
    target.write_bytes(bytes(broken))
    return len(offsets) - 1


def test_a_broken_record_is_counted_and_skipped(site, wget_warc, tmp_path) -> None:
    broken = tmp_path / "broken.warc.gz"
    whole = _garbled(wget_warc, broken)
    counts = ReadCounts()
    found = list(captures(broken, counts))
    assert counts.bad == 1 and len(found) == whole
    summary = import_warcs(f"sqlite:///{tmp_path / 'a.db'}", _profile(site), [broken],
                           tmp_path / "pages", workers=0)
    assert summary.read.bad == 1 and summary.new >= len(CRAWLED) - 2

