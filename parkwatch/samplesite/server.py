"""Threaded local HTTP server for sample-site pages, with ETag/Last-Modified and a request log."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator, Mapping, MutableMapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from parkwatch.samplesite.render import Page

DEFAULT_LAST_MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)


class LockedPages(MutableMapping[str, Page]):
    """A dict of pages guarded by a lock, safe to change while the server runs."""

    def __init__(self, pages: Mapping[str, Page] | None = None) -> None:
        self._lock = threading.RLock()
        self._data: dict[str, Page] = dict(pages or {})

    def __getitem__(self, key: str) -> Page:
        with self._lock:
            return self._data[key]

    def __setitem__(self, key: str, value: Page) -> None:
        with self._lock:
            self._data[key] = value

    def __delitem__(self, key: str) -> None:
        with self._lock:
            del self._data[key]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._data))

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def get_page(self, key: str) -> Page | None:
        with self._lock:
            return self._data.get(key)


def etag_for(body: bytes) -> str:
    """Strong ETag: quoted hash of the body."""
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _http_date(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return format_datetime(dt.astimezone(UTC).replace(microsecond=0), usegmt=True)


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up (a killed crawl) is not an error worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    """Serve {path: Page} on 127.0.0.1 (port 0 = any free port) in a daemon thread."""

    def __init__(self, pages: Mapping[str, Page] | None = None, host: str = "127.0.0.1",
                 port: int = 0, last_modified: datetime = DEFAULT_LAST_MODIFIED,
                 delay: float = 0.0) -> None:
        self.pages = LockedPages(pages)
        self.delay = delay  # seconds before each answer: a slow site (resume tests)
        self.fail_paths: dict[str, int] = {}
        self.default_last_modified = last_modified
        self._host = host
        self._port = port
        self._log: list[tuple[str, str, int]] = []
        self._log_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> SiteServer:
        if self._httpd is not None:
            return self
        httpd = _QuietServer((self._host, self._port), _make_handler(self))
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="samplesite-server",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL without trailing slash, e.g. http://127.0.0.1:54321."""
        return f"http://{self._host}:{self.port}"

    # ------------------------------------------------------------ request log

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """Copy of the log: (method, path, status) per request, in arrival order."""
        with self._log_lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self._log.append((method, path, status))

    # ------------------------------------------------------------ resolution

    def resolve(self, path: str) -> tuple[int, Page | None]:
        """Status and page for a request path: the path with its query (`/city/?page=2`) when
        such a page exists, else the path without it."""
        clean = urlsplit(path).path or "/"
        status = self.fail_paths.get(clean) or self.fail_paths.get(path)
        if status:
            return status, None
        page = self.pages.get_page(path) if "?" in path else None
        page = page or self.pages.get_page(clean)
        if page is None and clean.endswith("/"):
            page = self.pages.get_page(clean + "index.html")
        return (200, page) if page is not None else (404, None)


def _not_modified(handler: BaseHTTPRequestHandler, etag: str, last_modified: datetime) -> bool:
    inm = handler.headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = handler.headers.get("If-Modified-Since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        lm = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=UTC)
        return lm.replace(microsecond=0) <= since
    return False


def _make_handler(site: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "parkwatch-samplesite/1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def _send_plain(self, status: int, text: str, head: bool) -> None:
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _serve(self, head: bool) -> None:
            if site.delay:
                time.sleep(site.delay)  # the slow site's answer time, not a synchronisation
            status, page = site.resolve(self.path)
            if page is None:
                site._record(self.command, self.path, status)
                reason = "Not Found" if status == 404 else "Error"
                self._send_plain(status, f"{status} {reason}\n", head)
                return
            etag = etag_for(page.body)
            last_modified = page.last_modified or site.default_last_modified
            if _not_modified(self, etag, last_modified):
                site._record(self.command, self.path, 304)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", _http_date(last_modified))
                self.end_headers()
                return
            site._record(self.command, self.path, 200)
            self.send_response(200)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", _http_date(last_modified))
            self.end_headers()
            if not head:
                self.wfile.write(page.body)

        def do_GET(self) -> None:
            self._serve(head=False)

        def do_HEAD(self) -> None:
            self._serve(head=True)

    return Handler
