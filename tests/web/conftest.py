"""A crawled archive of the fixture site, served by `parkwatch api` on a real port, and a
headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from archive.db import ensure_schema
from archive.models import utcnow
from foundation.settings import load_settings
from tests.conftest import unavailable
from tests.support.desk import DESK_RECORDS, AppServer
from tests.support.sites import serve
from tests.support.workspace import Workspace
from watches.outbox import DEGRADE_AFTER, deliver_due
from watches.store import WatchSpec, add_watch

CHROMIUM = os.environ.get("PARKWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Workspace:
    """The fixture site (plus a story with a wrong conversion) crawled through Scrapy."""
    root = tmp_path_factory.mktemp("desk")
    workspace = Workspace(root, f"sqlite:///{root / 'archive.db'}")
    ensure_schema(workspace.database_url)
    # Two watches, added before the crawl: one feeds only, one has a target that refuses
    # connections (port 9 on loopback) and is retried until its watch is degraded.
    add_watch(workspace.database_url, WatchSpec("parks", topic="industrial-parks"))
    add_watch(workspace.database_url, WatchSpec("aviation", query="aviation OR aerospace",
                                                targets=["json://127.0.0.1:9/hook"]))
    site = serve("classic", records=DESK_RECORDS)
    try:
        workspace.point(site.url)
        workspace.crawl()
    finally:
        site.stop()
    later = utcnow()
    for _ in range(DEGRADE_AFTER - 1):
        later += timedelta(hours=7)
        deliver_due(workspace.database_url, now=later)
    return workspace


@pytest.fixture(scope="module")
def app_url(crawled: Workspace):
    config = load_settings(crawled.config).model_copy(
        update={"database_url": crawled.database_url, "home": crawled.root})
    server = AppServer(config).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable("Chromium", f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable("Playwright", str(exc))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh page that records every request it makes (each must stay on 127.0.0.1)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
