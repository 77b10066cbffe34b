"""`parkwatch crawl --queue` while the service runs: the service starts it within seconds."""

from __future__ import annotations

from datetime import datetime

from archive.db import session_scope
from archive.models import CrawlRequest
from tests.service.service_support import FAST, ServeProcess, configure, finished, wait_for


def test_queued_crawl_is_started_within_seconds(workspace, site) -> None:
    configure(workspace, site.url, schedule="0 0 1 1 *")  # cron: not due during the test
    with ServeProcess(workspace, *FAST) as serve:
        wait_for(lambda: "serve started" in serve.output(), 30, "the service to start")
        queued = workspace.run("crawl", "--source", "e-my399", "--queue", "--max-articles", "3",
                               check=True)
        assert "queued crawl request" in queued.stdout
        run = wait_for(lambda: finished(workspace, "queue"), 30, "the queued run")[0]
        assert serve.terminate() == 0
    with session_scope(workspace.database_url) as session:
        request = session.get(CrawlRequest, 1)
        assert request is not None and request.run_id == run["id"]
        assert request.options == {"max_articles": 3}
        requested_at = request.requested_at
    started = datetime.fromisoformat(run["started_at"]).replace(tzinfo=None)
    assert (started - requested_at.replace(tzinfo=None)).total_seconds() < 5
    assert run["status"] == "succeeded" and run["trigger"] == "queue"
    assert [r["trigger"] for r in finished(workspace)] == ["queue"]


def test_queue_refuses_an_unknown_source_in_one_line(workspace, site) -> None:
    configure(workspace, site.url)
    proc = workspace.run("crawl", "--source", "nope", "--queue")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "parkwatch: error: unknown source 'nope' (configured: e-my399)"]
