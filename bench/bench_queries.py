"""Benchmark the archive's queries on 100,000 generated articles (run by hand, prints figures).

    .venv/bin/python bench/bench_queries.py [--articles N] [--db PATH] [--rebuild] [--no-export]
    .venv/bin/python bench/bench_queries.py --url postgresql://postgres@127.0.0.1/bench ...

An existing --db file (or --url database with articles) is reused (it is only built when
empty, or with --rebuild), and brought to the current schema first, so new indexes are
measured too. To compare two versions of the code, run this script from each checkout
against its own copy of the archive, alternating (bench/bench_search_vs.py does that).

Builds a SQLite archive through bulk inserts (executemany; the full-text triggers of
migration 0002 index every row), then measures search p50/p95, series p95, and the wall time
and peak memory (max RSS of a child process) of `parkwatch export` over everything.
Goals: search p95 <= 50 ms, series p95 <= 20 ms, export peak <= 200 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.db import ensure_schema, normalise_url, session_scope  # noqa: E402
from archive.filters import ArticleFilter  # noqa: E402
from archive.models import Article, Fact, Source  # noqa: E402
from archive.queries import FactFilter, metric_series  # noqa: E402
from archive.search import search  # noqa: E402
from parkwatch.samplesite import generate_records  # noqa: E402
from parkwatch.samplesite.generate import DISTRICTS, ZONE_KINDS  # noqa: E402

METRICS = ["GDP", "industrial output", "fixed-asset investment", "foreign trade volume",
           "retail sales", "actual use of foreign capital", "number of enterprises",
           "tax revenue", "operating revenue", "investment in signed projects"]
UNITS = ["billion yuan", "billion yuan", "billion yuan", "billion yuan", "billion yuan",
         "million US dollars", "enterprises", "million yuan", "billion yuan", "billion yuan"]
SEARCHES = [
    "park", "industrial park", '"industrial park"', "software", "robot*", "biomedicine",
    '"high-tech industrial development zone"', "songbei OR daoli", "park NOT tourism",
    "(dairy OR soybean) AND processing", "graph*", "investment AND projects", "yuan",
    '"first quarter" output', "hydrogen energy", "semiconductors OR aerospace", "cathedral",
    "wetland", "snow*", "logistics NOT cold",
]
# A fact's subject is one of 216 parks ("Songbei Logistics Park"), so one park's metric has
# ~140 facts over 12 years, each value reported by a few articles.
SUBJECTS = [f"{d} {k}" for d in DISTRICTS for k in ZONE_KINDS]
SERIES = [("GDP", "Songbei Logistics"), ("industrial output", "Daoli Industrial Park"),
          ("tax revenue", "Hulan Food"), ("foreign capital", "Acheng Bonded"),
          ("retail sales", "Bin county Eco"), ("investment", "Mulan Green")]
WHOLE_METRICS = ["GDP", "tax revenue", "foreign capital"]  # ~30,000 facts each: a stress case


def build(url: str, n: int) -> None:
    ensure_schema(url)
    rng = random.Random(7)
    records = generate_records(n, seed=1)
    started = time.perf_counter()
    with session_scope(url) as session:
        session.execute(insert(Source), [{"id": 1, "name": "e-my399"}])
        articles, facts = [], []
        for article_id, record in enumerate(records, start=1):
            text = "\n".join(record["paragraphs"])
            published = date.fromisoformat(record["published"]) if record["published"] else None
            url_ = f"http://e.my399.com/system/{record['id']}.shtml"
            articles.append({
                "id": article_id, "source_id": 1, "url": url_, "canonical_url": url_,
                "title": record["title"], "text": text, "published": published,
                "section": record["section"], "topics": record["topics"], "topic_terms": {},
                "text_hash": hashlib.sha1(text.encode()).hexdigest(),
            })
            for position in range(rng.randint(1, 5)):
                m = rng.randrange(len(METRICS))
                year = rng.randint(2013, 2024)
                value = round(rng.choice([1, 2, 5, 10, 20]) * (1 + m) * (year - 2000) / 7, 1)
                facts.append({
                    "article_id": article_id, "position": position, "extractor_version": "b",
                    "value": value, "unit": UNITS[m], "kind": "level", "qualifier": "exact",
                    "period": str(year), "period_start": date(year, 1, 1),
                    "period_end": date(year, 12, 31), "metric": METRICS[m],
                    "subject": rng.choice(SUBJECTS), "sentence": text[:120],
                    "start": 0, "end": 10,
                })
            if len(articles) >= 5000:
                session.execute(insert(Article), articles)
                session.execute(insert(Fact), facts)
                articles, facts = [], []
        if articles:
            session.execute(insert(Article), articles)
            session.execute(insert(Fact), facts)
    print(f"built {n:,} articles in {time.perf_counter() - started:.1f} s")


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{label}: n={len(times)} p50={statistics.median(times):.1f} ms "
          f"p95={p95:.1f} ms max={times[-1]:.1f} ms")


def bench_search(url: str) -> None:
    times, hits = [], 0
    with session_scope(url) as session:
        for query in SEARCHES:
            for filters in (None, ArticleFilter(since=date(2020, 1, 1))):
                times += timed(lambda q=query, f=filters: search(session, q, f, limit=20), 5)
        hits = sum(len(search(session, q, None, limit=20)) for q in SEARCHES)
    percentiles("search (limit 20)", times)
    print(f"  {hits} hits over {len(SEARCHES)} queries")


def bench_series(url: str) -> None:
    times: list[float] = []
    with session_scope(url) as session:
        for metric, subject in SERIES:
            filters = FactFilter(metric=metric, subject=subject)
            times += timed(lambda f=filters: metric_series(session, f), 5)
        facts = len([s for p in metric_series(session, FactFilter(*SERIES[0]))
                     for v in p["values"] for s in v["sources"]])
        percentiles(f"series, metric + subject (~{facts:,} facts each)", times)
        times = []
        for metric in WHOLE_METRICS:
            times += timed(lambda m=metric: metric_series(session, FactFilter(metric=m)), 3)
        percentiles("series, metric alone (stress)", times)


LAUNCHER = """import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
sys.exit(status >> 8) if status else print(usage.ru_maxrss)
"""


def bench_export(url: str, fmt: str, workdir: Path) -> None:
    out = workdir / f"export.{fmt}"
    args = [sys.executable, "-m", "parkwatch", "export", "--format", fmt, "-o", str(out)]
    if fmt == "csv":
        args += ["--facts", str(workdir / "facts.csv")]
    config = workdir / "empty.toml"
    config.write_text("")
    env = {**os.environ, "PARKWATCH_DATABASE_URL": url, "PARKWATCH_CONFIG": str(config)}
    started = time.perf_counter()
    # A small launcher starts the export and reads its max RSS: a child forked straight from
    # this (large) process would report this process's pages as its own peak.
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *args], env=env, check=True,
                          cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_mb = int(proc.stdout.split()[-1]) / 1024
    print(f"export {fmt}: {elapsed:.1f} s, {out.stat().st_size / 1e6:.0f} MB written, "
          f"peak RSS {peak_mb:.0f} MB")


def _has_articles(url: str) -> bool:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return (inspect(conn).has_table("articles")
                    and bool(conn.execute(text("SELECT count(*) FROM articles")).scalar()))
    finally:
        engine.dispose()


def _empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir())
                        / "parkwatch-bench" / "archive.db")
    parser.add_argument("--url", help="A database URL (PostgreSQL) instead of --db.")
    parser.add_argument("--rebuild", action="store_true", help="Start from an empty file.")
    parser.add_argument("--no-export", action="store_true", help="Measure the queries only.")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{args.db}"
    if args.url:
        if args.rebuild or not _has_articles(url):
            _empty_postgres(url)
            build(url, args.articles)
        else:
            started = time.perf_counter()
            ensure_schema(url)
            print(f"reusing {args.url} (schema checked in {time.perf_counter() - started:.1f} s)")
    elif args.rebuild or not args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        build(url, args.articles)
    else:
        started = time.perf_counter()
        ensure_schema(url)  # a file built before a new migration gets its indexes
        print(f"reusing {args.db} (schema checked in {time.perf_counter() - started:.1f} s)")
    print(f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bench_search(url)
    bench_series(url)
    if args.no_export:
        return
    with tempfile.TemporaryDirectory() as tmp:
        bench_export(url, "jsonl", Path(tmp))
        bench_export(url, "csv", Path(tmp))


if __name__ == "__main__":
    main()
