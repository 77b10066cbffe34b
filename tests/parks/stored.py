"""Small archives of linked facts for the parks tests, written by the real storage functions
(extract → store_item in write_batch: facts linked as a crawl links them)."""

from __future__ import annotations

import datetime as dt

from archive.db import ensure_schema, session_scope
from archive.store import get_or_create_source
from pipelines.items import ArticleItem
from pipelines.metrics import EXTRACTOR_VERSION
from pipelines.metrics.extract import extract_facts
from pipelines.storage import write_batch

#: Two parks, two kinds (a level and a change) and a Chinese and an English report of one
#: point: what the parks pages, API and CLI tests read.
STORIES = [
    ("http://hrb.example/a/2023-04-20/1.html", "哈尔滨经开区一季度经济运行情况",
     "今年一季度，哈尔滨经开区规上工业总产值完成326.5亿元，同比增长8.4%。", "2023-04-20", "zh"),
    ("http://hrb.example/a/2023-07-20/2.html", "哈尔滨经开区上半年经济运行情况",
     "今年上半年，哈尔滨经开区规上工业总产值完成650.2亿元，同比增长9.1%。", "2023-07-20", "zh"),
    ("http://ne.example/b/2023-07-21/3.html", "Harbin ETDZ grows in first half",
     "In the first half of 2023, the Harbin Economic Development Zone's industrial output "
     "value above designated size reached 65.02 billion yuan, up 9.1 percent year-on-year.",
     "2023-07-21", "en"),
    ("http://dq.example/c/2023-07-22/4.html", "大庆高新区上半年经济运行情况",
     "今年上半年，大庆高新区规上工业总产值完成410.3亿元，同比增长6.2%。", "2023-07-22", "zh"),
]


def item(url: str, title: str, text: str, published: str, language: str) -> ArticleItem:
    day = dt.date.fromisoformat(published)
    return ArticleItem(url=url, title=title, text=text, published=day, language=language,
                       facts=[f.to_dict() for f in extract_facts(text, day)],
                       extractor_version=EXTRACTOR_VERSION)


def build(url: str, stories=STORIES) -> int:
    """An archive at `url` holding these stories (source "parks-test") → the source id."""
    ensure_schema(url)
    with session_scope(url, write=True) as session:
        source = get_or_create_source(session, "parks-test").id
    outcomes = write_batch(url, source, [item(*story) for story in stories])
    assert all(o.outcome == "new" for o in outcomes), outcomes
    return source
