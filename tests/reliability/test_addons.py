"""crawler/addons.py + crawler/extensions.py: a plain `scrapy crawl news` (as the README shows)
stores into the configured database and records its run like `parkwatch crawl`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.sites import CRAWLED

REPO = Path(__file__).resolve().parents[2]


def test_scrapy_crawl_uses_the_configured_database_and_records_its_run(workspace,
                                                                       site) -> None:
    workspace.point(site.url)
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=e-my399",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO"],
        cwd=REPO, env=workspace.env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "PARKWATCH_DATABASE_URL is not set" not in proc.stderr
    assert len(workspace.articles()) >= len(CRAWLED) - 2  # near-duplicates aside
    runs = json.loads(workspace.run("runs", "--json", check=True).stdout)
    assert len(runs) == 1
    run = runs[0]
    assert run["trigger"] == "scrapy" and run["status"] == "succeeded", run
    assert run["new"] >= len(CRAWLED) - 2 and run["finished_at"] and run["heartbeat_at"]


def test_scrapy_crawl_from_the_config_file_database(workspace, site, tmp_path) -> None:
    archive = tmp_path / "from-config.db"
    env = workspace.env()
    env.pop("PARKWATCH_DATABASE_URL")
    workspace.config.write_text(f'database_url = "sqlite:///{archive}"\n'
                                f'[sources.e-my399]\nbase_url = "{site.url}"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=e-my399",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    import sqlite3

    with sqlite3.connect(archive) as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] > 0
        assert db.execute("SELECT trigger, status FROM crawl_runs").fetchall() == [
            ("scrapy", "succeeded")]
