"""`parkwatch demo` (what `make demo` runs): serves the bundled site, crawls it, shows it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from parkwatch.demo import MARKER
from tests.cli.test_cli_errors import assert_one_line_error

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
    # Its pages are kept in its own folder, where `reread` with its home finds them.
    assert {p.name for p in (home / "pages").iterdir()} == {
        "e-my399", "binbei-kfq", "riverside-times"}

    # The commands it prints see its three sources, each at the local address it served.
    assert f"export PARKWATCH_HOME={home}; parkwatch status" in proc.stdout
    workspace.config.unlink()  # no ./parkwatch.toml: the demo folder's config is found
    as_printed = {"PARKWATCH_HOME": str(home), "PARKWATCH_CONFIG": "",
                  "PARKWATCH_DATABASE_URL": ""}
    listed = json.loads(workspace.run("sources", "list", "--json", check=True,
                                      **as_printed).stdout)
    status = json.loads(workspace.run("status", "--json", check=True, **as_printed).stdout)
    for rows in (listed, status):
        named = {r.get("name", r.get("source")): r["base_url"] for r in rows}
        assert set(named) == {"e-my399", "binbei-kfq", "riverside-times"}, named
        assert all(url.startswith("http://127.0.0.1:") for url in named.values()), named
    assert all(r["last_run"]["status"] == "succeeded" for r in status)
    shown = workspace.run("status", check=True, **as_printed).stdout
    assert "3 source(s): 3 ok" in shown and shown.count("http://127.0.0.1:") == 3
    workspace.config.write_text("")

    # Run again: the folder is its own, so it is reused, and other files in it are kept.
    (home / "notes.txt").write_text("mine")
    again = workspace.run("demo", "--home", str(home), check=True, timeout=170)
    assert "succeeded" in again.stdout
    assert (home / "notes.txt").read_text() == "mine"


def test_a_bad_option_is_refused_before_anything_is_deleted(workspace) -> None:
    home = workspace.root / "demo"
    home.mkdir()
    (home / MARKER).write_text("made by `parkwatch demo`")
    (home / "parkwatch.db").write_bytes(b"an earlier demo's archive")
    proc = workspace.run("demo", "--home", str(home), "--variant", "fancy")
    assert_one_line_error(proc, "--variant fancy", "classic, modern", "nothing was changed")
    assert proc.returncode == 2
    assert (home / "parkwatch.db").read_bytes() == b"an earlier demo's archive"
