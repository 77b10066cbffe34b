"""A hostile local news site: good articles among dozens of kinds of bad responses.

`HostileSite` serves, on 127.0.0.1, one listing page (/news/index.html) linking to the bundled
sample site's articles (good) and to one article-shaped URL per hostile kind (KINDS). Each kind
says what a correct crawl makes of it: "article" (stored correctly), "skip" (not stored, a
reasoned skip or failure in the log) or "either". Raw sockets, so it can also misbehave below
HTTP (resets, truncation, trickling, broken chunking). Used by tests/reliability and
bench/bench_hostile.py; `scale` grows the big pages for the bench.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from parkwatch.samplesite import article_path, load_records
from parkwatch.samplesite.render import render_article


@dataclass(frozen=True)
class Kind:
    name: str
    expect: str  # article | skip | either
    what: str


KINDS = [
    Kind("status_500", "skip", "500 on every try"),
    Kind("status_503_retry_after", "article", "503 with Retry-After: 1, then the article"),
    Kind("status_429_retry_after", "article", "429 with Retry-After (HTTP date), then the article"),
    Kind("status_503_forever", "skip", "503 with Retry-After on every try"),
    Kind("status_404", "skip", "404"),
    Kind("status_403", "skip", "403"),
    Kind("redirect_loop", "skip", "302 to itself, forever"),
    Kind("redirect_chain_ok", "article", "two 301 hops to an article on the same origin"),
    Kind("redirect_offsite", "skip", "302 to another host"),
    Kind("redirect_other_port", "skip", "302 to another port of the same host"),
    Kind("redirect_https", "skip", "302 to https on the same host and port"),
    Kind("meta_refresh_loop", "skip", "<meta refresh> to itself, forever"),
    Kind("wrong_content_type", "either", "an article served as application/octet-stream"),
    Kind("binary_as_html", "skip", "random bytes labelled text/html"),
    Kind("image", "skip", "a PNG"),
    Kind("gzip_bomb", "skip", "40 MB of zeros gzipped to ~40 KB"),
    Kind("truncated_body", "skip", "Content-Length 20000, 2000 bytes, then close"),
    Kind("connection_reset", "skip", "the connection is reset (RST) before any answer"),
    Kind("close_no_answer", "skip", "the connection is closed before any answer"),
    Kind("garbage_status_line", "skip", "an answer that is not HTTP"),
    Kind("broken_chunked", "skip", "chunked encoding with a bad chunk size"),
    Kind("invalid_utf8", "either", "an article with invalid UTF-8 bytes"),
    Kind("wrong_charset", "either", "UTF-8 article declared iso-8859-1"),
    Kind("gbk_declared_utf8", "either", "a GBK page declared UTF-8"),
    Kind("nul_bytes", "either", "an article with NUL bytes"),
    Kind("many_paragraphs", "either", "an article followed by tens of thousands of <p>"),
    Kind("huge_html", "skip", "5 MB of <p> (over the HTML size guard)"),
    Kind("deep_nesting", "either", "an article inside 50,000 nested <div>"),
    Kind("huge_attribute", "either", "an article with a 1 MB attribute"),
    Kind("giant_line", "either", "1 MB of text on one line, no markup"),
    Kind("slow_trickle", "either", "the article, 400 bytes every 0.1 s"),
    Kind("empty_200", "skip", "200 with an empty body"),
    Kind("html_without_body", "skip", "<html><head> only"),
    Kind("js_only", "skip", "a page drawn by JavaScript"),
    Kind("title_only", "skip", "a title and three words"),
    Kind("xml_feed", "skip", "an RSS document"),
    Kind("duplicate_article", "either", "a copy of a good article at another URL"),
    Kind("no_content_length", "either", "the article, HTTP/1.0 style, ended by close"),
]


def _path(index: int) -> str:
    return f"/news/2024-02-{1 + index % 28:02d}/{90_000 + index}.html"


def _http(status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
          headers: dict[str, str] | None = None, reason: str = "X") -> bytes:
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {ctype}",
            f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class HostileSite:
    """The hostile site on 127.0.0.1 (port 0: any free port), in daemon threads."""

    def __init__(self, scale: float = 1.0, good: int = 12, robots: str = "allow") -> None:
        """`robots`: allow | disallow | 404 | 500 | hang (robots.txt never answers)."""
        self.scale, self.robots = scale, robots
        self.stop = threading.Event()
        records = [r for r in load_records() if not r.get("lying_charset")]
        self.good = records[:good]
        self.kinds = list(KINDS)
        self.paths = {k.name: _path(i) for i, k in enumerate(self.kinds)}
        self.kind_of = {p: k for k, p in self.paths.items()}
        self._pages = {article_path(r): render_article(r) for r in self.good}
        self._tries: dict[str, int] = {}
        self._lock = threading.Lock()
        self.requests: list[str] = []
        self.times: list[tuple[float, str]] = []  # (time.monotonic(), request target)
        self._server: socketserver.ThreadingTCPServer | None = None

    # -- lifecycle --------------------------------------------------------------------
    def __enter__(self) -> HostileSite:
        site = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                site._handle(self.request)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- content ----------------------------------------------------------------------
    def good_paths(self) -> list[str]:
        return list(self._pages)

    def listing(self) -> bytes:
        links = [f'<li><a href="{p}">{r["title"]}</a></li>'
                 for p, r in zip(self._pages, self.good, strict=True)]
        links += [f'<li><a href="{self.paths[k.name]}">Story {i}</a></li>'
                  for i, k in enumerate(self.kinds)]
        return ("<html><head><title>Harbin Today</title></head><body><ul>"
                + "".join(links) + "</ul></body></html>").encode()

    def _article(self, n: int = 0) -> bytes:
        return render_article(self.good[0] | {"id": 70_000 + n, "title": title(n),
                                              "paragraphs": paragraphs(n), "teasers": [],
                                              "captions": []})

    def _tried(self, path: str) -> int:
        with self._lock:
            self._tries[path] = self._tries.get(path, 0) + 1
            return self._tries[path]

    # -- the wire ---------------------------------------------------------------------
    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
        except OSError:
            return
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split()
        path = urlsplit(parts[1]).path if len(parts) > 1 else "/"
        with self._lock:
            self.requests.append(parts[1] if len(parts) > 1 else "?")
            self.times.append((time.monotonic(), parts[1] if len(parts) > 1 else "?"))
        try:
            self._answer(conn, path, parts[1] if len(parts) > 1 else "/")
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _answer(self, conn: socket.socket, path: str, target: str) -> None:
        send = conn.sendall
        if path == "/robots.txt":
            return self._robots(conn)
        if path == "/news/index.html":
            return send(_http(200, self.listing()))
        if path in self._pages:
            return send(_http(200, self._pages[path]))
        kind = self.kind_of.get(path)
        if kind is None:
            return send(_http(404, b"not found", "text/plain"))
        handler: Callable[[socket.socket, str, str], None] = getattr(self, f"_k_{kind}")
        handler(conn, path, target)

    def _robots(self, conn: socket.socket) -> None:
        if self.robots == "hang":
            self.stop.wait(30)  # bounded: the client's timeout ends it first
            return None
        answers = {"allow": (200, b"User-agent: *\nAllow: /\n"),
                   "disallow": (200, b"User-agent: *\nDisallow: /news/\n"),
                   "404": (404, b"User-agent: *\nDisallow: /\n"),  # a 4xx body is not rules
                   "500": (500, b"User-agent: *\nAllow: /\n")}
        status, body = answers[self.robots]
        conn.sendall(_http(status, body, "text/plain"))
        return None

    # -- the kinds (one method each, named _k_<kind>) -----------------------------------
    def _k_status_500(self, conn, path, target):
        conn.sendall(_http(500, b"<h1>Internal Server Error</h1>"))

    def _k_status_503_retry_after(self, conn, path, target):
        if self._tried(path) == 1:
            return conn.sendall(_http(503, b"busy", headers={"Retry-After": "1"}))
        conn.sendall(_http(200, self._article(1)))

    def _k_status_429_retry_after(self, conn, path, target):
        from email.utils import formatdate

        if self._tried(path) == 1:
            when = formatdate(time.time() + 1, usegmt=True)
            return conn.sendall(_http(429, b"slow down", headers={"Retry-After": when}))
        conn.sendall(_http(200, self._article(2)))

    def _k_status_503_forever(self, conn, path, target):
        conn.sendall(_http(503, b"busy", headers={"Retry-After": "1"}))

    def _k_status_404(self, conn, path, target):
        conn.sendall(_http(404, b"gone"))

    def _k_status_403(self, conn, path, target):
        conn.sendall(_http(403, b"forbidden"))

    def _k_redirect_loop(self, conn, path, target):
        n = self._tried(path)
        conn.sendall(_http(302, headers={"Location": f"{path}?n={n}"}))

    def _k_redirect_chain_ok(self, conn, path, target):
        hop = int(target.rsplit("hop=", 1)[1]) if "hop=" in target else 0
        if hop < 2:
            return conn.sendall(_http(301, headers={"Location": f"{path}?hop={hop + 1}"}))
        conn.sendall(_http(200, self._article(3)))

    def _k_redirect_offsite(self, conn, path, target):
        conn.sendall(_http(302, headers={"Location": f"http://localhost:{self.port}{path}"}))

    def _k_redirect_other_port(self, conn, path, target):
        conn.sendall(_http(302, headers={"Location": f"http://127.0.0.1:{self.port + 1}{path}"}))

    def _k_redirect_https(self, conn, path, target):
        conn.sendall(_http(302, headers={"Location": f"https://127.0.0.1:{self.port}{path}"}))

    def _k_meta_refresh_loop(self, conn, path, target):
        n = self._tried(path)
        body = (f'<html><head><meta http-equiv="refresh" content="0;url={path}?r={n}">'
                "</head><body>Moving…</body></html>").encode()
        conn.sendall(_http(200, body))

    def _k_wrong_content_type(self, conn, path, target):
        conn.sendall(_http(200, self._article(4), "application/octet-stream"))

    def _k_binary_as_html(self, conn, path, target):
        conn.sendall(_http(200, bytes(range(256)) * 256))

    def _k_image(self, conn, path, target):
        png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + bytes(17) * 40
        conn.sendall(_http(200, png, "image/png"))

    def _k_gzip_bomb(self, conn, path, target):
        body = _bomb()
        conn.sendall(_http(200, body, headers={"Content-Encoding": "gzip"}))

    def _k_truncated_body(self, conn, path, target):
        head = _http(200, b"x" * 20_000)
        conn.sendall(head[: len(head) - 18_000])

    def _k_connection_reset(self, conn, path, target):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def _k_close_no_answer(self, conn, path, target):
        conn.shutdown(socket.SHUT_RDWR)

    def _k_garbage_status_line(self, conn, path, target):
        conn.sendall(b"SMTP READY\r\n\x00\x01\x02 not http at all\r\n\r\n")

    def _k_broken_chunked(self, conn, path, target):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked"
                     b"\r\nConnection: close\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n")

    def _k_invalid_utf8(self, conn, path, target):
        body = self._article(5).replace(b"</p>", b"\xff\xfe\xc3(</p>", 3)
        conn.sendall(_http(200, body))

    def _k_wrong_charset(self, conn, path, target):
        conn.sendall(_http(200, self._article(6), "text/html; charset=iso-8859-1"))

    def _k_gbk_declared_utf8(self, conn, path, target):
        text = ("<html><head><title>开发区经济报告</title></head><body><h1>开发区经济报告</h1>"
                + "<p>今年前三季度，开发区规模以上工业总产值同比增长6.5%，新签约项目四十个。</p>"
                * 12 + "</body></html>")
        conn.sendall(_http(200, text.encode("gbk")))

    def _k_nul_bytes(self, conn, path, target):
        conn.sendall(_http(200, self._article(7).replace(b"</p>", b"\x00\x00</p>")))

    def _k_many_paragraphs(self, conn, path, target):
        extra = b"<p>x</p>" * int(15_000 * self.scale)
        conn.sendall(_http(200, self._article(8).replace(b"</body>", extra + b"</body>")))

    def _k_huge_html(self, conn, path, target):
        conn.sendall(_http(200, b"<html><body>" + b"<p>word</p>" * 480_000 + b"</body></html>"))

    def _k_deep_nesting(self, conn, path, target):
        depth = int(50_000 * self.scale)
        nested = b"<div>" * depth + b"deep" + b"</div>" * depth
        conn.sendall(_http(200, self._article(9).replace(b"</body>", nested + b"</body>")))

    def _k_huge_attribute(self, conn, path, target):
        attr = b'<div data-x="' + b"A" * int(1_000_000 * self.scale) + b'">x</div>'
        conn.sendall(_http(200, self._article(10).replace(b"</body>", attr + b"</body>")))

    def _k_giant_line(self, conn, path, target):
        conn.sendall(_http(200, b"word " * int(200_000 * self.scale), "text/html"))

    def _k_slow_trickle(self, conn, path, target):
        data = _http(200, self._article(11))
        deadline = time.monotonic() + 3.0  # bounded: the whole answer within ~3 s
        step = max(400, len(data) // 30)
        for i in range(0, len(data), step):
            conn.sendall(data[i:i + step])
            if time.monotonic() < deadline:
                time.sleep(0.1)

    def _k_empty_200(self, conn, path, target):
        conn.sendall(_http(200, b""))

    def _k_html_without_body(self, conn, path, target):
        conn.sendall(_http(200, b"<html><head><title>Nothing here</title></head></html>"))

    def _k_js_only(self, conn, path, target):
        conn.sendall(_http(200, b"<html><head><script>document.write('<p>' + 'news'.repeat(9)"
                                b" + '</p>')</script></head><body><noscript>Enable JavaScript"
                                b"</noscript></body></html>"))

    def _k_title_only(self, conn, path, target):
        conn.sendall(_http(200, b"<html><head><title>Zone</title></head><body><h1>Zone</h1>"
                                b"<p>Coming soon.</p></body></html>"))

    def _k_xml_feed(self, conn, path, target):
        conn.sendall(_http(200, b'<?xml version="1.0"?><rss><channel><item><title>t</title>'
                                b"</item></channel></rss>", "application/rss+xml"))

    def _k_duplicate_article(self, conn, path, target):
        conn.sendall(_http(200, self._pages[next(iter(self._pages))]))

    def _k_no_content_length(self, conn, path, target):
        body = self._article(12)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body)


WORDS = ("zone park output investment project export logistics factory enterprise revenue "
         "industrial cluster port railway warehouse software battery steel grain dairy tourism "
         "bonded customs pilot innovation incubator startup talent subsidy tax land lease "
         "contract partner province county district committee official quarter annual growth "
         "increase decline target plan upgrade expansion opening launch agreement").split()


def title(n: int) -> str:
    """The title of the n-th hostile site article (those served among bad responses)."""
    return f"Zone report {n}: {WORDS[n % len(WORDS)]} and {WORDS[(3 * n + 7) % len(WORDS)]}"


def paragraphs(n: int) -> list[str]:
    """Five paragraphs of our own words, different for every n (no near-duplicates)."""
    import random

    rng = random.Random(n)
    return [" ".join(rng.choice(WORDS) for _ in range(28)).capitalize()
            + f", officials said on day {n} of the {k + 1}th review, up {rng.randint(2, 30)} "
            "percent." for k in range(5)]


_BOMB: bytes | None = None


def _bomb() -> bytes:
    global _BOMB
    if _BOMB is None:
        _BOMB = gzip.compress(bytes(40 * 1024 * 1024), compresslevel=9)
    return _BOMB
