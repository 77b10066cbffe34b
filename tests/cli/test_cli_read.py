"""`parkwatch read`: saved pages, folders of them and live URLs read as a crawl would, field by
field with provenance; `--json` gives one element per page in the inputs' order, a failed one
with its `error`, and exits 1 if any failed; bad input is one line and a non-zero exit."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.sites import SITES
from tests.cli.test_cli_errors import assert_one_line_error
from tests.support.cli import invoke

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
    proc = workspace.run("read", str(gov), str(nothing), str(wp), "--json")
    assert proc.returncode == 1  # one input holds no article
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


def small_page(i: int) -> bytes:
    """A small article page of our own, dated, with three paragraphs."""
    paragraphs = "".join(f"<p>Paragraph {j} of report {i}: the riverside industrial park "
                         f"reported output value up {j}.5 percent this quarter.</p>"
                         for j in range(3))
    return (f"<html><head><title>Park report {i} - Daily</title><meta property="
            f"'article:published_time' content='2024-03-{1 + i % 28:02d}'></head><body>"
            f"<article><h1>Park report {i}</h1>{paragraphs}</article></body></html>").encode()


def test_a_missing_file_does_not_lose_the_good_one(workspace, tmp_path) -> None:
    good, _, record = saved(tmp_path, "riverside-times", 0)
    missing = tmp_path / "missing.html"
    proc = invoke(workspace, "read", str(good), str(missing), "--json")
    assert proc.returncode == 1
    first, second = json.loads(proc.stdout)
    assert first["input"] == str(good) and first["title"] == record["title"]
    assert "error" not in first
    assert second["input"] == str(missing) and "no such file" in second["error"]
    alone = invoke(workspace, "read", str(good), "--json")
    assert alone.returncode == 0 and len(json.loads(alone.stdout)) == 1


def test_a_folder_of_mixed_pages_one_result_each(workspace, tmp_path, monkeypatch) -> None:
    from crawler.parsing import article

    real = article._read_article

    def raising(body, *args):  # the reader failing inside on one page (as HtmlComment did)
        if b"MAKES-THE-READER-RAISE" in body:
            raise ValueError("Input object is not an XML element: HtmlComment")
        return real(body, *args)

    monkeypatch.setattr(article, "_read_article", raising)
    folder = tmp_path / "saved"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a-good.html").write_bytes(small_page(1))
    (folder / "b-home.htm").write_bytes(b"<html><body><a href='/'>Home</a></body></html>")
    (folder / "c-raises.html").write_bytes(small_page(2).replace(
        b"<body>", b"<body><!-- MAKES-THE-READER-RAISE -->"))
    (folder / "d-image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (folder / "deeper" / "e-good.html.gz").write_bytes(gzip.compress(small_page(3)))
    (folder / "deeper" / "f-broken.gz").write_bytes(gzip.compress(small_page(4))[:40])
    (folder / "notes.txt").write_text("not a page")
    bad_url = "http://exa mple.org/a page.html"
    proc = invoke(workspace, "read", str(folder), bad_url, "--json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    results = json.loads(proc.stdout)
    assert [r["input"] for r in results] == [
        str(folder / name) for name in ("a-good.html", "b-home.htm", "c-raises.html",
                                        "d-image.html", "deeper/e-good.html.gz",
                                        "deeper/f-broken.gz")] + [bad_url]
    good, home, raised, image, gzipped, broken, url = results
    assert good["title"] == "Park report 1" and gzipped["title"] == "Park report 3"
    assert home["error"].startswith("no article")
    assert raised["kind"] == "ValueError" and "cannot read the page" in raised["error"]
    assert "not an HTML page" in image["error"] and "damaged gzip" in broken["error"]
    assert "not a valid URL" in url["error"]

    human = invoke(workspace, "read", str(folder), bad_url)  # each failure one line
    assert human.returncode == 1 and "Traceback" not in human.stderr
    assert "== " + str(folder / "a-good.html") in human.stdout
    assert "== " + str(folder / "deeper/e-good.html.gz") in human.stdout
    failures = human.stderr.strip().splitlines()
    assert len(failures) == 5 and all(line.startswith("parkwatch: error: ") for line in failures)
    assert bad_url in failures[-1] and "not a valid URL" in failures[-1]


def test_a_url_with_a_space_is_one_line(workspace) -> None:
    proc = invoke(workspace, "read", "http://127.0.0.1:9/a page.html")
    assert_one_line_error(proc, "not a valid URL")
    assert proc.returncode == 1


PAGES = 2500  # a few thousand small pages: about 2 ms each to read


def test_a_folder_of_thousands_of_pages(workspace, tmp_path) -> None:
    folder = tmp_path / "many"
    for i in range(PAGES):
        sub = folder / f"{i // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:05d}.html").write_bytes(small_page(i))
    started = time.monotonic()
    proc = invoke(workspace, "read", str(folder), "--json")
    elapsed = time.monotonic() - started
    results = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert len(results) == PAGES
    assert [r["title"] for r in results] == [f"Park report {i}" for i in range(PAGES)]
    assert elapsed < 60, f"{PAGES} pages read in {elapsed:.1f} s"
