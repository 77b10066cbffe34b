"""A million generated articles in PostgreSQL by bulk load (COPY), and the queries on them
(run by hand, prints figures).

    .venv/bin/python bench/bench_pg_million.py --url postgresql://postgres@127.0.0.1/million \\
        [--articles 1000000] [--rebuild] [--no-export]

Builds (only when the database has no articles, or with --rebuild) an archive at the current
schema: articles and ~3 facts each through COPY, the full-text GIN indexes dropped during the
load and built after it, then VACUUM ANALYZE. Texts come from parkwatch.samplesite in chunks
of 50,000 (seeds 1, 2, …), dates spread over 2013-2024. Then measures search p50/p95 (broad
words, phrases, rare words, filters), series p95, `articles list` pages (first and deep),
and `parkwatch export` time and peak memory. Goals (issue 13): search p95 <= 100 ms, series
p95 <= 50 ms, a deep page <= 50 ms, export memory <= 200 MB.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from archive.db import ensure_schema, get_engine, session_scope  # noqa: E402
from archive.queries import ArticleFilter, FactFilter, list_articles, metric_series  # noqa: E402
from archive.search import search  # noqa: E402
from bench.bench_queries import (  # noqa: E402
    METRICS,
    SERIES,
    SUBJECTS,
    UNITS,
    _empty_postgres,
    _has_articles,
    bench_export,
    percentiles,
    timed,
)
from parkwatch.samplesite import generate_records  # noqa: E402

CHUNK = 50_000
ARTICLE_COLUMNS = ("id", "source_id", "url", "canonical_url", "title", "text", "published",
                   "section", "topics", "topic_terms", "text_hash", "first_seen",
                   "last_fetched")
FACT_COLUMNS = ("article_id", "position", "extractor_version", "value", "unit", "kind",
                "qualifier", "period", "period_start", "period_end", "metric", "subject",
                "sentence", "start_offset", "end_offset")
SEARCHES = {
    "broad": ["park", "yuan", "industrial park", "investment AND projects"],
    "phrase": ['"industrial park"', '"high-tech industrial development zone"',
               '"first quarter" output'],
    "rare": ["cathedral", "wetland", "biomedicine", "hydrogen energy", "graph*"],
}
FILTERS = [ArticleFilter(since=date(2023, 1, 1)), ArticleFilter(section="business/parks"),
           ArticleFilter(topic="industrial-parks", since=date(2020, 1, 1))]
GIN = ("ix_articles_search_vector", "ix_facts_search_vector")


def _gin_definitions(conn) -> dict[str, str]:
    return {name: conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
                               {"n": name}).scalar() for name in GIN}


def build(url: str, n: int) -> None:
    ensure_schema(url)
    engine = get_engine(url)
    rng = random.Random(11)
    now = datetime(2024, 12, 31, tzinfo=UTC)
    started = time.perf_counter()
    facts_total = 0
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (id, name, created_at) VALUES "
                          "(1, 'e-my399', now())"))
        definitions = _gin_definitions(conn)
        for name in GIN:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur:
            article_id = 0
            for chunk in range(0, n, CHUNK):
                records = generate_records(min(CHUNK, n - chunk), seed=chunk // CHUNK + 1)
                with cur.copy(f"COPY articles ({', '.join(ARTICLE_COLUMNS)}) FROM STDIN") as cp:
                    for record in records:
                        article_id += 1
                        body = "\n".join(record["paragraphs"])
                        url_ = f"http://e.my399.com/system/{article_id}.shtml"
                        published = date(rng.randint(2013, 2024), rng.randint(1, 12),
                                         rng.randint(1, 28))
                        cp.write_row((article_id, 1, url_, url_, record["title"], body,
                                      published, record["section"],
                                      '["industrial-parks"]' if record["topics"] else "[]",
                                      "{}", f"{article_id:040x}", now, now))
                first = article_id - len(records) + 1
                with cur.copy(f"COPY facts ({', '.join(FACT_COLUMNS)}) FROM STDIN") as cp:
                    for a_id in range(first, article_id + 1):
                        for position in range(rng.randint(1, 5)):
                            m = rng.randrange(len(METRICS))
                            year = rng.randint(2013, 2024)
                            value = round(rng.choice([1, 2, 5, 10, 20]) * (1 + m)
                                          * (year - 2000) / 7, 1)
                            cp.write_row((a_id, position, "b", value, UNITS[m], "level",
                                          "exact", str(year), date(year, 1, 1),
                                          date(year, 12, 31), METRICS[m],
                                          rng.choice(SUBJECTS), "A generated sentence.", 0,
                                          10))
                            facts_total += 1
                print(f"  {article_id:,} articles, {facts_total:,} facts "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)
        loaded = time.perf_counter() - started
        for definition in definitions.values():
            if definition:
                conn.execute(text(definition))
    indexed = time.perf_counter() - started - loaded
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"built {n:,} articles, {facts_total:,} facts: COPY {loaded:.0f} s, GIN indexes "
          f"{indexed:.0f} s, VACUUM ANALYZE {time.perf_counter() - started - loaded - indexed:.0f}"
          " s", flush=True)


def bench_search(url: str) -> None:
    with session_scope(url) as session:
        everything = []
        for kind, queries in SEARCHES.items():
            times = []
            for query in queries:
                times += timed(lambda q=query: search(session, q, limit=20), 3)
            percentiles(f"search {kind} (limit 20)", times)
            everything += times
        times = []
        for query in SEARCHES["broad"][:2] + SEARCHES["rare"][:2]:
            for filters in FILTERS:
                times += timed(lambda q=query, f=filters: search(session, q, f, limit=20), 3)
        percentiles("search with filters (limit 20)", times)
        percentiles("search, all of the above", everything + times)


def bench_series(url: str) -> None:
    times: list[float] = []
    with session_scope(url) as session:
        for metric, subject in SERIES:
            filters = FactFilter(metric=metric, subject=subject)
            times += timed(lambda f=filters: metric_series(session, f), 3)
    percentiles("series, metric + subject", times)


def bench_pages(url: str, n: int) -> None:
    with session_scope(url) as session:
        for label, offset in (("first page", 0), ("page at offset 1,000", 1000),
                              (f"deep page (offset {n // 2:,})", n // 2)):
            percentiles(f"articles list, {label}",
                        timed(lambda o=offset: list_articles(session, ArticleFilter(),
                                                             limit=20, offset=o), 3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="A PostgreSQL database URL.")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    if args.rebuild or not _has_articles(args.url):
        _empty_postgres(args.url)
        build(args.url, args.articles)
    else:
        ensure_schema(args.url)
        print(f"reusing {args.url}")
    bench_search(args.url)
    bench_series(args.url)
    bench_pages(args.url, args.articles)
    if not args.no_export:
        with tempfile.TemporaryDirectory() as tmp:
            bench_export(args.url, "jsonl", Path(tmp))


if __name__ == "__main__":
    main()
