"""Hostile article CONTENT, crawled from a fixture site of its own (tests/support/hostile_content)
into an archive, then read back through every output: in a real Chromium with JavaScript on,
no payload runs on any page (list, search snippets, article, metric chart, status, watches)
and no `javascript:` link is emitted, while the payloads' text is shown as text; the Atom feed
parses; CSV cells cannot start a formula and the xlsx holds none; the API answers JSON of clean
fields; the terminal gets no control character."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import httpx
import pytest
from lxml import etree

from archive.db import ensure_schema, session_scope
from archive.store import get_or_create_source, save_article
from foundation.cleantext import is_clean
from tests.support.hostile_content import (
    BREAK_OUT,
    FORMULAS,
    IMG,
    LINK,
    SCRIPT,
    SVG,
    WORD,
    hostile_site,
)
from tests.support.workspace import Workspace
from watches.match import match_new
from watches.store import WatchSpec, add_watch

GUARD = """window.__pw = []; window.pwn = function () { window.__pw.push(location.href); };"""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
LINKED = ("a[href]", "area[href]", "link[href]", "[src]", "form[action]", "[formaction]")
IMPORTED_URL = "javascript:pwn()//imported"  # a row not crawled (an import, an old archive)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("hostile")
    workspace = Workspace(root, f"sqlite:///{root / 'archive.db'}")
    ensure_schema(workspace.database_url)
    add_watch(workspace.database_url, WatchSpec("hostile", query=WORD))
    site = hostile_site()
    try:
        workspace.point(site.url)
        workspace.crawl()
    finally:
        site.stop()
    stored = articles(workspace)
    section = next(a["section"] for a in stored if "onerror" in (a["section"] or ""))
    add_watch(workspace.database_url, WatchSpec("sections", section=section))
    with session_scope(workspace.database_url, write=True) as session:
        source = get_or_create_source(session, "e-my399")
        session.flush()
        save_article(session, source.id, {
            "url": IMPORTED_URL, "canonical_url": IMPORTED_URL, "title": "Imported row",
            "text": f"An imported row whose address is a script, {WORD}.",
            "text_hash": "imported", "topics": []}, [], "test")
    match_new(workspace.database_url)  # the feed holds it too
    return workspace


@pytest.fixture
def guarded(page: Any) -> Any:
    """The suite's page with `pwn()` defined before any script of the page, and every
    dialog (an alert) recorded and dismissed."""
    page.context.add_init_script(GUARD)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def hostile_articles(crawled: Workspace) -> list[dict[str, Any]]:
    return [a for a in articles(crawled) if "pwn" in a["title"] or WORD in a["text"]
            or a["title"] in FORMULAS or "Daoli" in a["title"] or a["url"] == IMPORTED_URL]


def articles(crawled: Workspace) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(command(crawled, "articles", "list", "--json",
                                                      "--limit", "1000", "--with-duplicates"))
    return listed


def command(crawled: Workspace, *args: str) -> str:
    """The real command's output, run in this process (a child process per command cost
    2-3 s each here)."""
    from typer.testing import CliRunner

    from parkwatch.cli import app

    result = CliRunner().invoke(app, list(args), env=crawled.env(), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def visit(page: Any, url: str) -> None:
    """Load the page, let its scripts run, and find no payload run and no script link."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    ran = page.evaluate("window.__pw")
    assert ran == [] and page.dialogs == [], (url, ran, page.dialogs)
    for selector in LINKED:
        for value in page.eval_on_selector_all(selector, "els => els.map(e => "
                                               "e.getAttribute('href') || e.getAttribute('src')"
                                               " || e.getAttribute('action') || '')"):
            assert not re.match(r"\s*(javascript|vbscript|data:text/html)", value, re.I), (
                url, selector, value)


def test_the_guard_sees_a_payload_that_runs(guarded: Any, app_url: str) -> None:
    """The detection itself: the same payload, put into a page as markup, is recorded."""
    guarded.goto(app_url + "/status")
    guarded.evaluate(f"document.body.insertAdjacentHTML('beforeend', {json.dumps(IMG)})")
    guarded.wait_for_function("window.__pw.length > 0")


def test_no_payload_runs_on_any_page(guarded: Any, app_url: str, crawled: Workspace) -> None:
    articles = hostile_articles(crawled)
    assert len(articles) >= 4  # three hostile stories and the imported row
    visit(guarded, app_url + "/")
    assert SCRIPT in guarded.locator("li.article-row a.title").all_inner_texts()[0] or any(
        SCRIPT in t for t in guarded.locator("li.article-row a.title").all_inner_texts())
    visit(guarded, app_url + f"/?q={WORD}")
    snippets = " ".join(guarded.locator(".snippet").all_inner_texts())
    assert WORD in snippets and "pwn()" in snippets  # the payloads are there, as text
    assert guarded.locator(".snippet mark").count() >= 2
    for article in articles:
        visit(guarded, f"{app_url}/article/{article['id']}")
        assert guarded.locator("h1").first.inner_text() == (article["title"] or article["url"])
    imported = next(a for a in articles if a["url"] == IMPORTED_URL)
    visit(guarded, f"{app_url}/article/{imported['id']}")
    assert IMPORTED_URL in guarded.locator("dl").inner_text()  # shown, not linked
    metrics = {f["metric"] for a in articles for f in a["facts"] if "pwn" in (f["metric"] or "")}
    assert metrics
    for metric in sorted(metrics):
        visit(guarded, f"{app_url}/metric?m={quote(metric)}")
    visit(guarded, f"{app_url}/metric?m={quote('district GDP')}")
    assert guarded.locator("#chart").get_attribute("data-drawn") not in (None, "0")
    assert "pwn()" in guarded.locator("table").last.inner_text()
    visit(guarded, app_url + "/status")
    visit(guarded, app_url + "/watches")
    assert IMG in guarded.locator("#watch-sections").inner_text()


