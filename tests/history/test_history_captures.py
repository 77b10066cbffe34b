"""Response records of the WARC layouts other tools write, read as captures: Common Crawl's
(WARC/1.0, a gzip member per record: warcinfo, request, response, metadata; truncated
payloads), Browsertrix's (WARC/1.1, revisit records, resource records of page info, a body
sent gzip and chunked), wget's uncompressed files and ARC files; other record types skipped."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.history.captures import ReadCounts, captures

PAGE = b"<html><body><h1>Zone</h1><p>Updated : 2024-03-01</p></body></html>"


def _http(body: bytes, *extra: tuple[str, str]) -> StatusAndHeaders:
    return StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), *extra],
                            protocol="HTTP/1.1")


def _write(path: Path, version: str, gzipped: bool, records: list[tuple]) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped, warc_version=version)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for kind, url, payload, http, headers in records:
            writer.write_record(writer.create_warc_record(
                url, kind, payload=io.BytesIO(payload), length=len(payload),
                http_headers=http, warc_headers_dict=headers))


def test_common_crawl_layout(tmp_path: Path) -> None:
    path = tmp_path / "CC-MAIN-20240301000000-20240301030000-00000.warc.gz"
    url = "https://e.my399.com/news/2024-03-01/1.html"
    _write(path, "1.0", True, [
        ("request", url, b"", StatusAndHeaders("GET /news/2024-03-01/1.html HTTP/1.1",
                                               [("Host", "e.my399.com")],
                                               is_http_request=True), {}),
        ("response", url, PAGE, _http(PAGE), {
            "WARC-Date": "2024-03-01T01:02:03Z", "WARC-IP-Address": "10.0.0.1",
            "WARC-Identified-Payload-Type": "text/html"}),
        ("metadata", url, b"fetchTimeMs: 120\r\n", None,
         {"WARC-Date": "2024-03-01T01:02:03Z"}),
        ("response", url.replace("1.html", "2.html"), PAGE[:20], _http(PAGE[:20]), {
            "WARC-Date": "2024-03-01T01:02:04Z", "WARC-Truncated": "length"}),
    ])
    counts = ReadCounts()
    found = list(captures(path, counts))
    assert [c.url for c in found] == [url, url.replace("1.html", "2.html")]
    assert found[0].body == PAGE and found[0].captured_at == datetime(2024, 3, 1, 1, 2, 3,
                                                                      tzinfo=UTC)
    assert found[0].charset == "utf-8" and found[0].status == 200
    assert (counts.records, counts.responses, counts.bad) == (5, 2, 0)


def test_browsertrix_layout(tmp_path: Path) -> None:
    path = tmp_path / "rec-20240301010203-crawler.warc.gz"
    url = "http://e.my399.com/news/2024-03-01/1.html"
    squeezed = gzip.compress(PAGE)
    chunked = f"{len(squeezed):x}\r\n".encode() + squeezed + b"\r\n0\r\n\r\n"
    _write(path, "1.1", True, [
        ("response", f"<{url}>", chunked,
         _http(chunked, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")),
         {"WARC-Date": "2024-03-01T01:02:03.123456Z", "WARC-Page-ID": "abc"}),
        ("revisit", url, b"", _http(b""), {"WARC-Date": "2024-04-01T00:00:00Z",
                                           "WARC-Refers-To-Target-URI": url}),
        ("resource", "urn:pageinfo:" + url, b'{"pages": []}', None,
         {"Content-Type": "application/json"}),
    ])
    counts = ReadCounts()
    found = list(captures(path, counts))
    assert len(found) == 1
    assert found[0].url == url and found[0].body == PAGE  # brackets off, chunks joined, gunzip
    assert found[0].captured_at == datetime(2024, 3, 1, 1, 2, 3, 123456, tzinfo=UTC)
    kept = found[0].exchange()
    assert not {k.lower() for k, _ in kept.response_headers} & {"content-encoding",
                                                                 "transfer-encoding"}


def test_uncompressed_warc_and_a_cut_tail(tmp_path: Path) -> None:
    path = tmp_path / "site.warc"
    urls = [f"http://e.my399.com/news/2024-03-0{n}/{n}.html" for n in (1, 2, 3)]
    _write(path, "1.0", False, [("response", u, PAGE, _http(PAGE),
                                 {"WARC-Date": "2024-03-01T00:00:00Z"}) for u in urls])
    data = path.read_bytes()
    path.write_bytes(data[:-60])  # the last record cut short (a crawl that died)
    counts = ReadCounts()
    found = list(captures(path, counts))
    assert [c.url for c in found[:2]] == urls[:2]
    assert counts.records >= 3


def test_arc_files_read_too(tmp_path: Path) -> None:
    path = tmp_path / "old.arc.gz"
    header = b"filedesc://old.arc 0.0.0.0 20050101000000 text/plain 75\n1 0 test\nURL IP-address Archive-date Content-type Archive-length\n\n\n"  # noqa: E501
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE
    url = "http://e.my399.com/news/2005-01-01/1.html"
    record = f"\n{url} 1.2.3.4 20050101000000 text/html {len(http)}\n".encode()[1:] + http + b"\n"
    path.write_bytes(gzip.compress(header) + gzip.compress(record))
    found = list(captures(path))
    assert [(c.url, c.body, c.captured_at.year) for c in found] == [(url, PAGE, 2005)]
