"""Crawls that resume: the real `parkwatch crawl` of a slow site killed with SIGKILL at several
moments (each when the server has answered N article requests of that run), then one normal
run, stores every article exactly once — stop-at-known pagination no longer leaves holes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from foundation.settings import load_settings
from parkwatch.samplesite import SiteServer, build_site, generate_records

pytestmark = pytest.mark.parse_workers  # crawls as a user's: through the parse workers

PROFILE = load_settings().source("e-my399")
SECTIONS = ["business/parks", "news"]
RECORDS = generate_records(60, sections=SECTIONS, seed=7)  # 10 listing pages per section


def _article_count(server: SiteServer) -> int:
    return sum(1 for m, p, _ in server.requests if m == "GET" and PROFILE.article_re.match(p))


def _crawl_killed_at(workspace, server: SiteServer, articles: int) -> bool:
    """Start a crawl; SIGKILL it once the server has answered `articles` article requests.
    False when the crawl ended before that."""
    server.reset_log()
    reached = threading.Event()
    proc = subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "crawl", "--source", "e-my399", "--quiet", "--wait",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=workspace.root, env=workspace.env(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)

    def watch() -> None:
        while proc.poll() is None:
            if _article_count(server) >= articles:
                reached.set()
                os.kill(proc.pid, signal.SIGKILL)
                return
            reached.wait(0.005)  # polling the server's request log (the observed progress)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    proc.wait(timeout=120)
    watcher.join(timeout=5)
    return reached.is_set()


@pytest.mark.timeout(400)
def test_killed_crawls_then_one_normal_run_store_every_article_once(workspace) -> None:
    server = SiteServer(delay=0.02).start()
    base = server.url
    try:
        server.pages.update(build_site(RECORDS, per_page=3, base_url=server.url))
        sections = ", ".join(f'"{s}"' for s in SECTIONS)
        workspace.point(server.url, f"sections = [{sections}]\n")
        expected = {f"/{r['section']}/{r['url_date']}/{r['id']}.html" for r in RECORDS}
        kills = [_crawl_killed_at(workspace, server, n) for n in (4, 15, 3, 20)]
        assert all(kills), kills  # each crawl was killed mid-way, not finished
        stored_before = {a["url"].removeprefix(base) for a in workspace.articles()}
        assert stored_before < expected  # the kills left articles out
        server.reset_log()
        workspace.crawl()
    finally:
        server.stop()
    rows = workspace.articles()
    paths = [a["url"].removeprefix(base) for a in rows]
    assert len(paths) == len(set(paths))  # no duplicates
    assert set(paths) == expected  # 0 articles missing
