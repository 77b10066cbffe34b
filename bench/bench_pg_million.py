"""A million generated articles in PostgreSQL by bulk load (COPY), and the queries on them
(run by hand, prints figures; docs/performance.md, "At scale", has the last ones).

    nice -n 10 .venv/bin/python bench/bench_pg_million.py \\
        --url postgresql://postgres@127.0.0.1/million [--articles 1000000] [--rebuild] \\
        [--jobs 2] [--fingerprinted 50000] [--only search,series,pages,dedup,known,export] \\
        [--verbose] [--no-export]

Builds (only when the database has no articles, or with --rebuild) an archive at the current
schema: articles, their canonical URLs, ~3 facts each and their LSH band keys and signatures,
through COPY in `--jobs` processes (chunks of 50,000, seeds 1, 2, …: any order gives the same
archive), with the secondary indexes dropped and foreign-key triggers off during the load,
then the indexes, the facts' side tables (fact_terms, fact_names: their triggers are off
during the load) and VACUUM ANALYZE. The first `--fingerprinted` articles get their texts'
real fingerprints (pipelines.dedup), the rest made-up band keys in buckets of their own (as
many rows). Dates spread over 2013-2024. Then measures search p50/p95 (broad words, phrases,
rare words, filters), series, `articles list` pages (first, deep by offset and by `after`),
the near-duplicate check of a new article (pipelines.dedup.decide), the known-URL check of a
listing page (archive.store.known_urls) and `parkwatch export` time and peak memory. Goals
(issue 13): search p95 <= 100 ms, series p95 <= 50 ms, a deep page <= 50 ms, export memory
<= 200 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select, text  # noqa: E402

from archive.db import ensure_schema, get_engine, session_scope  # noqa: E402
from archive.models import Article  # noqa: E402
from archive.queries import (  # noqa: E402
    ARTICLE_ORDER,
    ArticleFilter,
    FactFilter,
    apply_filters,
    list_articles,
    metric_series,
)
from archive.search import search  # noqa: E402
from archive.store import known_urls  # noqa: E402
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
from pipelines.dedup import BANDS, NUM_PERM, decide, fingerprint  # noqa: E402
from pipelines.storage import text_hash  # noqa: E402

CHUNK = 50_000
ARTICLE_COLUMNS = ("id", "source_id", "url", "canonical_url", "title", "text", "published",
                   "section", "topics", "topic_terms", "text_hash", "first_seen",
                   "last_fetched")
# article_published / article_url: the copies of the article's date and URL that 0013's
# trigger fills (off during the load, so written here).
FACT_COLUMNS = ("article_id", "position", "extractor_version", "value", "unit", "kind",
                "qualifier", "period", "period_start", "period_end", "metric", "subject",
                "sentence", "start_offset", "end_offset", "article_published", "article_url")
SEARCHES = {
    "broad": ["park", "yuan", "industrial park", "investment AND projects"],
    "phrase": ['"industrial park"', '"high-tech industrial development zone"',
               '"first quarter" output'],
    "rare": ["cathedral", "wetland", "biomedicine", "hydrogen energy", "graph*"],
}
FILTERS = [ArticleFilter(since=date(2023, 1, 1)), ArticleFilter(section="business/parks"),
           ArticleFilter(topic="industrial-parks", since=date(2020, 1, 1))]
# Tables whose secondary indexes are dropped for the load and built after it (constraints stay).
LOADED = ("articles", "article_urls", "facts", "article_bands", "article_signatures")


def _nice_backend(conn, niceness: int = 10) -> None:
    """Lower the CPU priority of this connection's server process too (a local server run by
    this user, as on the development machine; skipped quietly otherwise)."""
    pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, niceness)


def _secondary_indexes(conn) -> dict[str, str]:
    """{name: definition} of the loaded tables' indexes that back no constraint."""
    rows = conn.execute(text(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
        "AND i.tablename = ANY(:tables) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conname = i.indexname)"), {"tables": list(LOADED)})
    return dict(rows.all())


