"""Raw pages kept as WARC: per source one rotating series of gzip-per-record files (a new file
each day and past a size), each record appended whole by one process, read back by its file
and offset, and files pruned by age. Imports nothing of ours (warcio does the format).

A file being written is named `….warc.gz.open` and renamed when it is closed or rotated; the
file of a process that died (kill -9) is repaired by the next writer of that series: its tail
cut back to the end of its last whole record, then renamed. So every closed file is a valid
WARC file (`warcio check`, `warcio index`), and a record that a reference points to is whole.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import BufferWARCWriter

SUFFIX, OPEN = ".warc.gz", ".open"
ORIGINS = ("live", "import", "archive")  # how a kept page came
MAX_FILE_BYTES = 256 * 1024 * 1024  # a series rotates to a new file past this (and each day)
STALE_SECONDS = 3600.0  # another host's `.open` file untouched this long is abandoned
# Hop-by-hop framing the HTTP client already undid: the stored body is not chunked.
DROPPED_HEADERS = frozenset({"transfer-encoding"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NAME = re.compile(r"^(?P<series>.+)-(?P<stamp>\d{14})-(?P<host>[^-]+)-(?P<pid>\d+)-"
                   r"(?P<seq>\d+)\.warc\.gz(?:\.open)?$")


class KeepPagesError(ValueError):
    """A keep_pages setting that is none of "all", "none", "<N>d" (the message is one line)."""


def keep_days(setting: str) -> int | None:
    """keep_pages → days to keep each file: "all" → None (forever), "365d" → 365, "none" → 0."""
    value = str(setting).strip().lower()
    if value == "all":
        return None
    if value == "none":
        return 0
    if (match := re.fullmatch(r"(\d+)\s*d", value)) and int(match.group(1)) > 0:
        return int(match.group(1))
    raise KeepPagesError(f"bad keep_pages {setting!r}: expected \"all\", \"none\" or a number "
                         "of days such as \"365d\"")


@dataclass(frozen=True)
class Exchange:
    """One fetch as plain values (picklable: it may be packed in another process)."""

    url: str
    status: int
    response_headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...] = ()
    reason: str = ""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None


@dataclass(frozen=True)
class Packed:
    """An exchange as WARC bytes: a request and a response record, one gzip member each."""

    blob: bytes
    record_id: str  # the response record's WARC-Record-ID, `<urn:uuid:…>`
    response_at: int  # where in `blob` the response record starts
    response_length: int
    captured_at: datetime  # the records' WARC-Date


@dataclass(frozen=True)
class PageRef:
    """Where a stored page is: its response record's id, file (relative to the pages folder),
    offset and compressed length, and when it was fetched (the record's WARC-Date)."""

    record_id: str
    warc_file: str
    offset: int
    length: int
    captured_at: datetime


@dataclass(frozen=True)
class KeptPage:
    """A page kept as WARC, as it travels with the article read from it: the record, the URL
    it was fetched from, how it came (live, import, archive) and what that origin names (the
    imported file and record, the web archive's replay URL)."""

    ref: PageRef
    url: str
    origin: str = "live"
    origin_ref: str | None = None


@dataclass(frozen=True)
class StoredPage:
    """A response record read back: its URL, status, headers and decoded body."""

    record_id: str
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    captured_at: datetime

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((value for key, value in self.headers if key.lower() == lower), None)


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(moment: datetime) -> str:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _response_headers(exchange: Exchange) -> list[tuple[str, str]]:
    headers = [(k, v) for k, v in exchange.response_headers
               if k.lower() not in DROPPED_HEADERS]
    if any(k.lower() == "content-length" for k, _ in headers):  # the body as it is stored
        headers = [(k, str(len(exchange.body)) if k.lower() == "content-length" else v)
                   for k, v in headers]
    return headers


def _request_headers(exchange: Exchange) -> list[tuple[str, str]]:
    headers = list(exchange.request_headers)
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ("Host", urlsplit(exchange.url).netloc))
    return headers


