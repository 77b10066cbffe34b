"""A new user's first hour (#23): each mistake is one clear line and a non-zero exit, and the
command's own output stays readable; run in this process (tests/support/cli.py)."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scheduler.distributed import INTERRUPTED
from tests.cli.test_cli_errors import assert_one_line_error
from tests.distributed.cluster import wait_for
from tests.support.cli import invoke


@pytest.mark.parametrize(("url", "why"), [
    ("http://exa mple.org", "it holds a space"),
    ("https://www.example.org/news page/", "it holds a space"),
    ("http://", "no host name"),
    ("http://example.org:99999", "not a valid URL (Port out of range"),
    ("ftp://example.org", "not an http(s) address"),
])
def test_sources_add_with_a_bad_url_is_one_line(workspace, url: str, why: str) -> None:
    workspace.config.write_text("# mine\n")
    proc = invoke(workspace, "sources", "add", "mysite", url, "--pause", "0")
    assert_one_line_error(proc, "not a site address", why)
    assert proc.returncode == 2
    assert workspace.config.read_text() == "# mine\n"


class _NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"<html><body>no such page</body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return


@pytest.fixture
def not_found():
    """A site answering 404 to every request, on a local port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_run_whose_start_pages_all_failed_is_failed_and_degraded(workspace, not_found) -> None:
    workspace.config.write_text(f'[sources.broken]\nbase_url = "{not_found}"\n'
                                'start_pages = ["/news/", "/city/"]\n')
    proc = workspace.run("crawl", "--source", "broken", "-s", "DOWNLOAD_DELAY=0",
                         "-s", "AUTOTHROTTLE_ENABLED=False")
    assert_one_line_error(proc, f"every start page of {not_found} failed (3 of 3; first: "
                                f"HTTP 404 on {not_found}/")
    assert "failed — " in proc.stdout and "succeeded" not in proc.stdout
    [run] = json.loads(invoke(workspace, "runs", "--json").stdout)
    assert run["status"] == "failed" and run["error"].startswith("every start page")
    [status] = [r for r in json.loads(invoke(workspace, "status", "--json").stdout)
                if r["source"] == "broken"]
    assert status["health"] == "degraded"
    assert status["reasons"][0].startswith("misconfigured: every start page")



def test_a_distributed_run_is_judged_by_the_same_rule() -> None:
    """The workers' summed stats (the coordinator counts the start pages it seeds, the workers
    those that failed): all failed and nothing stored is a failed run there too."""
    from crawler.distributed.coordinator import _status
    from crawler.run import counts_from_stats

    stats = {"parkwatch/start_pages": 3, "parkwatch/start_failed": 3, "parkwatch/errors": 3,
             "parkwatch/listing_pages": 1}
    status, error = _status(counts_from_stats(stats), "http://x.example", stats)
    assert status == "failed" and error == (
        "every start page of http://x.example failed (3 of 3): check the source's base_url, "
        "sections and start_pages")
    stats["parkwatch/new"] = 1  # something was stored (from a sitemap): the run succeeded
    assert _status(counts_from_stats(stats), "http://x.example", stats) == ("succeeded", None)

def test_ctrl_c_in_a_distributed_crawl_closes_the_run_at_once(workspace, redis_url, site):
    workspace.point(site.url)
    env = workspace.env(PARKWATCH_REDIS_URL=redis_url,
                        PARKWATCH_REDIS_PREFIX=f"parkwatch-test:{uuid.uuid4().hex[:12]}:")
    proc = subprocess.Popen(  # no worker: the run waits for one until interrupted
        [sys.executable, "-m", "parkwatch", "crawl", "--source", "e-my399", "--distributed"],
        cwd=workspace.root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        database = workspace.root / "archive.db"
        wait_for(lambda: database.exists() and run_row(database) == ("running", None), 60,
                 "the distributed run to start")
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 130 and "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == (
        "parkwatch: interrupted: run 1 of e-my399 closed (failed: stopped by Ctrl-C)")
    assert run_row(database) == ("failed", INTERRUPTED)  # closed before the command ended


def run_row(database) -> tuple[str, str | None] | None:
    with sqlite3.connect(database) as db:
        try:
            return db.execute("SELECT status, error FROM crawl_runs ORDER BY id DESC LIMIT 1"
                              ).fetchone()
        except sqlite3.OperationalError:  # the schema is being made
            return None


def test_watch_add_validates_its_filters(workspace) -> None:
    from foundation.settings import load_settings

    profile = load_settings(workspace.config).source("e-my399")
    section = profile.section_name(profile.sections[0])
    invoke(workspace, "db", "upgrade")
    refused = {
        ("--topic", "industrial-parkz"): "unknown topic 'industrial-parkz' (did you mean "
                                         "industrial-parks?)",
        ("--section", "no-such-section"): "unknown section 'no-such-section'",
        ("--source", "e-my39"): "unknown source 'e-my39' (did you mean e-my399?)",
        ("--metric", "output value", "--above", "5", "--below", "1"):
            "--above 5 --below 1: no value is both",
    }
    for args, message in refused.items():
        proc = invoke(workspace, "watch", "add", "parks", *args)
        assert_one_line_error(proc, message)
        assert proc.returncode == 2
    assert "parks" not in invoke(workspace, "watch", "list").stdout  # nothing was stored
    good = invoke(workspace, "watch", "add", "parks", "--topic", "industrial-parks",
                  "--section", section, "--source", "e-my399", "--metric", "output value",
                  "--above", "1", "--below", "5")
    assert good.returncode == 0, good.stderr


