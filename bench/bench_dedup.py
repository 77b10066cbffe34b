"""The near-duplicate check per new article at 1k, 10k and 100k stored articles (SQLite).

The archive is grown by bulk load (generated articles with their band keys and signatures, as
the pipeline stores them); at each size, 300 new articles — a third of them re-posts of stored
ones with a new lead — are classified by pipelines.dedup.decide, one read transaction each,
and the time per check is printed (median and p95; it should stay flat). Run by hand:

    .venv/bin/python bench/bench_dedup.py [--sizes 1000,10000,100000] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from archive.db import ensure_schema, get_engine, session_scope  # noqa: E402
from archive.models import Article, ArticleBand, ArticleSignature  # noqa: E402
from archive.store import get_or_create_source  # noqa: E402
from parkwatch.samplesite import generate_records  # noqa: E402
from pipelines.dedup import decide, fingerprint  # noqa: E402
from pipelines.storage import text_hash  # noqa: E402

PROBES = 300


def text_of(record: dict) -> str:
    return "\n".join(p if isinstance(p, str) else p.get("text", "")
                     for p in record.get("paragraphs", record.get("body", [])))


def record_texts(n: int, seed: int, start_id: int) -> list[tuple[str, str]]:
    out = []
    for record in generate_records(n, seed=seed, start_id=start_id):
        body = record.get("text") or text_of(record)
        out.append((record["title"], body))
    return out


def prints(texts: list[str]):
    with Pool(2) as pool:
        return pool.map(fingerprint, texts, chunksize=200)


def load(url: str, source_id: int, start: int, count: int) -> None:
    """Append `count` generated articles with their fingerprints, in chunks of 2,000."""
    engine = get_engine(url)
    for offset in range(0, count, 2000):
        n = min(2000, count - offset)
        texts = record_texts(n, seed=start + offset, start_id=10_000_000 + start + offset)
        fps = prints([t for _, t in texts])
        with engine.begin() as conn:
            first = start + offset
            conn.execute(insert(Article.__table__), [
                {"id": first + i + 1, "source_id": source_id,
                 "url": f"http://bench/{first + i}.html",
                 "canonical_url": f"http://bench/{first + i}.html", "title": title,
                 "text": text, "text_hash": text_hash(text), "topics": [], "topic_terms": {}}
                for i, (title, text) in enumerate(texts)])
            conn.execute(insert(ArticleBand.__table__), [
                {"article_id": first + i + 1, "band": b, "value": v}
                for i, fp in enumerate(fps) for b, v in enumerate(fp.bands)])
            conn.execute(insert(ArticleSignature.__table__), [
                {"article_id": first + i + 1, "minhash": fp.minhash,
                 "figures": sorted(fp.figures), "shingles": fp.shingles, "cjk": fp.cjk}
                for i, fp in enumerate(fps)])


def probes(url: str, stored: int) -> list[tuple[str, str]]:
    """New stories, and re-posts (a new lead) of stored ones."""
    fresh = record_texts(PROBES, seed=999_999, start_id=90_000_000)
    rng = random.Random(stored)
    with get_engine(url).connect() as conn:
        ids = rng.sample(range(1, stored + 1), PROBES // 3)
        rows = conn.execute(Article.__table__.select().where(Article.__table__.c.id.in_(ids)))
        reposts = [(r.title, "Harbin, staff reporter. " + r.text) for r in rows]
    return fresh[: PROBES - len(reposts)] + reposts


def measure(url: str, stored: int) -> None:
    cases = probes(url, stored)
    fps = prints([t for _, t in cases])
    times, cpu, kinds = [], [], {}
    for n, ((title, text), fp) in enumerate(zip(cases, fps, strict=True)):
        started, started_cpu = time.perf_counter(), time.process_time()
        with session_scope(url) as session:
            decision = decide(session, f"http://probe/{stored}/{n}", title, text,
                              text_hash(text), None, fp)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        kinds[decision.kind] = kinds.get(decision.kind, 0) + 1
    times.sort()
    cpu.sort()
    print(f"{stored:>9,} stored: check per article wall median "
          f"{statistics.median(times) * 1000:.2f} ms, p95 "
          f"{times[int(len(times) * 0.95)] * 1000:.2f} ms; CPU median "
          f"{statistics.median(cpu) * 1000:.2f} ms, p95 {cpu[int(len(cpu) * 0.95)] * 1000:.2f} ms"
          f" ({kinds})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--db", help="SQLite file to build in (default: a temporary one)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "dedup.db"
        url = f"sqlite:///{path}"
        ensure_schema(url)
        with session_scope(url, write=True) as session:
            source_id = get_or_create_source(session, "bench").id
        stored = 0
        for size in sizes:
            started = time.perf_counter()
            load(url, source_id, stored, size - stored)
            print(f"loaded {size - stored:,} articles in {time.perf_counter() - started:.0f} s",
                  flush=True)
            stored = size
            measure(url, stored)


if __name__ == "__main__":
    main()