def pack(exchange: Exchange, record_id: str | None = None) -> Packed:
    """The exchange as a request and a response record (one gzip member each), request first.

    Formatted here rather than by warcio's writer: this runs for every page a crawl keeps, on
    the crawl's event loop, and warcio's record builder (a level-9 compressor per record,
    digests read through its stream wrappers, header lists rebuilt) cost 0.4-0.5 ms a page
    where this costs a third of that. warcio reads every file back (tests: `warcio check`)."""
    record_id = record_id or new_record_id()
    date = warc_date(exchange.fetched_at)
    common = [("WARC-Date", date), ("WARC-Target-URI", exchange.url)]
    if exchange.ip_address:
        common.append(("WARC-IP-Address", exchange.ip_address))
    split = urlsplit(exchange.url)
    target = (split.path or "/") + (f"?{split.query}" if split.query else "")
    request_head = _http_head(f"{exchange.method} {target} {exchange.protocol}",
                              _request_headers(exchange))
    request = _record("request", new_record_id(), common + [("WARC-Concurrent-To", record_id)],
                      request_head, b"")
    status = f"{exchange.protocol} {exchange.status} {exchange.reason}".rstrip()
    response_head = _http_head(status, _response_headers(exchange))
    response = _record("response", record_id,
                       common + [("WARC-Payload-Digest", _sha1(exchange.body))],
                       response_head, exchange.body)
    return Packed(request + response, record_id, len(request), len(response),
                  exchange.fetched_at)


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _http_head(first_line: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [first_line, *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _record(kind: str, record_id: str, headers: list[tuple[str, str]], head: bytes,
            payload: bytes) -> bytes:
    """One WARC record of an HTTP message, gzipped as a member of its own."""
    digest = hashlib.sha1(head)
    digest.update(payload)
    block = "sha1:" + base64.b32encode(digest.digest()).decode("ascii")
    fields = [("WARC-Type", kind), ("WARC-Record-ID", record_id), *headers,
              ("WARC-Block-Digest", block),
              ("Content-Type", f"application/http; msgtype={kind}"),
              ("Content-Length", str(len(head) + len(payload)))]
    text = "WARC/1.0\r\n" + "".join(f"{k}: {_one_line(v)}\r\n" for k, v in fields) + "\r\n"
    member = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return (member.compress(text.encode("utf-8")) + member.compress(head)
            + member.compress(payload) + member.compress(b"\r\n\r\n") + member.flush())


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def series_name(source: str) -> str:
    """A source's name as it can stand in a file name."""
    return _UNSAFE.sub("_", source).strip("._") or "source"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class PageSeries:
    """`series.write(packed)` → PageRef: one source's rotating WARC files in `root/<source>/`,
    written by this process alone (its host and pid are in each file's name)."""

    def __init__(self, root: Path, source: str, max_bytes: int = MAX_FILE_BYTES,
                 software: str = "parkwatch") -> None:
        self.root, self.series = Path(root), series_name(source)
        self.folder = self.root / self.series
        self.max_bytes, self.software = max_bytes, software
        self.host = series_name(socket.gethostname()).replace("-", "_")[:40] or "host"
        self._fd: int | None = None
        self._name = ""
        self._day: date | None = None
        self._size = 0
        self._seq = 0
        self._lock = threading.Lock()
        self._repaired = False

    def write(self, packed: Packed) -> PageRef:
        """Append the records whole; the reference names the file's final (closed) name."""
        with self._lock:
            now = datetime.now(UTC)
            if self._fd is None or self._day != now.date() or self._size >= self.max_bytes:
                self._rotate(now)
            assert self._fd is not None
            offset = self._size
            _write_all(self._fd, packed.blob)
            self._size += len(packed.blob)
            return PageRef(packed.record_id, f"{self.series}/{self._name}",
                           offset + packed.response_at, packed.response_length,
                           packed.captured_at)

    def _rotate(self, now: datetime) -> None:
        self._close_file()
        if not self._repaired:
            self.folder.mkdir(parents=True, exist_ok=True)
            repair_abandoned(self.folder)
            self._repaired = True
        self._seq += 1
        self._day = now.date()
        self._name = (f"{self.series}-{now.strftime('%Y%m%d%H%M%S')}-{self.host}-"
                      f"{os.getpid()}-{self._seq:04d}{SUFFIX}")
        self._fd = os.open(self.folder / (self._name + OPEN),
                           os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL, 0o644)
        info = BufferWARCWriter(gzip=True)
        info.write_record(info.create_warcinfo_record(self._name, {
            "software": self.software, "format": "WARC File Format 1.0",
            "hostname": socket.gethostname(), "isPartOf": self.series}))
        head = info.get_contents()
        _write_all(self._fd, head)
        self._size = len(head)

    def _close_file(self) -> None:
        if self._fd is None:
            return
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = None
        os.replace(self.folder / (self._name + OPEN), self.folder / self._name)

    def close(self) -> None:
        """Close the file being written; a series that wrote nothing still closes the files of
        dead writers, so every run leaves its series' files closed."""
        with self._lock:
            self._close_file()
            if not self._repaired and self.folder.is_dir():
                repair_abandoned(self.folder)
                self._repaired = True


def whole_length(path: Path) -> int:
    """The length of the file's prefix made of whole gzip members (each one record)."""
    end = position = 0
    member = zlib.decompressobj(zlib.MAX_WBITS + 16)
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 16):
            while chunk:
                try:
                    member.decompress(chunk)
                except zlib.error:  # not gzip from here on: the readable prefix ends
                    return end
                if not member.eof:
                    position += len(chunk)
                    break
                position += len(chunk) - len(member.unused_data)
                end, chunk = position, member.unused_data
                member = zlib.decompressobj(zlib.MAX_WBITS + 16)
    return end


def _abandoned(path: Path, host: str) -> bool:
    """A file of this host whose writer no longer holds it open, or another host's file
    untouched for STALE_SECONDS."""
    match = _NAME.match(path.name)
    if match is not None and match["host"] == host:
        return not _held_open(int(match["pid"]), path)
    return time.time() - path.stat().st_mtime > STALE_SECONDS


def _held_open(pid: int, path: Path) -> bool:
    """Whether process `pid` of this host has the file open (a reused pid does not)."""
    target = str(path.resolve())
    try:
        return any(os.path.realpath(f"/proc/{pid}/fd/{fd}") == target
                   for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:  # no such process
        return False


def repair_abandoned(folder: Path) -> list[Path]:
    """Close the `.open` files of dead writers: cut each back to its whole records (removed
    if none is left but its warcinfo) and give it its final name. Returns the files closed."""
    host = series_name(socket.gethostname()).replace("-", "_")[:40] or "host"
    closed = []
    for path in sorted(folder.glob(f"*{SUFFIX}{OPEN}")):
        try:
            if not _abandoned(path, host):
                continue
            keep = whole_length(path)
            with open(path, "r+b") as stream:
                stream.truncate(keep)
            final = path.with_name(path.name.removesuffix(OPEN))
            os.replace(path, final)
            closed.append(final)
        except FileNotFoundError:  # another writer repaired it first
            continue
    return closed


def day_of(name: str) -> date | None:
    match = _NAME.match(Path(name).name)
    return datetime.strptime(match["stamp"][:8], "%Y%m%d").date() if match else None


def prune(root: Path, source: str, days: int, today: date | None = None) -> list[str]:
    """Delete the source's closed files started more than `days` days before today →
    their names relative to `root` (the references into them are gone too)."""
    today = today or datetime.now(UTC).date()
    folder = Path(root) / series_name(source)
    removed = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        day = day_of(path.name)
        if day is not None and day < today - timedelta(days=days):
            path.unlink(missing_ok=True)
            removed.append(f"{folder.name}/{path.name}")
    return removed


def locate(root: Path, warc_file: str) -> Path | None:
    """The file a reference names: closed, or still being written."""
    path = Path(root) / warc_file
    if path.is_file():
        return path
    being_written = path.with_name(path.name + OPEN)
    return being_written if being_written.is_file() else None


class PageGone(LookupError):
    """The record a reference points to is not there (pruned, moved, or not a response)."""


def read_page(root: Path, warc_file: str, offset: int) -> StoredPage:
    """The response record at `offset` of the file, its body decoded (chunks, gzip)."""
    path = locate(root, warc_file)
    if path is None:
        raise PageGone(f"{warc_file} is not in {root}")
    with open(path, "rb") as stream:
        stream.seek(offset)
        try:
            record = next(iter(ArchiveIterator(stream)))
        except StopIteration:
            raise PageGone(f"no record at {warc_file}:{offset}") from None
        return stored_page(record)


def stored_page(record: ArcWarcRecord) -> StoredPage:
    """A warcio response record as a StoredPage (its content decoded)."""
    if record.rec_type != "response" or record.http_headers is None:
        raise PageGone(f"the record is a {record.rec_type} record, not a response")
    body = record.content_stream().read()
    headers = record.http_headers
    when = record.rec_headers.get_header("WARC-Date") or ""
    return StoredPage(
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        status=int(headers.get_statuscode() or 0), headers=list(headers.headers), body=body,
        captured_at=parse_warc_date(when))


def parse_warc_date(text: str) -> datetime:
    """A WARC-Date (`2024-01-02T03:04:05Z`, fractions allowed; 14-digit ARC dates too)."""
    text = text.strip()
    if re.fullmatch(r"\d{14}", text):
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def series_files(root: Path, source: str) -> Iterator[Path]:
    """The source's closed WARC files, oldest first."""
    yield from sorted((Path(root) / series_name(source)).glob(f"*{SUFFIX}"))
