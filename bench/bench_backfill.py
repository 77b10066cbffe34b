"""Backfill end to end against trafilatura alone, on the same generated pages in the same run.

A local sample site serves N generated article pages padded to about 20 KB (inline script and
style, as portals carry), with no delay. The pipeline (`parkwatch crawl`: crawl, parse, topics,
dedup, facts, SQLite storage) crawls it in a child process, sampled every second for its RSS
(and its worker processes') against the articles stored so far; then trafilatura alone
extracts the very same page bodies in one process. Run by hand:

    .venv/bin/python bench/bench_backfill.py [--articles 2000] [--repeat 1]
    .venv/bin/python bench/bench_backfill.py --mode pipeline|trafilatura --articles N

`--mode` runs one side alone (to time whole processes against each other from outside).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parkwatch.samplesite import SiteServer, build_site, generate_records  # noqa: E402
from parkwatch.samplesite.generate import DEFAULT_SECTIONS  # noqa: E402
from parkwatch.samplesite.server import Page  # noqa: E402

TARGET_BYTES = 20_000


def padding(size: int) -> bytes:
    """Inline script and style of `size` bytes: markup a parser must read and throw away."""
    rows = []
    n = 0
    while sum(map(len, rows)) < size:
        rows.append(f'  window.__cfg.push({{"slot": "ad-{n}", "w": 300, "h": 250, '
                    f'"targeting": {{"section": "news", "pos": {n % 7}}}}});\n')
        n += 1
    style = "".join(f".col-{i} {{ float: left; width: {i % 12 + 1}0px; }}\n" for i in range(40))
    return (f"<style>\n{style}</style>\n<script>\nwindow.__cfg = [];\n{''.join(rows)}"
            "</script>\n").encode()


def padded_site(count: int, base_url: str) -> dict[str, Page]:
    pages = build_site(generate_records(count, seed=7), per_page=20, base_url=base_url)
    for path, page in pages.items():
        if path.endswith(".html") and b"</body>" in page.body:
            extra = TARGET_BYTES - len(page.body)
            if extra > 0:
                body = page.body.replace(b"</body>", padding(extra) + b"</body>", 1)
                pages[path] = Page(body, page.content_type)
    return pages


def article_bodies(pages: dict[str, Page]) -> list[tuple[str, bytes]]:
    from parkwatch.settings import load_settings

    profile = load_settings().source("e-my399")
    return [(path, page.body) for path, page in pages.items() if profile.article_re.match(path)]


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    kids = [int(x) for x in text.split()]
    return kids + [g for k in kids for g in children(k)]


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def run_pipeline(root: Path, server: SiteServer, extra: list[str]) -> dict:
    db = root / "archive.db"
    db.unlink(missing_ok=True)
    sections = ", ".join(f'"{s}"' for s in DEFAULT_SECTIONS)
    (root / "parkwatch.toml").write_text(
        f'[sources.e-my399]\nbase_url = "{server.url}"\nsections = [{sections}]\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"),
               PARKWATCH_DATABASE_URL=f"sqlite:///{db}", PARKWATCH_HOME=str(root), NO_COLOR="1")
    subprocess.run([sys.executable, "-m", "parkwatch", "db", "upgrade"], cwd=root, env=env,
                   check=True, capture_output=True)
    profile = os.environ.get("BENCH_PROFILE")  # a cProfile output file for the crawl process
    prefix = ["-m", "cProfile", "-o", profile] if profile else []
    command = [sys.executable, *prefix, "-m", "parkwatch", "crawl", "--source", "e-my399",
               "--quiet",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
               "-s", "LOG_LEVEL=WARNING", *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    samples = []  # (seconds, stored, main RSS KiB, workers' RSS KiB)
    while child.poll() is None:
        time.sleep(1.0)
        kids = children(child.pid)
        samples.append((time.perf_counter() - started, stored(db), rss_kib(child.pid),
                        sum(rss_kib(k) for k in kids), max((rss_kib(k) for k in kids),
                                                           default=0)))
    seconds = time.perf_counter() - started
    out, err = child.communicate()
    if child.returncode:
        raise SystemExit(f"crawl failed ({child.returncode}): {err.decode()[-500:]}")
    return {"seconds": seconds, "stored": stored(db), "samples": samples}


def run_trafilatura(bodies: list[tuple[str, bytes]]) -> float:
    import trafilatura

    started = time.perf_counter()
    for _path, body in bodies:
        trafilatura.extract(body.decode("utf-8", "replace"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--mode", choices=("both", "pipeline", "trafilatura"), default="both")
    parser.add_argument("--repeat", type=int, default=1, help="pairs of runs (medians)")
    parser.add_argument("-s", dest="settings", action="append", default=[],
                        help="a Scrapy setting NAME=VALUE for the crawl")
    args = parser.parse_args()
    extra = [x for pair in args.settings for x in ("-s", pair)]
    with tempfile.TemporaryDirectory() as tmp, SiteServer() as server:
        root = Path(tmp)
        server.pages.update(padded_site(args.articles, server.url))
        bodies = article_bodies(dict(server.pages.items()))
        size = sum(len(b) for _, b in bodies) / len(bodies)
        print(f"{len(bodies)} article pages, {size / 1000:.1f} kB on average")
        pipeline_rates, trafilatura_rates = [], []
        for _ in range(args.repeat):
            if args.mode in ("both", "pipeline"):
                result = run_pipeline(root, server, extra)
                rate = result["stored"] / result["seconds"]
                pipeline_rates.append(rate)
                print(f"pipeline: {result['stored']} stored in {result['seconds']:.1f} s = "
                      f"{rate:.1f} pages/s")
                print_samples(result["samples"])
            if args.mode in ("both", "trafilatura"):
                seconds = run_trafilatura(bodies)
                trafilatura_rates.append(len(bodies) / seconds)
                print(f"trafilatura alone: {len(bodies)} extracted in {seconds:.1f} s = "
                      f"{len(bodies) / seconds:.1f} pages/s")
        if pipeline_rates and trafilatura_rates:
            ratios = sorted(p / t for p, t in zip(pipeline_rates, trafilatura_rates,
                                                  strict=True))
            print(f"ratio pipeline / trafilatura alone: median {ratios[len(ratios) // 2]:.2f}x "
                  f"(runs: {', '.join(f'{r:.2f}' for r in ratios)})")


def print_samples(samples: list[tuple]) -> None:
    if not samples:
        return
    peak = max(s[2] for s in samples)
    worker_peak = max(s[4] for s in samples)
    print(f"peak RSS: crawl process {peak / 1024:.0f} MiB, largest worker "
          f"{worker_peak / 1024:.0f} MiB, crawl + workers "
          f"{max(s[2] + s[3] for s in samples) / 1024:.0f} MiB")
    print(f"{'seconds':>8} {'stored':>7} {'crawl MiB':>10} {'workers MiB':>12}")
    step = max(1, len(samples) // 10)
    for s in samples[::step] + ([samples[-1]] if len(samples) % step else []):
        print(f"{s[0]:>8.0f} {s[1]:>7} {s[2] / 1024:>10.0f} {s[3] / 1024:>12.0f}")


if __name__ == "__main__":
    main()