def _copy_prints(cur, prints: list[tuple[int, object]]) -> None:
    """Band keys and signatures of these (id, fingerprint), as the pipeline stores them."""
    with cur.copy("COPY article_bands (article_id, band, value) FROM STDIN") as cp:
        for article_id, fp in prints:
            for band, value in enumerate(fp.bands):
                cp.write_row((article_id, band, value))
    with cur.copy("COPY article_signatures (article_id, minhash, figures, shingles, cjk) "
                  "FROM STDIN") as cp:
        for article_id, fp in prints:
            cp.write_row((article_id, fp.minhash, json.dumps(sorted(fp.figures)),
                          fp.shingles, fp.cjk))


# Articles past the fingerprinted ones get band keys and signatures made up in SQL: as many
# rows as the pipeline would store (42 bands each), values that land in buckets of their own.
SYNTHETIC_PRINTS = (
    "INSERT INTO article_bands (article_id, band, value) "
    "SELECT a.id, b.band, hashtextextended(a.id || ':' || b.band, 0) "
    "FROM articles a CROSS JOIN generate_series(0, :bands - 1) AS b(band) "
    "WHERE a.id > :low AND a.id <= :high",
    "INSERT INTO article_signatures (article_id, minhash, figures, shingles, cjk) "
    "SELECT id, decode(repeat(md5(id::text), :hex_repeat), 'hex'), '[]', 100, false "
    "FROM articles WHERE id > :low AND id <= :high",
)


# The side tables the facts' statement triggers fill (off with session_replication_role =
# replica): the words of their search vectors (0010) and their metric and subject names (0012).
SIDE_TABLES = (
    "INSERT INTO fact_terms (term) SELECT DISTINCT t FROM facts, "
    "unnest(tsvector_to_array(facts.search_vector)) AS t ON CONFLICT DO NOTHING",
    "INSERT INTO fact_names (field, name) SELECT DISTINCT 'metric', metric FROM facts "
    "WHERE metric IS NOT NULL UNION SELECT 'subject', subject FROM facts "
    "WHERE subject IS NOT NULL ON CONFLICT DO NOTHING",
)


