"""pipelines.storage: articles are written in batches (one transaction each, an article and its
facts together); copies within a batch still meet; an article the database refuses fails alone
and the rest of its batch lands; the Scrapy stage hands items on only once committed."""

from __future__ import annotations

import sqlite3

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from archive.db import ensure_schema, get_engine, session_scope, upgrade
from archive.store import get_or_create_source
from crawler.pool import process_page
from foundation.settings import load_settings
from parkwatch.samplesite import article_path, generate_records, render_article
from pipelines.items import ArticleItem, StorageOutcome
from pipelines.storage import StoragePipeline, write_batch

PROFILE = load_settings().source("e-my399")


def items(n: int, seed: int = 3) -> list[ArticleItem]:
    out = []
    for record in generate_records(n, seed=seed):
        result = process_page(render_article(record), "http://s" + article_path(record), PROFILE)
        assert result.item is not None
        out.append(result.item)
    return out


def rows(url: str, table: str) -> int:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def archive(url: str) -> int:
    ensure_schema(url)
    with session_scope(url, write=True) as session:
        return get_or_create_source(session, "test").id


def test_a_batch_lands_with_facts_and_signatures(sqlite_url: str) -> None:
    source = archive(sqlite_url)
    batch = items(5)
    outcomes = write_batch(sqlite_url, source, batch)
    assert [o.outcome for o in outcomes] == ["new"] * 5
    assert rows(sqlite_url, "articles") == 5 and rows(sqlite_url, "article_signatures") == 5
    assert rows(sqlite_url, "facts") == sum(len(i.facts) for i in batch) > 0
    assert rows(sqlite_url, "article_bands") == 5 * len(batch[0].fingerprint.bands)
    again = write_batch(sqlite_url, source, items(5))  # a re-crawl: the same pages
    assert [o.outcome for o in again] == ["unchanged"] * 5
    assert all(i.dedup is not None for i in batch)


def test_copies_within_one_batch_meet(sqlite_url: str) -> None:
    source = archive(sqlite_url)
    first, = items(1)
    copy, = items(1)
    copy.url = copy.canonical_url = "http://s/elsewhere/copy.html"
    outcomes = write_batch(sqlite_url, source, [first, copy])
    assert outcomes[0].outcome == "new"
    assert outcomes[1] == StorageOutcome("alias", outcomes[0].article_id)
    assert rows(sqlite_url, "articles") == 1 and rows(sqlite_url, "article_urls") == 2


def test_a_refused_article_fails_alone(sqlite_url: str) -> None:
    source = archive(sqlite_url)
    batch = items(4)
    batch[1].facts = [{**batch[1].facts[0], "value": None}]  # facts.value is NOT NULL
    outcomes = write_batch(sqlite_url, source, batch)
    assert isinstance(outcomes[1], Exception)
    assert [o.outcome for o in outcomes if not isinstance(o, Exception)] == ["new"] * 3
    assert rows(sqlite_url, "articles") == 3  # the refused article left nothing behind
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
        stored = {u for (u,) in conn.execute("SELECT url FROM articles")}
    assert batch[1].url not in stored


def test_the_stage_hands_items_on_once_their_batch_is_committed(sqlite_url: str) -> None:
    archive(sqlite_url)
    crawler = get_crawler(settings_dict={"PARKWATCH_DATABASE_URL": sqlite_url,
                                         "PARKWATCH_SOURCE": "test",
                                         "PARKWATCH_WRITE_BATCH": 3,
                                         "PARKWATCH_WRITE_INTERVAL": 0})
    crawler.stats = MemoryStatsCollector(crawler)
    stage = StoragePipeline.from_crawler(crawler)
    stage.interval = 3600.0  # no timer flush during the test: only size and close
    stage.threaded = False  # written in the test's thread (no reactor runs here)
    stage.source_id = archive(sqlite_url)
    done: list[ArticleItem] = []
    batch = items(4)
    for item in batch[:2]:
        stage.enqueue(item).addCallback(done.append)
    assert done == [] and rows(sqlite_url, "articles") == 0  # waiting for a full batch
    stage.enqueue(batch[2]).addCallback(done.append)
    assert done == batch[:3] and rows(sqlite_url, "articles") == 3
    assert all(i.stored is not None and i.stored.outcome == "new" for i in done)
    stage.enqueue(batch[3]).addCallback(done.append)
    stage.close_spider()  # the rest is written at close
    assert done == batch and rows(sqlite_url, "articles") == 4


def test_the_migration_backfills_signatures_of_stored_articles(sqlite_url: str) -> None:
    upgrade(sqlite_url, "0006")
    text = items(1)[0].text
    with get_engine(sqlite_url).begin() as conn:  # the archive's own connection (functions)
        conn.exec_driver_sql(
            "INSERT INTO sources (name, created_at) VALUES ('old', '2024-01-01')")
        for n in range(3):
            conn.exec_driver_sql(
                "INSERT INTO articles (source_id, url, canonical_url, title, text, text_hash,"
                " topics, topic_terms, first_seen, last_fetched) VALUES (1, ?, ?, 't', ?, ?,"
                " '[]', '{}', '2024-01-01', '2024-01-01')",
                (f"http://s/{n}", f"http://s/{n}", text + f" Variant {n}.", f"h{n}"))
    upgrade(sqlite_url)
    assert rows(sqlite_url, "article_signatures") == 3
    assert rows(sqlite_url, "article_bands") == 3 * 42
