"""The local sample-site HTTP server: serving, 404, conditional GET, request log, failures."""

import http.client
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

import pytest

from parkwatch.samplesite import Page, SiteServer, build_site, load_records
from parkwatch.samplesite.render import article_path


def _req(srv: SiteServer, path: str, method: str = "GET",
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.fixture()
def server() -> SiteServer:
    with SiteServer(build_site(load_records(), "classic")) as srv:
        yield srv


def test_serves_pages_and_404(server: SiteServer) -> None:
    assert urlsplit(server.url).hostname == "127.0.0.1" and server.port > 0
    rec = load_records()[0]
    status, headers, body = _req(server, article_path(rec))
    assert status == 200 and rec["title"].encode() in body
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-length"] == str(len(body))
    assert headers["etag"].startswith('"') and "GMT" in headers["last-modified"]
    status, _, body = _req(server, "/robots.txt")
    assert status == 200 and b"Disallow: /admin/" in body
    assert _req(server, "/")[0] == 200
    assert _req(server, "/nope/2023-01-01/1.html")[0] == 404
    status, headers, body = _req(server, "/index.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_lying_charset_header(server: SiteServer) -> None:
    rec = next(r for r in load_records() if r.get("lying_charset"))
    status, headers, body = _req(server, article_path(rec))
    assert status == 200 and headers["content-type"] == "text/html; charset=iso-8859-1"
    assert "下一页".encode() in body


def test_conditional_requests(server: SiteServer) -> None:
    status, headers, _ = _req(server, "/index.html")
    etag, last_modified = headers["etag"], headers["last-modified"]
    assert _req(server, "/index.html", headers={"If-None-Match": etag})[0] == 304
    assert _req(server, "/index.html", headers={"If-None-Match": '"other"'})[0] == 200
    assert _req(server, "/index.html", headers={"If-Modified-Since": last_modified})[0] == 304
    old = format_datetime(datetime(2001, 1, 1, tzinfo=UTC), usegmt=True)
    assert _req(server, "/index.html", headers={"If-Modified-Since": old})[0] == 200
    # Changing the page changes the ETag and the Last-Modified date.
    new_time = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    server.pages["/index.html"] = Page(b"<html>changed</html>", last_modified=new_time)
    status, headers, body = _req(server, "/index.html", headers={"If-None-Match": etag})
    assert status == 200 and body == b"<html>changed</html>" and headers["etag"] != etag
    assert headers["last-modified"] == "Wed, 01 May 2030 12:00:00 GMT"


def test_request_log_pages_and_failures(server: SiteServer) -> None:
    server.reset_log()
    _req(server, "/index.html")
    _req(server, "/missing.html")
    _req(server, "/index.html", method="HEAD")
    assert server.requests == [("GET", "/index.html", 200), ("GET", "/missing.html", 404),
                               ("HEAD", "/index.html", 200)]
    server.fail_paths["/index.html"] = 500
    assert _req(server, "/index.html")[0] == 500
    del server.fail_paths["/index.html"]
    server.pages["/extra.html"] = Page(b"extra", "text/plain")
    assert _req(server, "/extra.html")[2] == b"extra"
    del server.pages["/extra.html"]
    assert _req(server, "/extra.html")[0] == 404
    assert server.requests[-3:] == [("GET", "/index.html", 500), ("GET", "/extra.html", 200),
                                    ("GET", "/extra.html", 404)]
    server.reset_log()
    assert server.requests == []


def test_concurrent_requests_are_all_logged(server: SiteServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    server.reset_log()
    paths = [p for p in server.pages if p.endswith(".html")][:40]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda p: _req(server, p)[0], paths))
    assert statuses == [200] * len(paths)
    assert sorted(p for _, p, _ in server.requests) == sorted(paths)


def test_start_stop_closes_socket() -> None:
    srv = SiteServer({"/a.html": Page(b"a")}).start()
    port = srv.port
    assert _req(srv, "/a.html")[0] == 200
    srv.stop()
    srv.stop()  # idempotent
    with pytest.raises(OSError):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/a.html")
        conn.getresponse()
    with pytest.raises(RuntimeError):
        _ = srv.url