@pytest.mark.parametrize("command", [
    ("articles", "list"), ("search", "park"), ("export", "--format", "csv"), ("runs",),
    ("status",), ("watch", "add", "w"), ("crawl",), ("read", "page.html"),
])
def test_an_unknown_source_is_one_line_for_every_command(workspace, command) -> None:
    (workspace.root / "page.html").write_bytes(b"<html><body>x</body></html>")
    invoke(workspace, "db", "upgrade")
    proc = invoke(workspace, *command, "--source", "nosuch")
    assert_one_line_error(proc, "source 'nosuch'")
    assert proc.returncode == 2 and proc.stdout == ""


@pytest.mark.parametrize(("command", "value", "message"), [
    (("articles", "list", "--since"), "2024-02-30", "not a real date: 2024-02-30"),
    (("search", "park", "--until"), "2023-13-01", "not a real date: 2023-13-01"),
    (("crawl", "--since"), "2024-02-30", "not a real date: 2024-02-30"),
    (("export", "--format", "csv", "--since"), "yesterday", "not a date: 'yesterday' "
                                                            "(expected YYYY-MM-DD"),
])
def test_date_errors_say_what_is_wrong(workspace, command, value, message) -> None:
    proc = invoke(workspace, *command, value)
    assert_one_line_error(proc, message)
    assert proc.returncode == 2 and "does not match the formats" not in proc.stderr


def test_a_real_date_is_taken(workspace) -> None:
    invoke(workspace, "db", "upgrade")
    proc = invoke(workspace, "articles", "list", "--since", "2024-02-29", "--json")
    assert proc.returncode == 0 and proc.stdout.strip() == "[]"


def table_lines(text: str) -> list[str]:
    """The lines of a fitted table: its header, rule and rows (not the lines printed after)."""
    lines = text.splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith(("run ", "2 source"))),
               len(lines))
    return lines[:end]


def test_runs_and_status_stay_readable_at_80_columns(workspace, monkeypatch) -> None:
    from crawler.run import finish_run, start_run
    from foundation.settings import load_settings

    long_name = "harbin-songbei-economic-and-technological-development-zone"
    workspace.config.write_text(f'[sources.{long_name}]\nbase_url = '
                                '"http://www.songbei-economic-development-zone.example"\n')
    monkeypatch.setenv("PARKWATCH_CONFIG", str(workspace.config))
    monkeypatch.setenv("PARKWATCH_DATABASE_URL", workspace.database_url)
    config = load_settings()
    invoke(workspace, "db", "upgrade")
    error = ("every start page of http://www.songbei-economic-development-zone.example failed "
             "(3 of 3; first: HTTP 404 on http://www.songbei-economic-development-zone.example"
             "/news/): check the source's base_url, sections and start_pages")
    finish_run(config, start_run(config, "e-my399", "cli"), "succeeded",
               {"pages": 1234, "new": 56, "errors": 0}, None)
    finish_run(config, start_run(config, long_name, "schedule"), "failed", {"pages": 1}, error)

    runs = invoke(workspace, "runs", columns=80)
    assert runs.returncode == 0, runs.stderr
    rows = table_lines(runs.stdout)
    assert all(len(line) <= 80 for line in rows), runs.stdout
    assert "started (UTC)" in rows[0] and rows[0].split()[-1] == "err"  # headers whole
    succeeded = next(line for line in rows if "succeeded" in line)
    assert re.search(r"\bcli\s+succeeded\s+\d\d-\d\d \d\d:\d\d:\d\d\s+\d+s\s+1234\s+56\b",
                     succeeded), runs.stdout
    failed = next(line for line in rows if " failed " in line)
    assert re.search(r"\bschedule\s+failed\s+\d\d-\d\d \d\d:\d\d:\d\d\b", failed)
    assert f"run 2: {error}" in runs.stdout  # the error whole, below the table

    status = invoke(workspace, "status", columns=80)
    rows = table_lines(status.stdout)
    assert all(len(line) <= 80 for line in rows), status.stdout
    assert rows[0].split() == ["source", "health", "last", "run", "next", "run", "schedule",
                               "now"]
    assert re.search(r"\b2 failed \d\d-\d\d \d\d:\d\d \+0\s+-\s+every 6h\s+idle$",
                     next(line for line in rows if "degraded" in line)), status.stdout
    assert re.search(r"\b1 succeeded \d\d-\d\d \d\d:\d\d \+56\s+-\s+every 6h\s+idle$",
                     next(line for line in rows if line.startswith("e-my399"))), status.stdout

    listed = invoke(workspace, "sources", "list", columns=80)
    rows = listed.stdout.splitlines()[:-1]  # the config file's line comes after
    assert all(len(line) <= 80 for line in rows), listed.stdout
    assert rows[0].split() == ["name", "base", "URL", "schedule", "sections", "topics", "title"]
    assert re.search(r"\bevery 6h\s+discovered\b", listed.stdout), listed.stdout
    assert re.search(r"\bevery 6h\s+8\b", listed.stdout), listed.stdout
