"""The web pages in a real headless Chromium over an archive crawled from the fixture site:
lists, search, an article with its facts highlighted and a wrong conversion flagged, a metric
chart whose points link to their articles, offline API docs; no request leaves 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WRONG_TITLE = "Pingfang aviation industrial park doubles its output"


def local_only(page, app_url: str) -> None:
    """Every request the page made went to this server (or was inline data)."""
    host = urlsplit(app_url).netloc
    foreign = [u for u in page.requests
               if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != host]
    assert page.requests and not foreign, foreign


def shoot(page, name: str) -> None:
    if os.environ.get("PARKWATCH_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def article_id(crawled, title: str) -> int:
    return next(a["id"] for a in crawled.articles() if a["title"] == title)


def test_front_page_lists_the_crawled_articles(page, app_url, crawled) -> None:
    page.goto(app_url + "/")
    titles = page.locator("li.article-row a.title").all_inner_texts()
    stored = [a for a in crawled.articles() if a["duplicate_of"] is None]
    assert len(titles) == min(20, len(stored))
    newest = sorted(stored, key=lambda a: (a["published"] or "", a["id"]), reverse=True)[0]
    assert titles[0] == newest["title"]
    assert page.locator("#filters select[name=section] option").count() > 2
    shoot(page, "articles")
    local_only(page, app_url)


def test_search_finds_a_known_story_with_snippets(page, app_url) -> None:
    page.goto(app_url + "/")
    page.fill("#filters input[name=q]", '"helicopter parts"')
    page.press("#filters input[name=q]", "Enter")
    page.wait_for_url("**/?q=*")
    rows = page.locator("li.article-row")
    assert rows.count() == 1
    assert rows.first.locator("a.title").inner_text() == WRONG_TITLE
    assert "helicopter" in rows.first.locator(".snippet mark").first.inner_text().lower()
    # The URL is bookmarkable: loading it afresh shows the same results.
    again = page.context.new_page()
    again.goto(page.url)
    assert again.locator("li.article-row a.title").all_inner_texts() == [WRONG_TITLE]
    shoot(page, "search")
    local_only(page, app_url)


def test_filters_narrow_the_list_without_javascript(browser, app_url, crawled) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(app_url + "/?section=business/parks")  # a path; stored as a display name
        sections = {t.split(" · ")[2] for t in page.locator(".meta").all_inner_texts()}
        assert sections == {"Industrial Parks"}
        expected = [a for a in crawled.articles()
                    if a["section"] == "Industrial Parks" and a["duplicate_of"] is None]
        assert page.locator("li.article-row").count() == len(expected) > 0
    finally:
        context.close()


def test_article_page_highlights_facts_and_flags_the_wrong_conversion(page, app_url,
                                                                     crawled) -> None:
    wanted = article_id(crawled, WRONG_TITLE)
    page.goto(f"{app_url}/article/{wanted}")
    assert page.locator("h1").inner_text() == WRONG_TITLE
    marks = page.locator("#text mark.fact")
    facts = next(a for a in crawled.articles() if a["id"] == wanted)["facts"]
    assert marks.count() == len(facts) >= 3
    # Each highlight is the fact's own words, at its offsets in the text.
    assert "100 billion yuan" in marks.all_inner_texts()
    bad = page.locator("#text mark.fact.bad")
    assert bad.count() == 1 and bad.inner_text() == "100 billion yuan"
    flagged = page.locator("table.fact-table tr.bad")
    assert flagged.count() == 1 and "inconsistent" in flagged.inner_text()
    assert "14.93 million USD" in flagged.inner_text()
    assert page.locator(".warning").is_visible()
    assert page.locator("table.fact-table tr:not(.bad) .flag.ok").count() >= 1
    assert "industrial park" in page.locator(".story dl").inner_text().lower()  # topic terms
    series = page.locator("table.fact-table a", has_text="series").first.get_attribute("href")
    assert series.startswith("/metric?m=")
    shoot(page, "article")
    local_only(page, app_url)


def test_metric_page_draws_a_chart_whose_points_link_to_articles(page, app_url,
                                                                crawled) -> None:
    page.goto(app_url + "/metric?m=regional+GDP&unit=CNY")
    page.wait_for_selector("#chart canvas")
    page.wait_for_selector("#chart a.pt")
    painted = page.evaluate("""() => {
        const c = document.querySelector('#chart canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n; }""")
    assert painted > 500  # axes, line and points drawn
    points = page.locator("#chart a.pt")
    links = [points.nth(i).get_attribute("href") for i in range(points.count())]
    assert len(links) >= 2 and all(h.startswith("/article/") for h in links)
    ids = {a["id"] for a in crawled.articles()}
    assert {int(h.rsplit("/", 1)[1]) for h in links} <= ids
    # A percentage-point comparison sits in the table but is not a rival value.
    assert page.locator("tr.conflict").count() == 0
    shoot(page, "metric")
    points.first.click()
    page.wait_for_url("**/article/*")
    assert page.locator("h1").inner_text() in {a["title"] for a in crawled.articles()}
    local_only(page, app_url)


def test_metric_page_marks_rival_values_as_conflicts(page, app_url) -> None:
    page.goto(app_url + "/metric?m=GDP&unit=%25")  # '%' is taken as percent
    rows = page.locator("table.series tbody tr")
    assert rows.count() > 0
    assert all("percent" in t for t in page.locator("table.series td.num").all_inner_texts())
    assert page.locator("tr.comparison").count() >= 1  # the percentage points, set apart
    assert page.locator("tr.conflict.comparison").count() == 0


def test_status_and_watches_pages(page, app_url) -> None:
    page.goto(app_url + "/status")
    assert "e-my399" in page.locator("table").first.inner_text()
    assert page.locator("table").nth(1).locator("tbody tr").count() >= 1
    shoot(page, "status")
    page.goto(app_url + "/watches")
    assert page.locator("h1").inner_text() == "Watches"
    broken = page.locator("#watch-aviation")
    assert "degraded" in broken.locator("h2").inner_text()
    assert "the last 3 deliveries failed" in broken.inner_text()
    assert broken.locator("tr.failed").count() >= 3
    assert "ok" in page.locator("#watch-parks h2").inner_text()
    shoot(page, "watches")
    feed = page.request.get(app_url + "/feeds/parks.atom")
    assert feed.ok and b"<feed" in feed.body() and WRONG_TITLE.encode() in feed.body()
    local_only(page, app_url)


@pytest.mark.timeout(60)
def test_api_docs_render_offline(page, app_url) -> None:
    page.goto(app_url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/articles" in paths and "/facets" in paths
    shoot(page, "docs")
    local_only(page, app_url)
