"""`parkwatch status` with many sources: summary counts, --failing, --source PATTERN."""

from __future__ import annotations

import json

from crawler.run import finish_run, start_run
from foundation.settings import load_settings
from tests.service.service_support import configure_many


def test_status_filters_and_counts(workspace, monkeypatch) -> None:
    sites = {f"gov-{i}": f"http://127.0.0.{i + 1}:9" for i in range(3)}
    sites.update({f"news-{i}": f"http://127.0.1.{i + 1}:9" for i in range(2)})
    configure_many(workspace, sites)
    monkeypatch.setenv("PARKWATCH_CONFIG", str(workspace.config))
    monkeypatch.setenv("PARKWATCH_DATABASE_URL", workspace.database_url)
    config = load_settings()
    workspace.run("db", "upgrade", check=True)
    finish_run(config, start_run(config, "gov-1", "cli"), "failed", {}, "could not fetch")
    finish_run(config, start_run(config, "news-0", "cli"), "succeeded", {"pages": 3}, None)

    summary = workspace.run("status", "--summary", check=True).stdout
    assert "6 source(s): 1 ok, 0 degraded, 5 unknown · 1 failing · 0 running" in summary
    assert "4 never run" in summary

    failing = json.loads(workspace.run("status", "--failing", "--json", check=True).stdout)
    assert [r["source"] for r in failing] == ["gov-1"]
    gov = json.loads(workspace.run("status", "--source", "gov-*", "--json", check=True).stdout)
    assert sorted(r["source"] for r in gov) == ["gov-0", "gov-1", "gov-2"]
    table = workspace.run("status", "--source", "news-*", check=True).stdout
    assert "news-0" in table and "gov-0" not in table and "2 shown · 6 source(s)" in table
