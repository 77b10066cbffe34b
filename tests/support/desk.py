"""The analyst's desk in tests: a fixture site with one story whose conversion is wrong, a
crawled archive of it, the parkwatch app on a real local port, a notification receiver."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import uvicorn

from foundation.settings import Settings
from tests.support.sites import RECORDS

# Written for these tests: a conversion that cannot be right (100 billion yuan is not
# $14.93 million), next to a consistent one and a percentage-point comparison.
WRONG_CONVERSION = {
    "section": "business/parks", "url_date": "2024-09-10", "id": 7100,
    "title": "Pingfang aviation industrial park doubles its output",
    "published": "2024-09-10", "breadcrumb": "Industrial Parks", "author": None,
    "byline_source": "e.my399.com",
    "paragraphs": [
        "The Pingfang aviation industrial park said on Tuesday that its member companies had "
        "a strong first half, led by helicopter parts and drone makers.",
        "The park's total output value exceeded 100 billion yuan ($14.93 million) in 2023, "
        "according to the park's management committee.",
        "In the first half of 2024, the park's output value reached 62.5 billion yuan "
        "($8.8 billion), up 12.4 percent year-on-year, 3.1 percentage points higher than the "
        "city's average.",
        "Eleven new projects settled in the park during the period.",
    ],
    "captions": [], "paginated": False, "teasers": [], "topics": ["industrial-parks"],
    "note": "written for the web tests: a wrong currency conversion",
}
DESK_RECORDS = [*RECORDS, WRONG_CONVERSION]


class AppServer:
    """The parkwatch API + web app served by uvicorn on 127.0.0.1, in a thread."""

    def __init__(self, settings: Settings) -> None:
        from parkwatch.api import create_app

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)  # connections queue until uvicorn serves them: no wait needed
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> AppServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


class Receiver:
    """A local HTTP endpoint that records every POST (apprise json://) it receives; paths
    starting with /fail answer 500."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        received = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append((self.path, json.loads(body or b"{}")))
                self.send_response(500 if self.path.startswith("/fail") else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def to(self, path: str) -> list[dict]:
        return [body for p, body in self.posts if p == path]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
