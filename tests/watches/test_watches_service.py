"""`parkwatch serve`: a watch is notified at the end of each run the service starts."""

from __future__ import annotations

from archive.db import ensure_schema
from tests.service.service_support import FAST, ServeProcess, configure, finished, wait_for
from tests.support.desk import Receiver
from watches.store import WatchSpec, add_watch


def test_the_service_delivers_after_its_runs(workspace, site) -> None:
    receiver = Receiver().start()
    try:
        configure(workspace, site.url, schedule="0 0 1 1 *")  # cron: not due during the test
        ensure_schema(workspace.database_url)
        add_watch(workspace.database_url, WatchSpec(
            "parks", topic="industrial-parks",
            targets=[f"json://127.0.0.1:{receiver.port}/ok"]))
        with ServeProcess(workspace, *FAST) as serve:
            wait_for(lambda: "serve started" in serve.output(), 30, "the service to start")
            workspace.run("crawl", "--source", "e-my399", "--queue", check=True)
            wait_for(lambda: finished(workspace, "queue"), 60, "the queued run")
            stored = [a for a in workspace.articles() if a["duplicate_of"] is None
                      and "industrial-parks" in a["topics"]]
            assert stored
            wait_for(lambda: len(receiver.to("/ok")) >= len(stored), 30, "the notifications")
            assert serve.terminate() == 0
        titles = sorted(m["title"].removeprefix("[parks] ") for m in receiver.to("/ok"))
        assert titles == sorted(a["title"] for a in stored)
    finally:
        receiver.stop()
