"""Parks in a real headless Chromium, over a small archive of two parks of two zone kinds with
figures of two kinds and two granularities (written by the real storage functions): the metric
chart draws one line per series, asserted from the chart's own data; the park page lists that
park's articles and series and draws a chart for each."""

from __future__ import annotations

import json

import pytest

from foundation.settings import load_settings
from tests.parks.stored import STORIES, build
from tests.support.desk import AppServer
from tests.web.test_web_browser import local_only, shoot

YEAR = ("http://hrb.example/a/2023-01-20/0.html", "哈尔滨经开区2022年经济运行情况",
        "2022年，哈尔滨经开区规上工业总产值完成1200.5亿元，同比增长7.5%。", "2023-01-20", "zh")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("parks-web")
    url = f"sqlite:///{root / 'archive.db'}"
    build(url, [YEAR, *STORIES])
    (root / "parkwatch.toml").write_text("")
    settings = load_settings(root / "parkwatch.toml").model_copy(
        update={"database_url": url, "home": root})
    server = AppServer(settings).start()
    try:
        yield server.url
    finally:
        server.stop()


def test_the_metric_chart_draws_one_line_per_series(page, app_url) -> None:
    page.goto(app_url + "/metric?m=工业总产值&unit=CNY")
    page.wait_for_selector("#chart canvas")
    page.wait_for_selector("#chart a.pt")
    data = json.loads(page.locator("#chart-data").inner_text())
    lines = [line for line in data["lines"] if line["series_id"]]
    keys = [line["series_id"] for line in lines]
    assert len(keys) == len(set(keys)) == 3, keys  # Harbin ytd, Harbin yearly, Daqing ytd
    parts = {tuple(k.split("|")[i] for i in (0, 2, 3)) for k in keys}
    assert parts == {("etdz:harbin", "level", "ytd"), ("etdz:harbin", "level", "year"),
                     ("htz:daqing", "level", "ytd")}
    assert {line["unit"] for line in lines} == {"CNY"}
    drawn = page.evaluate("""() => {
        const p = window.parkwatchChart;
        return {labels: p.series.slice(1).map(s => s.label),
                counts: p.data.slice(1).map(ys => ys.filter(v => v !== null).length),
                axis: p.axes[1].label}; }""")
    assert drawn["labels"] == [line["label"] for line in data["lines"]]
    assert drawn["counts"] == [len(line["x"]) for line in data["lines"]]
    assert drawn["axis"] == "CNY"  # the unit on the axis
    harbin_ytd = next(line for line in lines if line["series_id"].startswith("etdz:harbin|")
                      and "|ytd|" in line["series_id"])
    assert harbin_ytd["y"] == [32_650_000_000, 65_020_000_000]  # Q1, H1 (zh + en: one point)
    series_of_links = {page.locator("#chart a.pt").nth(i).get_attribute("data-series")
                       for i in range(page.locator("#chart a.pt").count())}
    assert set(keys) <= series_of_links
    shoot(page, "metric-series")
    local_only(page, app_url)


def test_the_park_page_lists_its_articles_and_series(page, app_url) -> None:
    page.goto(app_url + "/park/etdz:harbin")
    assert "哈尔滨经济技术开发区" in page.locator("h1").inner_text()
    titles = page.locator("ul.park-articles li a").all_inner_texts()
    assert set(titles) == {YEAR[1], STORIES[0][1], STORIES[1][1], STORIES[2][1]}
    rows = page.locator("#measures-table tbody tr")
    series = {rows.nth(i).get_attribute("data-series") for i in range(rows.count())}
    assert series and all(s.startswith("etdz:harbin|") for s in series)
    assert "etdz:harbin|industrial_output_value|level|year|CNY" in series
    page.wait_for_selector(".series-chart canvas")
    charts = page.locator(".series-chart")
    assert page.locator(".series-chart canvas").count() == charts.count() == len(series)
    shoot(page, "park")
    local_only(page, app_url)
    page.locator(".series-chart a.pt").first.click()
    page.wait_for_url("**/article/*")
    assert page.locator("h1").inner_text() in titles
