"""Scrapy's item log lines ("Scraped from", "Dropped:", "Error processing") name the article —
its URL and title — instead of writing the whole item (body, facts, fingerprint) into the log."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from crawler.logformatter import BriefItemLogFormatter
from pipelines.items import ArticleItem

BODY = "The zone's output value rose 6.5 percent year-on-year. " * 200
ITEM = ArticleItem(url="http://127.0.0.1:1/news/2024-03-11/1.html",
                   title="Zone output rises " + "very " * 40 + "much", text=BODY,
                   facts=[{"metric": "output value", "value": 6.5}])
SPIDER = SimpleNamespace(crawler=SimpleNamespace(
    settings=Settings({"DEFAULT_DROPITEM_LOG_LEVEL": "WARNING"})))


def line(result: dict) -> str:
    return result["msg"] % result["args"]


def test_item_lines_name_the_article_and_leave_its_text_out() -> None:
    formatter = BriefItemLogFormatter()
    lines = [line(formatter.scraped(ITEM, None, SPIDER)),
             line(formatter.dropped(ITEM, DropItem("empty body"), None, SPIDER)),
             line(formatter.item_error(ITEM, ValueError("boom"), None, SPIDER))]
    for text in lines:
        assert ITEM.url in text and "Zone output rises" in text
        assert "year-on-year" not in text and "output value" not in text
        assert len(text) < 300, text
    assert "empty body" in lines[1]


def test_other_items_are_written_as_scrapy_writes_them() -> None:
    result = BriefItemLogFormatter().scraped({"name": "x"}, None, SPIDER)
    assert line(result).endswith("{'name': 'x'}")


def test_a_crawl_uses_it(tmp_path) -> None:
    from crawler.run import scrapy_settings
    from foundation.settings import load_settings

    config = load_settings().model_copy(update={"database_url": f"sqlite:///{tmp_path}/a.db"})
    settings = scrapy_settings(config, config.source("e-my399"), {})
    assert settings.get("LOG_FORMATTER") == "crawler.logformatter.BriefItemLogFormatter"
