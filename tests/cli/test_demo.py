"""`parkwatch demo` (what `make demo` runs): serves the bundled site, crawls it, shows it."""

from __future__ import annotations

import sqlite3

import pytest

pytestmark = pytest.mark.parse_workers  # crawls as a user's: through the parse workers


@pytest.mark.timeout(360)  # two whole demos: three sites each, a crawl process per site
def test_demo_crawls_the_bundled_sites_then_reuses_its_own_folder(workspace) -> None:
    home = workspace.root / "demo"
    proc = workspace.run("demo", "--home", str(home), "--variant", "modern", check=True,
                         timeout=170)
    assert "succeeded" in proc.stdout and "0 errors" in proc.stdout
    assert "binbei-kfq" in proc.stdout and "riverside-times" in proc.stdout
    with sqlite3.connect(home / "parkwatch.db") as db:
        articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        parks = db.execute("SELECT COUNT(*) FROM articles WHERE topics LIKE "
                           "'%industrial-parks%'").fetchone()[0]
        facts = db.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    assert articles >= 15 and 0 < parks < articles and facts > 50
    assert f"{articles} articles stored" in proc.stdout

    # Run again: the folder is its own, so it is reused, and other files in it are kept.
    (home / "notes.txt").write_text("mine")
    again = workspace.run("demo", "--home", str(home), check=True, timeout=170)
    assert "succeeded" in again.stdout
    assert (home / "notes.txt").read_text() == "mine"
