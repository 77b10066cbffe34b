"""`parkwatch read`: saved pages and live URLs read as a crawl would, field by field with
provenance; `--json` keeps the inputs' order; bad input is one line and a non-zero exit."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.sites import SITES
from tests.cli.test_cli_errors import assert_one_line_error

NO_PROXY_ENV = {"http_proxy": "", "https_proxy": "", "HTTP_PROXY": "", "HTTPS_PROXY": "",
                "no_proxy": "", "NO_PROXY": ""}


def saved(tmp_path, name: str, index: int = 0):
    site = SITES[name]
    record = site.load()[index]
    path = tmp_path / f"{name}-{index}.html"
    path.write_bytes(site.render(record, site.variants[0]))
    return path, site.base_url + site.path(record), record


def test_saved_pages_in_order_with_provenance(workspace, tmp_path) -> None:
    gov, gov_url, gov_record = saved(tmp_path, "binbei-kfq", 2)  # a GBK page
    nothing = tmp_path / "home.html"
    nothing.write_bytes(b"<html><body><a href='/'>Home</a></body></html>")
    wp, _, wp_record = saved(tmp_path, "riverside-times", 0)
    proc = workspace.run("read", str(gov), str(nothing), str(wp), "--json", check=True)
    first, second, third = json.loads(proc.stdout)
    assert first["input"] == str(gov) and first["title"] == gov_record["title"]
    assert (first["published"], first["published_source"]) == ("2023-03-02", "meta")
    assert first["language"] == "zh" and first["byline_source"] == gov_record["source"]
    assert first["text"].split("\n") == gov_record["paragraphs"]
    assert first["url_date"] is None  # a saved file without --url: its path has no date
    assert second["input"] == str(nothing) and second["error"].startswith("no article")
    assert (third["published"], third["published_source"]) == ("2024-03-11", "jsonld")
    assert third["title"] == wp_record["title"] and third["author"] == wp_record["author"]
    assert set(third) >= {"title", "published", "published_source", "url_date", "author",
                          "byline_source", "section", "language", "text", "provenance"}


def test_url_option_and_human_output(workspace, tmp_path) -> None:
    gov, gov_url, record = saved(tmp_path, "binbei-kfq", 0)
    proc = workspace.run("read", str(gov), "--url", gov_url, check=True)
    assert gov_url in proc.stdout and "园区动态" in proc.stdout
    assert "published" in proc.stdout and "meta" in proc.stdout
    assert record["paragraphs"][0] in proc.stdout
    assert "（图为" not in proc.stdout and "打印本页" not in proc.stdout
    proc = workspace.run("read", str(gov), "--url", gov_url, "--json", check=True)
    assert json.loads(proc.stdout)[0]["url_date"] == "2023-02-21"


def test_live_url_from_a_local_server(workspace) -> None:
    site = SITES["riverside-times"]
    record = site.load()[3]
    with SiteServer(site.pages()) as server:
        url = server.url + site.path(record)
        proc = workspace.run("read", url, "--json", check=True, **NO_PROXY_ENV)
        [result] = json.loads(proc.stdout)
        assert result["title"] == record["title"] and result["published_source"] == "jsonld"
        assert ("GET", site.path(record), 200) in server.requests
        bad = workspace.run("read", server.url + "/missing/", **NO_PROXY_ENV)
    assert_one_line_error(bad, "HTTP 404")


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []
    page = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.seen.append((self.path, self.headers.get("User-Agent", "")))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args) -> None:
        return


@pytest.fixture
def proxy():
    site = SITES["binbei-kfq"]
    _Recorder.page = site.render(site.load()[0], "trs")
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_fetch_goes_through_http_proxy_with_the_user_agent(workspace, proxy) -> None:
    proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
    target = "http://www.binbei-kfq.example/xwzx/yqdt/202302/t20230221_812345.html"
    env = {**NO_PROXY_ENV, "http_proxy": proxy_url, "PARKWATCH_USER_AGENT": "pw-test-agent/1"}
    proc = workspace.run("read", target, "--json", check=True, **env)
    assert json.loads(proc.stdout)[0]["url_date"] == "2023-02-21"
    assert _Recorder.seen == [(target, "pw-test-agent/1")]  # the proxy saw the absolute URL
    # no_proxy: the same request goes straight to the host, not to the proxy.
    direct = f"{proxy_url}/xwzx/yqdt/202302/t20230221_812345.html"
    env["no_proxy"] = "127.0.0.1"
    workspace.run("read", direct, "--json", check=True, **env)
    assert _Recorder.seen[-1][0] == "/xwzx/yqdt/202302/t20230221_812345.html"


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "not an HTML page"),
    (b"\x00\x01\x02binary", "not an HTML page"),
])
def test_bad_input_is_one_line(workspace, tmp_path, content, message) -> None:
    path = tmp_path / "page.bin"
    if content is not None:
        path.write_bytes(content)
    assert_one_line_error(workspace.run("read", str(path)), message)


def test_unreachable_url_and_misused_url_option(workspace, tmp_path) -> None:
    proc = workspace.run("read", "http://127.0.0.1:9/none.html", **NO_PROXY_ENV)
    assert_one_line_error(proc, "cannot fetch")
    a, _, _ = saved(tmp_path, "binbei-kfq", 0)
    b, _, _ = saved(tmp_path, "binbei-kfq", 1)
    proc = workspace.run("read", str(a), str(b), "--url", "http://x.example/")
    assert_one_line_error(proc, "--url")
