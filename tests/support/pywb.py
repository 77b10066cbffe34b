"""A real local pywb (`wayback`, from its own venv: `make test` makes .venv/pywb) serving WARC
files as one collection with its CDX API, on loopback, behind a tap that logs each request's
time and can answer the next ones with 429 and a Retry-After."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYWB_BIN = REPO / ".venv" / "pywb" / "bin"
COLLECTION = "history"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Pywb:
    """`wayback` serving `warcs` in collection COLLECTION from `root`; stopped by stop()."""

    def __init__(self, root: Path, warcs: list[Path]) -> None:
        self.root, self.warcs = root, warcs
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> Pywb:
        if not (PYWB_BIN / "wayback").is_file():
            from tests.conftest import unavailable

            unavailable("pywb", f"{PYWB_BIN / 'wayback'} not found (make test installs it)")
        manager = str(PYWB_BIN / "wb-manager")
        subprocess.run([manager, "init", COLLECTION], cwd=self.root, check=True,
                       capture_output=True, timeout=60)
        subprocess.run([manager, "add", COLLECTION, *map(str, self.warcs)], cwd=self.root,
                       check=True, capture_output=True, timeout=60)
        self.port = _free_port()
        log = open(self.root / "wayback.log", "wb")  # noqa: SIM115 - the child's
        self.process = subprocess.Popen(
            [str(PYWB_BIN / "wayback"), "-p", str(self.port), "-b", "127.0.0.1"],
            cwd=self.root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"pywb exited: {(self.root / 'wayback.log').read_text()[-500:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/{COLLECTION}/cdx?url=x", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)  # polling the server's readiness within the deadline
        self.stop()
        pytest.fail("pywb did not answer in time")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None


class Tap:
    """A loopback HTTP server passing GETs on to `upstream`, logging (monotonic time, path,
    status) of each; `refuse(n, after)` answers the next n requests 429 Retry-After: after."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.log: list[tuple[float, str, int]] = []
        self._refuse = 0
        self._retry_after = 0
        self._refused_paths = ""
        self._lock = threading.Lock()
        tap = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                tap.answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def refuse(self, times: int, retry_after: int, paths: str = "id_/") -> None:
        """Answer the next `times` requests whose path holds `paths` 429, Retry-After."""
        with self._lock:
            self._refuse, self._retry_after, self._refused_paths = times, retry_after, paths

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()  # the request's time, whatever the upstream takes
        with self._lock:
            refused = self._refuse > 0 and self._refused_paths in handler.path
            self._refuse -= refused
        if refused:
            self._record(arrived, handler.path, 429)
            handler.send_response(429)
            handler.send_header("Retry-After", str(self._retry_after))
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if handler.path == "/robots.txt":
            status, headers, body = 200, [("Content-Type", "text/plain")], b"User-agent: *\n"
        else:
            status, headers, body = self._forward(handler.path)
        self._record(arrived, handler.path, status)
        handler.send_response(status)
        for name, value in headers:
            if name.lower() not in ("transfer-encoding", "connection", "content-length",
                                    "date", "server"):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _forward(self, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        request = urllib.request.Request(self.upstream + path)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, list(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, list(error.headers.items()), error.read()

    def _record(self, arrived: float, path: str, status: int) -> None:
        with self._lock:
            self.log.append((arrived, path, status))

    def start(self) -> Tap:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
