"""Checks of the WARC files a crawl keeps: valid for warcio's own `check` and `index`, and every
stored article pointing to the record of the very bytes the server sent for its URL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import text

from archive.db import get_engine
from archive.warc import read_page

WARCIO = str(Path(sys.executable).with_name("warcio"))


def warc_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.warc.gz"))


def warcio_accepts(files: list[Path]) -> list[dict]:
    """`warcio check` passes on every file and `warcio index` lists its records."""
    assert files, "no WARC file written"
    check = subprocess.run([WARCIO, "check", *map(str, files)], capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    index = subprocess.run([WARCIO, "index", *map(str, files)], capture_output=True, text=True,
                           timeout=60, check=True)
    return [json.loads(line) for line in index.stdout.splitlines() if line.strip()]


def assert_pages_kept(pages_root: Path, database_url: str, served: dict) -> int:
    """Every stored article names a kept record whose body is what the server serves at its
    path (`served`: path → Page); returns how many articles were checked."""
    assert not list(pages_root.rglob("*.open")), "a file left open after the crawl"
    index = warcio_accepts(warc_files(pages_root))
    responses = {r["warc-target-uri"] for r in index if r.get("warc-type") == "response"}
    with get_engine(database_url).connect() as conn:
        rows = conn.execute(text(
            "SELECT a.url, a.page_record, p.warc_file, p.warc_offset, p.origin "
            "FROM articles a LEFT JOIN pages p ON p.record_id = a.page_record")).all()
    assert rows
    for url, record_id, warc_file, offset, origin in rows:
        assert record_id and warc_file, f"{url} names no kept page"
        assert origin == "live" and url in responses
        page = read_page(pages_root, warc_file, offset)
        assert (page.record_id, page.url, page.status) == (record_id, url, 200)
        assert page.body == served[urlsplit(url).path].body, url
    return len(rows)
