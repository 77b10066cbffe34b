"""Parks in the archive: what linking adds to storing, `parks relink` throughput, and the
series of a park and measure read back (p95), on a SQLite archive of the labelled sets'
articles stored again and again.

    python bench/bench_relink.py [--copies N] [--queries Q]

Stores the labelled sets' articles N times (each copy under its own URL, dedup off: the
ORM's path of save_article) through pipelines.storage.write_batch, once without linking and
once with it (wall time, one process, the linker warmed first),
relinks the linked archive (`parks relink`'s function), then reads every series of the
busiest parks by park and measure (parkwatch.parks.series) Q times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.db import ensure_schema, session_scope  # noqa: E402
from archive.entities import entity_facets  # noqa: E402
from archive.store import get_or_create_source  # noqa: E402
from parkwatch.parks import series  # noqa: E402
from pipelines import storage  # noqa: E402
from pipelines.entities.evaluate import parse_articles  # noqa: E402
from pipelines.entities.relink import relink  # noqa: E402
from pipelines.entities.stored import link_facts  # noqa: E402
from pipelines.items import ArticleItem  # noqa: E402
from pipelines.metrics import EXTRACTOR_VERSION  # noqa: E402
from pipelines.metrics.extract import extract_facts  # noqa: E402

SETS = Path(__file__).resolve().parents[1] / "tests" / "parks"
BATCH = 50


def items(copies: int) -> list[ArticleItem]:
    articles = [a for path in sorted(SETS.glob("*set_*.txt")) + sorted(SETS.glob("blind_*.txt"))
                for a in parse_articles(path.read_text("utf-8"))]
    facts = [[f.to_dict() for f in extract_facts(a.text, a.published)] for a in articles]
    out = []
    for copy in range(copies):
        for n, (a, found) in enumerate(zip(articles, facts, strict=True)):
            out.append(ArticleItem(url=f"http://bench.example/{copy}/{n}.html", title=a.title,
                                   text=a.text, published=a.published, facts=found,
                                   extractor_version=EXTRACTOR_VERSION))
    return out


def store(url: str, batch: list[ArticleItem]) -> float:
    ensure_schema(url)
    with session_scope(url, write=True) as session:
        source = get_or_create_source(session, "bench").id
    started = time.perf_counter()
    for i in range(0, len(batch), BATCH):
        storage.write_batch(url, source, batch[i:i + BATCH], dedup=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        plain, linked = (f"sqlite:///{Path(root) / name}" for name in ("plain.db", "linked.db"))
        made = items(args.copies)
        link_facts(made[0].title, made[0].text, made[0].facts)  # warm: patterns, pinyin
        with mock.patch.object(storage, "link_for_storage", lambda s, t, x, facts: facts):
            without = store(plain, items(args.copies))
        n_facts = sum(len(i.facts) for i in made)
        with_links = store(linked, made)
        print(f"{len(made)} articles, {n_facts} facts stored in batches of {BATCH} (wall time)")
        print(f"storing without linking: {without:6.2f} s   with linking: {with_links:6.2f} s"
              f"   linking adds {(with_links - without) / n_facts * 1e6:.0f} µs/fact")
        for workers in (1, 2):
            started = time.perf_counter()
            done = relink(linked, restart=True, workers=workers)
            took = time.perf_counter() - started
            print(f"relink, {workers} process(es) linking: {done['articles']} articles, "
                  f"{done['facts']} facts in {took:.2f} s: {done['articles'] / took:.0f} "
                  f"articles/s, {done['facts'] / took:.0f} facts/s")
        with session_scope(linked) as session:
            facets = entity_facets(session, limit=5)
            pairs = [(p["name"], m["name"]) for p in facets["parks"][:3]
                     for m in facets["measures"][:3]]
            times = []
            for i in range(args.queries):
                park, measure = pairs[i % len(pairs)]
                started = time.perf_counter()
                series(session, park, measure)
                times.append(time.perf_counter() - started)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"series by park and measure ({len(pairs)} pairs, {args.queries} reads): "
              f"median {statistics.median(times) * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
