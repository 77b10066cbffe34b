"""`http_proxy` is honoured: a site whose host name does not resolve is still crawled when a
proxy on loopback forwards the requests (Scrapy's HttpProxyMiddleware, kept on)."""

from __future__ import annotations

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.support.sites import CRAWLED

FAKE_HOST = "e.my399.invalid"  # .invalid never resolves (RFC 2606)


class ForwardingProxy(ThreadingHTTPServer):
    """Answers absolute-URI requests for FAKE_HOST from the real local site."""

    def __init__(self, upstream: str) -> None:
        self.upstream, self.seen = upstream, []
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        target = urlsplit(self.path)
        self.server.seen.append(self.path)
        if target.hostname != FAKE_HOST:
            self.send_error(502)
            return
        path = target.path + (f"?{target.query}" if target.query else "")
        try:
            with urllib.request.urlopen(self.server.upstream + path, timeout=10) as upstream:
                body, status = upstream.read(), upstream.status
                content_type = upstream.headers.get("Content-Type", "text/html")
        except urllib.error.HTTPError as exc:
            body, status, content_type = exc.read(), exc.code, "text/html"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


def test_crawl_goes_through_the_http_proxy(workspace, site) -> None:
    proxy = ForwardingProxy(site.url)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        workspace.point(f"http://{FAKE_HOST}")
        # The sample site's absolute links name the local server: keep only relative ones.
        for path, page in list(site.pages.items()):
            site.pages[path] = type(page)(page.body.replace(site.url.encode(), b""),
                                          page.content_type)
        proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
        proc = workspace.run("crawl", "-s", "DOWNLOAD_DELAY=0", "-s",
                             "AUTOTHROTTLE_ENABLED=False", check=True, timeout=180,
                             http_proxy=proxy_url, no_proxy="", NO_PROXY="")
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert f"{len(CRAWLED)} new" in proc.stdout
    assert any(p.startswith(f"http://{FAKE_HOST}/robots.txt") for p in proxy.seen)
    assert all(urlsplit(a["url"]).hostname == FAKE_HOST for a in workspace.articles())
