"""The history commands as a user runs them (`parkwatch reread`, `import`, `backfill` through the
command's own main(), in this process) and provenance where a user sees it: after a rule
change `reread` fixes the stored bodies with no request sent to the site and records revisions
with the reason reread, a second one changes nothing; `articles show` (text and --json) and the
article page say where each reading came from; `/article/ID/source` serves the kept page as
text a browser neither renders nor runs; bad input is one line and a non-zero exit."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from archive.db import get_engine
from archive.warc import Exchange, pack
from crawler.history.captures import captures
from crawler.history.imports import Importer
from foundation.settings import load_settings
from parkwatch.api import create_app
from parkwatch.samplesite import SiteServer, build_site, generate_records
from parkwatch.samplesite.sites import SITES
from tests.docs.sandbox import in_process
from tests.support.workspace import Workspace

SITE = SITES["riverside-times"]


def cli(workspace: Workspace, *args: str, **env: str):
    """`parkwatch ARGS` run by its main() in this process, in the workspace."""
    return in_process(list(args), workspace.env(**env), workspace.root)


def _articles(database_url: str) -> dict[str, dict]:
    with get_engine(database_url).connect() as conn:
        rows = conn.execute(text("SELECT id, url, text, page_record FROM articles")).mappings()
        return {r["url"]: dict(r) for r in rows}


def _client(workspace: Workspace) -> TestClient:
    config = load_settings(workspace.config).model_copy(
        update={"database_url": workspace.database_url, "home": workspace.root})
    return TestClient(create_app(config))


def _show(workspace: Workspace, article_id: int) -> dict:
    shown = cli(workspace, "articles", "show", str(article_id), "--json")
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)


@pytest.fixture(scope="module")
def rule_changed(tmp_path_factory):
    """The riverside site crawled, then a furniture rule added for three stories' last
    paragraphs, and `parkwatch reread` run twice (the site's requests counted meanwhile) →
    (workspace, articles before, the three URLs, their lines, the two summaries, requests)."""
    root = tmp_path_factory.mktemp("reread")
    workspace = Workspace(root, f"sqlite:///{root / 'archive.db'}")
    with SiteServer() as server:
        server.pages.update(SITE.pages(base_url=server.url))
        table = f'[sources.riverside-times]\nbase_url = "{server.url}"\nlanguage = "en"\n'
        workspace.config.write_text(table)
        workspace.run("crawl", "--source", "riverside-times", "-s", "DOWNLOAD_DELAY=0",
                      "-s", "AUTOTHROTTLE_ENABLED=False", check=True, timeout=180)
        before = _articles(workspace.database_url)
        chosen = sorted(before)[:3]
        lines = [before[url]["text"].split("\n")[-1] for url in chosen]
        rule = "^(?:" + "|".join(re.escape(line[:30]) for line in lines) + ")"
        workspace.config.write_text(table + f"furniture = [{json.dumps(rule)}]\n")
        server.reset_log()
        first = cli(workspace, "reread", "--source", "riverside-times", "--json")
        second = cli(workspace, "reread", "--json")  # every source the archive holds
        requests = list(server.requests)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    return (workspace, before, chosen, lines, json.loads(first.stdout)["riverside-times"],
            json.loads(second.stdout)["riverside-times"], requests)


def test_reread_fixes_the_bodies_from_the_kept_pages_alone(rule_changed) -> None:
    workspace, before, chosen, lines, first, second, requests = rule_changed
    assert requests == []  # no request sent to the site
    assert (first["read"], first["changed"], first["bodies"]) == (len(before), 3, 3)
    assert first["unchanged"] == len(before) - 3 and first["dates"] == 0
    after = _articles(workspace.database_url)
    for url, line in zip(chosen, lines, strict=True):
        assert after[url]["text"] == before[url]["text"].removesuffix("\n" + line)
    with get_engine(workspace.database_url).connect() as conn:
        revisions = conn.execute(text("SELECT article_id, reason, text FROM revisions")).all()
    by_id = {a["id"]: a for a in before.values()}
    assert sorted(by_id[r.article_id]["url"] for r in revisions) == chosen
    assert {r.reason for r in revisions} == {"reread"}
    assert all(r.text == by_id[r.article_id]["text"] for r in revisions)
    assert (second["read"], second["changed"]) == (len(before), 0)  # nothing left to change


def test_reread_says_what_changed(rule_changed) -> None:
    workspace = rule_changed[0]
    shown = cli(workspace, "reread", "--source", "riverside-times")
    assert shown.exit_code == 0, shown.output
    assert re.search(r"reread of riverside-times: \d+ pages read, 0 changed, \d+ unchanged — "
                     r"0 dates moved, 0 bodies changed", shown.stdout), shown.stdout


def test_articles_show_says_where_each_reading_came_from(rule_changed) -> None:
    workspace, before, chosen, *_ = rule_changed
    reread_id = before[chosen[0]]["id"]
    live_id = next(a["id"] for url, a in before.items() if url not in chosen)
    reread, live = _show(workspace, reread_id)["provenance"], _show(workspace, live_id)[
        "provenance"]
    assert (reread["reading"], reread["origin"]) == ("reread", "live")
    assert reread["record_id"] == before[chosen[0]]["page_record"] and reread["reread_at"]
    assert (live["reading"], live["origin"], live["reread_at"]) == ("live", "live", None)
    assert live["warc_file"].startswith("riverside-times/") and live["captured_at"]
    assert live["source_url"] == f"/article/{live_id}/source"
    shown = cli(workspace, "articles", "show", str(reread_id))
    assert "read from: a reread on " in shown.stdout
    assert f"of a live fetch captured {reread['captured_at']}" in shown.stdout
    assert reread["record_id"] in shown.stdout


def test_the_article_page_links_its_kept_page_served_as_inert_text(rule_changed) -> None:
    workspace, before, chosen, lines, *_ = rule_changed
    article_id = before[chosen[0]]["id"]
    with _client(workspace) as client:
        page = client.get(f"/article/{article_id}")
        assert page.status_code == 200
        assert "a reread on" in page.text and "of a live fetch captured" in page.text
        assert f'href="/article/{article_id}/source"' in page.text
        source = client.get(f"/article/{article_id}/source")
        missing = client.get("/article/999999/source")
    assert source.status_code == 200
    assert source.headers["content-type"] == "text/plain; charset=utf-8"
    assert source.headers["x-content-type-options"] == "nosniff"
    assert source.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert lines[0] in source.text and "<html" in source.text.lower()  # the page as fetched
    assert missing.status_code == 404 and "no article with id 999999" in missing.text.lower()


HOSTILE = ('<script>document.title="pwned"</script><img src=x onerror="alert(1)">'
           '<iframe src="javascript:alert(2)"></iframe>')


def test_a_hostile_kept_page_cannot_run_and_a_bad_replay_address_is_not_linked(
        tmp_path) -> None:
    """An imported page full of script, kept as from a web archive whose replay address is a
    `javascript:` URL: its source is text under a CSP that allows nothing; no link to it."""
    workspace = Workspace(tmp_path, f"sqlite:///{tmp_path / 'archive.db'}")
    base = "http://e.my399.com"
    workspace.point(base)
    record = generate_records(1, sections=["news"], seed=4)[0]
    pages = build_site([record], per_page=5, base_url=base)
    path, page = next((p, pg) for p, pg in pages.items() if p.endswith(f"/{record['id']}.html"))
    body = page.body.replace(b"</body>", HOSTILE.encode() + b"</body>")
    warc = tmp_path / "hostile.warc.gz"
    warc.write_bytes(pack(Exchange(base + path, 200, (("Content-Type", page.content_type),),
                                   body, datetime(2024, 5, 1, tzinfo=UTC))).blob)
    importer = Importer(workspace.database_url, load_settings(workspace.config).source(
        "e-my399"), tmp_path / "pages", workers=0, origin="archive")
    try:
        importer.store(list(captures(warc)), lambda capture: "javascript:alert(3)")
    finally:
        importer.close()
    assert importer.summary.new == 1
    shown = _show(workspace, 1)["provenance"]
    assert (shown["reading"], shown["origin"], shown["replay_url"]) == ("archive", "archive",
                                                                        None)
    with _client(workspace) as client:
        article = client.get("/article/1")
        source = client.get("/article/1/source")
    assert "javascript:alert(3)" not in article.text and "<script>document" not in article.text
    assert "a web archive&#39;s capture captured 2024-05-01" in article.text
    assert HOSTILE in source.text  # shown as it was kept, as text
    assert source.headers["content-type"].startswith("text/plain")
    assert source.headers["x-content-type-options"] == "nosniff"
    assert source.headers["content-security-policy"] == "sandbox; default-src 'none'"


def test_no_kept_page_is_a_404_sentence(tmp_path) -> None:
    workspace = Workspace(tmp_path, f"sqlite:///{tmp_path / 'archive.db'}")
    workspace.point("http://e.my399.com")
    from archive.db import ensure_schema, session_scope
    from archive.store import get_or_create_source, save_article

    ensure_schema(workspace.database_url)
    url = "http://e.my399.com/news/2024-01-01/1.html"
    with session_scope(workspace.database_url, write=True) as session:
        source_id = get_or_create_source(session, "e-my399").id
        save_article(session, source_id, {"url": url, "canonical_url": url, "text": "A story.",
                                          "title": "Before pages were kept",
                                          "text_hash": "0" * 64})
    assert _show(workspace, 1)["provenance"]["reading"] is None
    assert "its page was not kept" in cli(workspace, "articles", "show", "1").stdout
    with _client(workspace) as client:
        answer = client.get("/article/1/source")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "No page is kept for article 1" in answer.text


def _not_a_warc(tmp_path: Path) -> list[Path]:
    html, broken, empty = (tmp_path / n for n in ("page.html", "broken.warc.gz", "e.warc"))
    html.write_text("<html><body>not an archive</body></html>")
    broken.write_bytes(gzip.compress(b"WARC/1.0\r\n")[:12])
    empty.write_bytes(b"")
    return [html, broken, empty]


def test_bad_input_is_one_line_and_a_non_zero_exit(workspace, tmp_path) -> None:
    workspace.point("http://127.0.0.1:1")
    runs = [(("reread", "--source", "no-such-site"), "unknown source 'no-such-site'"),
            (("reread", "--since", "2024-05-01", "--until", "2024-01-01"), "is after --until"),
            (("import", str(tmp_path / "missing.warc.gz"), "--source", "e-my399"),
             "missing.warc.gz: no such file"),
            (("import", str(tmp_path), "--source", "e-my399"), "no such file"),
            (("backfill", "--source", "e-my399", "--from", "2020", "--to", "2019"),
             "--from 2020 is after --to 2019"),
            (("backfill", "--source", "e-my399", "--archive", "nowhere"), "unknown archive"),
            (("backfill", "--source", "nope"), "unknown source 'nope'"),
            (("backfill", "--source", "e-my399", "--cdx", "ftp://x/cdx"), "bad CDX endpoint")]
    runs += [(("import", str(p), "--source", "e-my399"), f"{p.name}: not a WARC file")
             for p in _not_a_warc(tmp_path)]
    for args, expected in runs:
        result = cli(workspace, *args)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and len(lines) == 1, (args, result.output)
        assert expected in lines[0], (args, result.output)
    assert not (workspace.root / "pages").exists()  # nothing was read, nothing kept


def test_import_counts_each_record_once_and_a_second_import_stores_nothing(
        workspace, tmp_path) -> None:
    base = "http://e.my399.com"
    workspace.point(base)
    records = generate_records(6, sections=["news"], seed=8)
    warc = tmp_path / "made-elsewhere.warc.gz"
    with open(warc, "wb") as out:
        for n, (path, page) in enumerate(sorted(build_site(records, per_page=3,
                                                           base_url=base).items())):
            out.write(pack(Exchange(base + path, 200, (("Content-Type", page.content_type),),
                                    page.body, datetime(2024, 5, 1, tzinfo=UTC)
                                    + timedelta(hours=n))).blob)
        out.write(b"\x1f\x8b\x08\x00broken tail")
    first = cli(workspace, "import", str(warc), "--source", "e-my399")
    again = cli(workspace, "import", str(warc), "--source", "e-my399", "--json")
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert re.search(r"import into e-my399: 1 file\(s\), \d+ records \(\d+ responses\): "
                     r"6 stored \(6 new, 0 updated, 0 near-duplicates\), 0 known, \d+ skipped "
                     r"\(\d+ other pages, 0 not articles, 0 unreadable\), 1 bad records",
                     first.stdout), first.output
    assert "bad record skipped: made-elsewhere.warc.gz" in first.output
    summary = json.loads(again.stdout)
    assert (summary["files_done_before"], summary["new"], summary["updated"]) == (1, 0, 0)
    assert len(workspace.articles()) == 6
    shown = _show(workspace, 1)["provenance"]
    assert (shown["reading"], shown["origin"]) == ("import", "import")
    assert shown["imported_from"].startswith("made-elsewhere.warc.gz:")
    assert shown["captured_at"].startswith("2024-05-01")


def test_reread_of_no_archive_is_one_line_and_creates_none(workspace) -> None:
    workspace.point("http://e.my399.com")
    result = cli(workspace, "reread", "--source", "e-my399")
    assert result.exit_code == 1 and "no archive at" in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1
    assert not (workspace.root / "archive.db").exists()
