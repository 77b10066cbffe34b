"""The spider never asks the database on the crawl's event loop (issue 13): every archive
session a crawl opens after its start runs in a thread — known-URL checks in Twisted's pool,
state writes and article batches in the one archive-writer thread, in submission order."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.sites import serve

# Run in the crawl's own process: wrap session_scope where the spider and the storage use
# it, and record for every session which thread opened it and for which caller.
PROBE = """
import json, runpy, sys, threading
import archive.db
import crawler.spiders.news as news
import pipelines.storage as storage

calls = []
def watched(original):
    def session_scope(*args, **kwargs):
        caller = sys._getframe(1).f_code.co_name
        calls.append([threading.current_thread().name, caller])
        return original(*args, **kwargs)
    return session_scope

news.session_scope = watched(archive.db.session_scope)
storage.session_scope = watched(archive.db.session_scope)
sys.argv = ["parkwatch", *sys.argv[2:]]  # python -c SCRIPT - crawl ...
try:
    runpy.run_module("parkwatch", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
finally:
    with open(OUT, "w") as out:
        json.dump({"calls": calls, "main": threading.main_thread().name}, out)
sys.exit(code)
"""


@pytest.mark.timeout(240)
def test_no_archive_session_on_the_event_loop_after_the_start(workspace, tmp_path) -> None:
    server = serve()
    try:
        workspace.point(server.url)
        out = tmp_path / "calls.json"
        script = f"OUT = {str(out)!r}\n" + PROBE
        proc = subprocess.run(
            [sys.executable, "-c", script, "-", "crawl", "--source", "e-my399",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
            cwd=workspace.root, env=workspace.env(), capture_output=True, text=True,
            timeout=200)
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    record = json.loads(out.read_text())
    on_loop = [caller for thread, caller in record["calls"] if thread == record["main"]]
    off_loop = [caller for thread, caller in record["calls"] if thread != record["main"]]
    # Only the run's start reads the source's state on the loop (once, before any download).
    assert set(on_loop) <= {"_initial", "open_spider"}, on_loop
    assert {"_known_urls", "write_batch", "_write_state"} <= set(off_loop), set(off_loop)
