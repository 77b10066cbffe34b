"""Response records of WARC files made by any tool (wget --warc-file, Browsertrix and pywb,
Common Crawl, Heritrix; ARC files too) as Captures: URL, date, status, headers, decoded body,
and where the record is. A record that cannot be read is counted and skipped, and reading goes
on at the next record the file holds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from archive.warc import Exchange, parse_warc_date

MAX_BODY = 3 * 1024 * 1024  # as PARKWATCH_HTML_MAXSIZE: a larger page is not read
GZIP_MAGIC, WARC_MAGIC = b"\x1f\x8b\x08", b"WARC/1."
RESYNC_WINDOW = 64 * 1024 * 1024  # how far past a broken record the next one is looked for
# Framing the body no longer has once decoded.
DECODED_HEADERS = frozenset({"transfer-encoding", "content-encoding"})


@dataclass(frozen=True)
class Capture:
    """One response record: what was fetched, when, and where its record is."""

    url: str
    captured_at: datetime
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # decoded (chunks joined, gzip or deflate undone)
    file: str
    offset: int
    record_id: str

    def header(self, name: str) -> str:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), "")

    @property
    def charset(self) -> str | None:
        kind = self.header("Content-Type")
        return kind.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in kind \
            else None

    def exchange(self) -> Exchange:
        """The capture as an exchange to keep in the archive's own WARC series (its body
        decoded, so without the encoding headers)."""
        headers = tuple((k, v) for k, v in self.headers if k.lower() not in DECODED_HEADERS)
        return Exchange(url=self.url, status=self.status, response_headers=headers,
                        body=self.body, fetched_at=self.captured_at)


@dataclass
class ReadCounts:
    """What reading WARC files met (records of every type, responses, unreadable ones)."""

    records: int = 0
    responses: int = 0
    bad: int = 0
    too_large: int = 0
    errors: list[str] = field(default_factory=list)  # the first few reasons, one line each

    def failed(self, where: str, exc: BaseException) -> None:
        self.bad += 1
        if len(self.errors) < 5:
            self.errors.append(f"{where}: {type(exc).__name__}: {str(exc)[:120]}")


def target_uri(value: str | None) -> str:
    """WARC-Target-URI, without the angle brackets some WARC/1.0 writers put around it."""
    return (value or "").strip().removeprefix("<").removesuffix(">")


def captures(path: Path, counts: ReadCounts | None = None, skip: int = 0,
             max_body: int = MAX_BODY) -> Iterator[Capture]:
    """The file's response records in order, after the first `skip` records."""
    counts = counts if counts is not None else ReadCounts()
    seen = 0
    with open(path, "rb") as stream:
        start: int | None = 0
        while start is not None:
            stream.seek(start)
            records = ArchiveIterator(stream, arc2warc=True)
            end = start  # where the record being read starts
            try:
                for record in records:
                    seen += 1
                    capture = None
                    if seen > skip:
                        counts.records += 1
                        capture = _capture(record, path, counts, max_body)
                    # (warcio finds a record's offset by reading it to its end: after the body)
                    offset = records.get_record_offset()
                    end = offset + records.get_record_length()
                    if capture is not None:
                        yield replace(capture, offset=offset)
                start = None
            except Exception as exc:  # noqa: BLE001 - a broken record: on to the next one
                counts.failed(f"{path.name} at {end}", exc)
                start = _next_record(stream, end + 1)


def _capture(record: ArcWarcRecord, path: Path, counts: ReadCounts,
             max_body: int) -> Capture | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    counts.responses += 1
    headers = record.http_headers
    status = headers.get_statuscode()
    try:
        body = record.content_stream().read(max_body + 1)
    except Exception as exc:  # noqa: BLE001 - a body that does not decode
        counts.failed(f"{path.name}", exc)
        return None
    if len(body) > max_body:
        counts.too_large += 1
        return None
    when = record.rec_headers.get_header("WARC-Date") or ""
    try:
        captured_at = parse_warc_date(when)
        code = int(status or 0)
    except ValueError as exc:
        counts.failed(f"{path.name}", exc)
        return None
    return Capture(
        url=target_uri(record.rec_headers.get_header("WARC-Target-URI")),
        captured_at=captured_at, status=code, headers=tuple(headers.headers), body=body,
        file=str(path), offset=-1,
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "")


def _next_record(stream: io.BufferedReader, after: int) -> int | None:
    """The offset of the next gzip member or WARC header after `after`, if any is near."""
    stream.seek(after)
    window = stream.read(RESYNC_WINDOW)
    found = [i for i in (window.find(GZIP_MAGIC), window.find(b"\n" + WARC_MAGIC))
             if i >= 0]
    if not found:
        return None
    first = min(found)
    return after + first + (1 if window[first:first + 1] == b"\n" else 0)