def test_no_payload_runs_on_an_error_page(guarded: Any, app_url: str) -> None:
    """A payload in the requested path or a parameter comes back in the error page's sentence
    as text (404 and 422 pages, each in the site's layout)."""
    for address, title in ((f"/{quote(IMG)}", "Not found"),
                           (f"/article/{quote(SCRIPT, safe='')}", "Not found"),  # its / splits it
                           (f"/article/{quote(IMG, safe='')}", "Not a valid address"),
                           (f"/?since={quote(IMG)}", "Not a valid address"),
                           (f"/?after={quote(BREAK_OUT)}", "Not a valid address")):
        visit(guarded, app_url + address)
        assert guarded.locator("h1").inner_text() == title, address
        assert "pwn()" in guarded.locator("p.sentence").inner_text(), address
        assert guarded.locator("a.brand").count() == 1  # the site's layout, a way home
    visit(guarded, app_url + f"/metric?subject={quote(SVG)}")  # m missing: not echoed
    assert guarded.locator("h1").inner_text() == "Not a valid address"


def test_the_feed_parses_and_carries_the_payloads_as_text(app_url: str,
                                                          crawled: Workspace) -> None:
    response = httpx.get(app_url + "/feeds/hostile.atom", timeout=30)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = {e.title for e in feed.entries}
    assert any(SCRIPT in t for t in titles) and len(feed.entries) == 4, titles
    tree = etree.fromstring(response.content)
    assert {el.tag for el in tree.iter() if isinstance(el.tag, str)
            if not el.tag.startswith("{http://www.w3.org/2005/Atom}")} == set()
    assert not [href for href in tree.xpath("//@href") if href.lower().startswith("javascript")]


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would read as a formula (numbers are numbers)."""
    bad = []
    for row in rows:
        for cell in row:
            if cell.lstrip(" ").startswith(FORMULA_START):
                try:
                    float(cell)
                except ValueError:
                    bad.append(cell)
    return bad


def test_csv_cells_cannot_start_a_formula(crawled: Workspace, app_url: str,
                                          tmp_path: Path) -> None:
    facts = tmp_path / "facts.csv"
    articles = command(crawled, "export", "--format", "csv", "--facts", str(facts))
    found = command(crawled, "search", WORD, "--csv")
    series = httpx.get(app_url + "/metric.csv", params={"m": "district GDP"}, timeout=30).text
    tables = {name: list(csv.reader(io.StringIO(text))) for name, text in (
        ("export", articles), ("facts", facts.read_text()), ("search", found),
        ("metric.csv", series))}
    for name, rows in tables.items():
        assert len(rows) > 1 and formula_cells(rows) == [], (name, formula_cells(rows))
    titles = [row[4] for row in tables["export"][1:]]
    assert "'" + FORMULAS[0] in titles  # the formula is there, as text


def test_the_xlsx_holds_no_formula(crawled: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "archive.xlsx"
    command(crawled, "export", "--format", "xlsx", "-o", str(book))
    workbook = load_workbook(book)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert FORMULAS[0] in {c.value for c in cells}  # kept as a string


def test_the_api_and_the_terminal_get_clean_text(app_url: str, crawled: Workspace) -> None:
    response = httpx.get(app_url + "/articles", params={"with_text": "true", "limit": 100},
                         timeout=30)
    assert response.headers["content-type"].startswith("application/json")
    for item in response.json()["items"]:
        for field, kind in (("title", "title"), ("text", "body"), ("section", "section"),
                            ("author", "author"), ("byline_source", "byline_source")):
            assert is_clean(item[field], kind), (field, item[field])  # type: ignore[arg-type]
    daoli = next(i for i in response.json()["items"] if "Daoli" in i["title"])
    assert daoli["title"] == "Daoli zone grows fast"
    for args in (("articles", "list"), ("search", WORD), ("status",), ("watch", "list")):
        out = command(crawled, *args)
        controls = sorted({hex(ord(c)) for c in out if ord(c) < 32 and c not in "\n\t"
                           or 0x7f <= ord(c) < 0xa0 or c in "\u202a\u202b\u202c\u202d\u202e"})
        assert controls == [], (args, controls)
    assert LINK not in {i["url"] for i in response.json()["items"] if i["url"] != IMPORTED_URL}
