"""Benchmark parse_article: pages/s on fixture pages, and peak RSS and time on hostile pages.

    python bench/bench_parse.py                      # throughput + hostile pages, this tree
    python bench/bench_parse.py --vs /path/to/old    # the same hostile pages with another tree

Each hostile page is parsed in a fresh child process, so its peak RSS (ru_maxrss) is its own;
"extra" is the child's peak minus the peak of a child that only imported the parser.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

HOSTILE = {
    "million <p> (4 MB)": "'<html><body>' + '<p>a' * 1_000_000",
    "7.9M chars, 550k <span>": "'<html><body><div>' + '<span>ab</span>' * 526_000",
    "7.9M chars, one paragraph": "'<html><body><p>' + 'word ' * 1_580_000",
    "200k nested <div>": "'<html><body>' + '<div>' * 200_000 + 'text ' * 100",
    "7M-char attribute": "'<html><body><p title=\"' + 'a' * 7_000_000 + '\">x</p>'",
    "300k links": "'<html><body>' + '<a href=/x>link text</a> ' * 300_000",
    "7.9M chars, no tags": "'x' * 7_900_000",
    "7M of JSON-LD": ("'<html><head><script type=\"application/ld+json\">[' + "
                      "'{\"@type\":\"NewsArticle\"},' * 290_000 + '{}]</script></head>"
                      "<body><p>' + 'Some text here. ' * 50 + '</p>'"),
}

CHILD = """
import resource, sys, time
from foundation.settings import load_settings
from crawler.parsing.article import ParseError, parse_article
profile = load_settings().source("e-my399")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
body = ({expr}).encode() if {expr!r} else b""
start = time.perf_counter()
try:
    parse_article(body, "http://e.my399.com/news/2024-01-01/1.html", profile)
    outcome = "article"
except ParseError as exc:
    outcome = "refused: " + str(exc)[:40]
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(took, base, peak, len(body), outcome, sep="\\t")
"""


def hostile(tree: Path) -> list[dict]:
    rows = []
    env = {**os.environ, "PYTHONPATH": str(tree)}
    for name, expr in HOSTILE.items():
        out = subprocess.run([sys.executable, "-c", CHILD.format(expr=expr)], cwd=tree, env=env,
                             capture_output=True, text=True, timeout=600)
        if out.returncode:
            rows.append({"page": name, "error": out.stderr.strip().splitlines()[-1]})
            continue
        took, base, peak, size, outcome = out.stdout.strip().split("\t")
        rows.append({"page": name, "seconds": round(float(took), 2),
                     "extra_mib": round((int(peak) - int(base)) / 1024, 1),
                     "peak_mib": round(int(peak) / 1024, 1), "bytes": int(size),
                     "outcome": outcome})
    return rows


def throughput() -> None:
    sys.path.insert(0, str(HERE))
    from crawler.parsing.article import parse_article
    from foundation.settings import load_settings
    from parkwatch.samplesite import article_path, generate_records, render_article

    profile = load_settings().source("e-my399")
    records = generate_records(300, seed=3)
    for variant in ("classic", "modern"):
        pages = [(render_article(r, variant), "http://e.my399.com" + article_path(r))
                 for r in records]
        size = sum(len(body) for body, _ in pages) / len(pages)
        best = 0.0
        for _ in range(3):
            start = time.perf_counter()
            for body, url in pages:
                parse_article(body, url, profile)
            best = max(best, len(pages) / (time.perf_counter() - start))
        print(f"{variant:8s} {len(pages)} pages of {size / 1024:.1f} KiB: {best:.0f} pages/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vs", type=Path, help="another checkout to measure the same way")
    parser.add_argument("--hostile-only", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.hostile_only:
        throughput()
    trees = [("this tree", HERE)] + ([("reference", args.vs.resolve())] if args.vs else [])
    results = {label: hostile(tree) for label, tree in trees}
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for label, rows in results.items():
        print(f"\nhostile pages ({label}):")
        for row in rows:
            if "error" in row:
                print(f"  {row['page']:28s} ERROR {row['error']}")
            else:
                print(f"  {row['page']:28s} {row['seconds']:6.2f} s  +{row['extra_mib']:7.1f} MiB"
                      f"  (peak {row['peak_mib']:.0f} MiB)  {row['outcome']}")


if __name__ == "__main__":
    main()
