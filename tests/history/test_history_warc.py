"""The WARC page store (archive.warc): records read back as written, files rotated by size and
day, a writer killed with SIGKILL mid-record leaves a file the next writer cuts back to whole
records, retention by age, and keep_pages parsed with one clear line for a bad value."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc import (
    OPEN,
    Exchange,
    KeepPagesError,
    PageSeries,
    keep_days,
    pack,
    prune,
    read_page,
    repair_abandoned,
)
from tests.support.warcs import warc_files, warcio_accepts

REPO = Path(__file__).resolve().parents[2]


def _exchange(n: int, body: bytes | None = None) -> Exchange:
    return Exchange(
        url=f"http://e.my399.com/news/2024-01-0{n % 9 + 1}/{n}.html", status=200, reason="OK",
        response_headers=(("Content-Type", "text/html; charset=utf-8"),
                          ("Transfer-Encoding", "chunked"), ("Content-Length", "3")),
        body=body if body is not None else f"<html><p>story {n} 同比增长6.5%</p></html>".encode(),
        fetched_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        request_headers=(("User-Agent", "parkwatch-test"), ("Accept-Encoding", "gzip")))


def test_records_read_back_as_written_and_warcio_accepts_the_files(tmp_path: Path) -> None:
    series = PageSeries(tmp_path, "e-my399")
    refs = [series.write(pack(_exchange(n))) for n in range(5)]
    assert all(ref.warc_file.endswith(OPEN) is False for ref in refs)
    page = read_page(tmp_path, refs[3].warc_file, refs[3].offset)  # while still being written
    assert page.body == _exchange(3).body and page.record_id == refs[3].record_id
    series.close()
    for n, ref in enumerate(refs):
        page = read_page(tmp_path, ref.warc_file, ref.offset)
        assert (page.url, page.status, page.body) == (_exchange(n).url, 200, _exchange(n).body)
        assert page.captured_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
        # the body as stored: no chunked framing, its own length
        assert page.header("Transfer-Encoding") is None
        assert page.header("Content-Length") == str(len(_exchange(n).body))
    index = warcio_accepts(warc_files(tmp_path))
    assert [r["warc-type"] for r in index] == ["warcinfo"] + ["request", "response"] * 5


def test_a_series_rotates_past_its_size(tmp_path: Path) -> None:
    series = PageSeries(tmp_path, "e-my399", max_bytes=2_000)
    refs = [series.write(pack(_exchange(n, os.urandom(900)))) for n in range(6)]
    series.close()
    files = warc_files(tmp_path)
    assert len(files) >= 3 and len({r.warc_file for r in refs}) == len(files)
    warcio_accepts(files)
    assert all(read_page(tmp_path, r.warc_file, r.offset).record_id == r.record_id for r in refs)


WRITER = textwrap.dedent("""
    import os, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from archive.warc import Exchange, PageSeries, pack
    series = PageSeries(Path(sys.argv[1]), "e-my399")
    n = 0
    while True:  # killed by the test
        body = os.urandom(200_000)  # several pages a write: a kill can cut a record
        series.write(pack(Exchange("http://e.my399.com/news/2024-01-01/%d.html" % n, 200,
                                   (("Content-Type", "text/html"),), body,
                                   datetime.now(UTC))))
        n += 1
        if n == 3:
            print("written", flush=True)
""")


@pytest.mark.timeout(60)
def test_a_writer_killed_mid_record_leaves_a_file_the_next_writer_repairs(
        tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "written"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    left = list(tmp_path.rglob(f"*{OPEN}"))
    assert len(left) == 1
    series = PageSeries(tmp_path, "e-my399")  # the next writer of the series
    ref = series.write(pack(_exchange(1)))
    series.close()
    assert not list(tmp_path.rglob(f"*{OPEN}"))
    index = warcio_accepts(warc_files(tmp_path))  # the killed writer's file too
    assert sum(r["warc-type"] == "response" for r in index) >= 4
    assert read_page(tmp_path, ref.warc_file, ref.offset).body == _exchange(1).body


def test_a_cut_file_is_cut_back_to_its_whole_records(tmp_path: Path) -> None:
    series = PageSeries(tmp_path, "e-my399")
    refs = [series.write(pack(_exchange(n))) for n in range(3)]
    path = tmp_path / (refs[0].warc_file + OPEN)
    series._fd = None  # the process "dies": its file stays open-named  # noqa: SLF001
    os.truncate(path, path.stat().st_size - 7)
    renamed = path.with_name(path.name.replace(f"-{os.getpid()}-", "-999999999-"))
    os.rename(path, renamed)  # a pid that is not running
    assert repair_abandoned(renamed.parent) == [renamed.with_name(
        renamed.name.removesuffix(OPEN))]
    index = warcio_accepts(warc_files(tmp_path))
    assert sum(r["warc-type"] == "response" for r in index) == 2  # the cut one is gone


def test_an_open_file_of_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    series = PageSeries(tmp_path, "e-my399")
    ref = series.write(pack(_exchange(1)))
    assert repair_abandoned(tmp_path / "e-my399") == []
    assert (tmp_path / (ref.warc_file + OPEN)).is_file()
    series.close()


def test_prune_deletes_files_older_than_the_retention(tmp_path: Path) -> None:
    folder = tmp_path / "e-my399"
    folder.mkdir()
    today = date(2025, 6, 30)
    for days in (0, 364, 366, 800):
        day = today - timedelta(days=days)
        (folder / f"e-my399-{day:%Y%m%d}120000-host-1-0001.warc.gz").write_bytes(b"")
    removed = prune(tmp_path, "e-my399", 365, today)
    assert sorted(removed) == [f"e-my399/e-my399-{today - timedelta(days=d):%Y%m%d}"
                               "120000-host-1-0001.warc.gz" for d in (800, 366)]
    assert len(list(folder.iterdir())) == 2


@pytest.mark.parametrize(("setting", "days"), [("all", None), ("none", 0), ("365d", 365),
                                               (" 30D ", 30)])
def test_keep_pages_settings(setting: str, days: int | None) -> None:
    assert keep_days(setting) == days


@pytest.mark.parametrize("setting", ["", "forever", "0d", "-3d", "12"])
def test_a_bad_keep_pages_is_one_clear_line(setting: str) -> None:
    with pytest.raises(KeepPagesError) as raised:
        keep_days(setting)
    assert "\n" not in str(raised.value) and "keep_pages" in str(raised.value)
