"""Search latency of this checkout against another one, query by query in turn (run by hand).

    .venv/bin/python bench/bench_search_vs.py --db A.db --vs-code /path/to/old/checkout \\
        --vs-db B.db [--rounds 5]        # or database URLs (PostgreSQL) for --db / --vs-db

Two worker processes, one importing this checkout's archive.search on --db, one importing
--vs-code's on --vs-db (archives built by bench/bench_queries.py, each at its own schema),
run bench_queries.SEARCHES (with and without a date filter) alternately: A, B, A, B … so
both see the same machine load. Prints p50/p95 of each and the median of the per-query
ratios A/B; figures on a loaded machine are slower, the ratio is what to quote.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, sys, time
from datetime import date
sys.path.insert(0, sys.argv[1])
from archive.db import session_scope, ensure_schema
from archive.filters import ArticleFilter
from archive.search import search
url = sys.argv[2]
ensure_schema(url)
with session_scope(url) as session:
    print("ready", flush=True)
    for line in sys.stdin:
        query, dated = json.loads(line)
        filters = ArticleFilter(since=date(2020, 1, 1)) if dated else None
        started = time.perf_counter()
        hits = search(session, query, filters, limit=20)
        elapsed = (time.perf_counter() - started) * 1000
        print(json.dumps([elapsed, [h.id for h in hits]]), flush=True)
"""


def start(code: Path, url: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(code), url], cwd=code,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def ask(proc: subprocess.Popen[str], query: str, dated: bool) -> tuple[float, list[int]]:
    proc.stdin.write(json.dumps([query, dated]) + "\n")
    proc.stdin.flush()
    elapsed, ids = json.loads(proc.stdout.readline())
    return elapsed, ids


def p50_p95(times: list[float]) -> str:
    times = sorted(times)
    return (f"p50={statistics.median(times):.1f} ms "
            f"p95={times[min(len(times) - 1, int(len(times) * 0.95))]:.1f} ms")


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="A SQLite file or a database URL.")
    parser.add_argument("--vs-code", type=Path, required=True)
    parser.add_argument("--vs-db", required=True, help="A SQLite file or a database URL.")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from bench.bench_queries import SEARCHES

    a = start(REPO, _url(args.db))
    b = start(args.vs_code.resolve(), _url(args.vs_db))
    times_a, times_b, ratios, differ = [], [], [], set()
    best: dict[tuple[str, bool], list[float]] = {}
    try:
        for _ in range(args.rounds):
            for query in SEARCHES:
                for dated in (False, True):
                    ta, ids_a = ask(a, query, dated)
                    tb, ids_b = ask(b, query, dated)
                    times_a.append(ta)
                    times_b.append(tb)
                    ratios.append(ta / tb)
                    pair = best.setdefault((query, dated), [ta, tb])
                    best[query, dated] = [min(pair[0], ta), min(pair[1], tb)]
                    if ids_a != ids_b:
                        differ.add(query)
    finally:
        for proc in (a, b):
            proc.stdin.close()
            proc.wait(timeout=60)
    print(f"A (this checkout, {args.db}): search limit 20 {p50_p95(times_a)}")
    print(f"B ({args.vs_code}, {args.vs_db}): search limit 20 {p50_p95(times_b)}")
    print(f"A/B per query: median {statistics.median(ratios):.3f} "
          f"(n={len(ratios)}); queries whose hits differ: {sorted(differ) or 'none'}")
    fastest = [a_ms / b_ms for a_ms, b_ms in best.values()]
    print(f"fastest of {args.rounds} per query, A/B: median {statistics.median(fastest):.3f}, "
          f"sum {sum(v[0] for v in best.values()):.0f} ms vs "
          f"{sum(v[1] for v in best.values()):.0f} ms")
    for (query, dated), (a_ms, b_ms) in sorted(best.items(), key=lambda kv: -kv[1][0])[:5]:
        print(f"  slowest in A: {query!r}{' (since 2020)' if dated else ''}: "
              f"{a_ms:.1f} ms vs {b_ms:.1f} ms")


if __name__ == "__main__":
    main()