def _load_chunk(job: tuple[str, int, int, int]) -> tuple[int, int, float]:
    """COPY one chunk of CHUNK generated articles (ids chunk*CHUNK+1…), their canonical URLs,
    facts and (for ids up to real_prints) real band keys and signatures, in one transaction.
    Each chunk draws from its own seed, so chunks load in any order, in any process."""
    url, chunk, n, real_prints = job
    began = time.perf_counter()
    rng = random.Random(11 + chunk)
    now = datetime(2024, 12, 31, tzinfo=UTC)
    first = chunk * CHUNK + 1
    records = generate_records(min(CHUNK, n - first + 1), seed=chunk + 1)
    engine = get_engine(url)
    facts_total = 0
    with engine.begin() as conn:
        _nice_backend(conn)
        conn.execute(text("SET session_replication_role = replica"))  # no FK triggers
        raw = conn.connection.dbapi_connection
        prints, urls, sources = [], [], {}
        with raw.cursor() as cur:
            with cur.copy(f"COPY articles ({', '.join(ARTICLE_COLUMNS)}) FROM STDIN") as cp:
                for article_id, record in enumerate(records, start=first):
                    body = "\n".join(record["paragraphs"])
                    url_ = f"http://e.my399.com/system/{article_id}.shtml"
                    published = date(rng.randint(2013, 2024), rng.randint(1, 12),
                                     rng.randint(1, 28))
                    cp.write_row((article_id, 1, url_, url_, record["title"], body, published,
                                  record["section"],
                                  '["industrial-parks"]' if record["topics"] else "[]", "{}",
                                  text_hash(body), now, now))
                    urls.append((url_, article_id, now))
                    sources[article_id] = (published, url_)
                    if article_id <= real_prints:
                        prints.append((article_id, fingerprint(body)))
            with cur.copy("COPY article_urls (url, article_id, first_seen) FROM STDIN") as cp:
                for row in urls:
                    cp.write_row(row)
            with cur.copy(f"COPY facts ({', '.join(FACT_COLUMNS)}) FROM STDIN") as cp:
                for a_id in range(first, first + len(records)):
                    for position in range(rng.randint(1, 5)):
                        m = rng.randrange(len(METRICS))
                        year = rng.randint(2013, 2024)
                        value = round(rng.choice([1, 2, 5, 10, 20]) * (1 + m)
                                      * (year - 2000) / 7, 1)
                        cp.write_row((a_id, position, "b", value, UNITS[m], "level", "exact",
                                      str(year), date(year, 1, 1), date(year, 12, 31),
                                      METRICS[m], rng.choice(SUBJECTS),
                                      "A generated sentence.", 0, 10, *sources[a_id]))
                        facts_total += 1
            if prints:
                _copy_prints(cur, prints)
        if first + len(records) - 1 > real_prints:  # the rest: made up, in SQL
            low, high = max(first - 1, real_prints), first + len(records) - 1
            for statement in SYNTHETIC_PRINTS:
                conn.execute(text(statement), {"bands": BANDS, "low": low, "high": high,
                                               "hex_repeat": NUM_PERM * 4 // 16})
    engine.dispose()
    return len(records), facts_total, time.perf_counter() - began


def _build_index(job: tuple[str, str, str]) -> tuple[str, float]:
    url, name, definition = job
    began = time.perf_counter()
    engine = get_engine(url)
    with engine.begin() as conn:
        _nice_backend(conn)
        conn.execute(text("SET maintenance_work_mem = '256MB'"))
        conn.execute(text("SET max_parallel_maintenance_workers = 0"))
        conn.execute(text(definition))
    engine.dispose()
    return name, time.perf_counter() - began


def build(url: str, n: int, real_prints: int, jobs: int = 2) -> None:
    """COPY everything with the secondary indexes dropped and foreign-key triggers off (the
    rows are consistent by construction), `jobs` chunks at a time (one server process each),
    then build the indexes (`jobs` at a time) and VACUUM ANALYZE."""
    ensure_schema(url)
    engine = get_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (id, name, created_at) VALUES "
                          "(1, 'e-my399', now())"))
        definitions = _secondary_indexes(conn)
        for name in definitions:
            conn.execute(text(f"DROP INDEX {name}"))
    engine.dispose()
    articles = facts_total = 0
    chunks = [(url, chunk, n, real_prints) for chunk in range((n + CHUNK - 1) // CHUNK)]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        for count, facts, seconds in pool.imap_unordered(_load_chunk, chunks):
            articles += count
            facts_total += facts
            print(f"  {articles:,} articles, {facts_total:,} facts (chunk {seconds:.0f} s, "
                  f"{time.perf_counter() - started:.0f} s)", flush=True)
        loaded = time.perf_counter() - started
        print(f"  loaded in {loaded:.0f} s; building {len(definitions)} indexes", flush=True)
        # Largest first, so the two processes finish at about the same time.
        order = sorted(definitions.items(), key=lambda kv: ("gin" not in kv[1],
                                                            "bucket" not in kv[0]))
        for name, seconds in pool.imap_unordered(
                _build_index, [(url, name, d) for name, d in order]):
            print(f"    {name} {seconds:.0f} s", flush=True)
    indexed = time.perf_counter() - started - loaded
    engine = get_engine(url)
    with engine.begin() as conn:  # what the facts' triggers keep, off during the load
        _nice_backend(conn)
        for statement in SIDE_TABLES:
            conn.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        _nice_backend(conn)
        conn.execute(text("VACUUM ANALYZE"))
    total = time.perf_counter() - started
    print(f"built {n:,} articles ({min(real_prints, n):,} fingerprinted), {facts_total:,} facts"
          f" in {total:.0f} s: COPY {loaded:.0f} s, indexes {indexed:.0f} s, VACUUM ANALYZE "
          f"{total - loaded - indexed:.0f} s", flush=True)


def bench_search(url: str, verbose: bool = False) -> None:
    with session_scope(url) as session:
        everything = []
        for kind, queries in SEARCHES.items():
            times = []
            for query in queries:
                these = timed(lambda q=query: search(session, q, limit=20), 3)
                if verbose:
                    print(f"    {query}: {statistics.median(these):.0f} ms")
                times += these
            percentiles(f"search {kind} (limit 20)", times)
            everything += times
        times = []
        for query in SEARCHES["broad"][:2] + SEARCHES["rare"][:2]:
            for filters in FILTERS:
                these = timed(lambda q=query, f=filters: search(session, q, f, limit=20), 3)
                if verbose:
                    print(f"    {query} {filters}: {statistics.median(these):.0f} ms")
                times += these
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
        # The same deep page by keyset: the cursor is the article just before it.
        cursor = session.scalar(select(Article.id).order_by(*ARTICLE_ORDER)
                                .offset(n // 2 - 1).limit(1))
        percentiles(f"articles list, deep page (after the {n // 2:,}th, keyset)",
                    timed(lambda: list_articles(session, ArticleFilter(), limit=20,
                                                after=cursor), 5))
        parks = ArticleFilter(section="business/parks", since=date(2016, 1, 1))
        cursor = session.scalar(apply_filters(select(Article.id), parks)
                                .order_by(*ARTICLE_ORDER).offset(n // 20).limit(1))
        percentiles("articles list, deep filtered page (section + since, keyset)",
                    timed(lambda: list_articles(session, parks, limit=20, after=cursor), 5))


def bench_dedup(url: str, fingerprinted: int, probes: int = 300) -> None:
    """pipelines.dedup.decide for new stories and re-posts (a new lead) of fingerprinted
    stored ones, one read transaction each, as the pipeline runs it."""
    fresh = [(r["title"], "\n".join(r["paragraphs"]))
             for r in generate_records(probes - probes // 3, seed=999_999)]
    rng = random.Random(5)
    with session_scope(url) as session:
        ids = rng.sample(range(1, fingerprinted + 1), probes // 3)
        reposts = [(title, "Harbin, staff reporter. " + body) for title, body in session.execute(
            select(Article.title, Article.text).where(Article.id.in_(ids)))]
    cases = [(title, body, fingerprint(body)) for title, body in fresh + reposts]
    times, kinds = [], {}
    for n, (title, body, print_) in enumerate(cases):
        began = time.perf_counter()
        with session_scope(url) as session:
            decision = decide(session, f"http://probe/{n}", title, body, text_hash(body), None,
                              print_)
        times.append((time.perf_counter() - began) * 1000)
        kinds[decision.kind] = kinds.get(decision.kind, 0) + 1
    percentiles(f"near-duplicate check per article ({len(reposts)} re-posts; {kinds})", times)


def bench_known(url: str, n: int, pages: int = 200, per_page: int = 50) -> None:
    """archive.store.known_urls for a listing page's links (30 stored, 20 new), in a session
    of its own per page, as the spider asks it."""
    rng = random.Random(3)
    times = []
    for page in range(pages):
        links = [f"http://e.my399.com/system/{rng.randint(1, n)}.shtml" for _ in range(30)]
        links += [f"http://e.my399.com/system/new-{page}-{i}.shtml" for i in range(20)]
        began = time.perf_counter()
        with session_scope(url) as session:
            found = known_urls(session, links)
        times.append((time.perf_counter() - began) * 1000)
        assert len(found) == len(set(links[:30])), "the stored links are known"
    percentiles(f"known-URL check per listing page ({per_page} links)", times)


PARTS = ("search", "series", "pages", "dedup", "known", "export")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="A PostgreSQL database URL.")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--fingerprinted", type=int, default=50_000,
                        help="Articles given real band keys and signatures (the rest: made up).")
    parser.add_argument("--jobs", type=int, default=2, help="Chunks loaded at a time.")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"What to measure, of {','.join(PARTS)}.")
    parser.add_argument("--verbose", action="store_true", help="Each search's median too.")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if args.no_export:
        parts.discard("export")
    if args.rebuild or not _has_articles(args.url):
        _empty_postgres(args.url)
        build(args.url, args.articles, args.fingerprinted, args.jobs)
    else:
        started = time.perf_counter()
        ensure_schema(args.url)
        print(f"reusing {args.url} (schema checked in {time.perf_counter() - started:.1f} s)")
    with session_scope(args.url) as session:
        n = session.scalar(select(func.count()).select_from(Article))
    print(f"{n:,} articles; load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}",
          flush=True)
    if "search" in parts:
        bench_search(args.url, args.verbose)
    if "series" in parts:
        bench_series(args.url)
    if "pages" in parts:
        bench_pages(args.url, n)
    if "dedup" in parts:
        bench_dedup(args.url, min(args.fingerprinted, n))
    if "known" in parts:
        bench_known(args.url, n)
    if "export" in parts:
        with tempfile.TemporaryDirectory() as tmp:
            bench_export(args.url, "jsonl", Path(tmp))


if __name__ == "__main__":
    main()
