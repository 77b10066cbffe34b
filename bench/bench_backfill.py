"""Backfill end to end against trafilatura alone, on the same generated pages in the same run.

A local sample site serves N generated article pages padded to about 20 KB with no delay:
by default with a portal's chrome (menus and sidebars of story links, a footer: the markup
real article pages carry, and what makes extraction cost what it does), with `--padding
script` by inline script and style (cheap for any parser to throw away). The pipeline
(`parkwatch crawl`: crawl, parse, topics, dedup, facts, SQLite storage) crawls it in a child
process, sampled every second for its RSS (and its worker processes') against the articles
stored so far; then trafilatura alone extracts the very same page bodies in one process.
Run by hand:

    .venv/bin/python bench/bench_backfill.py [--articles 2000] [--repeat 1] [--padding portal]
    .venv/bin/python bench/bench_backfill.py --mode pipeline|trafilatura --articles N

`--mode` runs one side alone (to time whole processes against each other from outside).
Besides pages/s, each side's CPU time per page is printed: the crawl's counts its parse
workers, so the figure holds whatever else the machine is doing.
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


def portal_chrome(size: int) -> bytes:
    """`size` bytes of a portal's page chrome: navigation menus, sidebars of story links,
    a footer of links and notices — markup an extractor must walk, score and throw away."""
    words = ("zone", "park", "investment", "industrial", "port", "logistics", "forum",
             "province", "district", "energy", "trade", "export", "science", "city", "services")
    blocks, n = [], 0
    while sum(map(len, blocks)) < size:
        items = "".join(
            f'<li class="item item-{i}"><a href="/news/{n:04d}{i:02d}.html" '
            f'title="{words[(n + i) % 15]} {words[(n * 3 + i) % 15]}">'
            f'<span class="t">{words[(n + i) % 15].title()} {words[(n * 7 + i) % 15]} '
            f'{words[(n * 5 + i) % 15]} news</span></a>'
            f'<span class="d">2024-0{i % 9 + 1}-1{i % 9}</span></li>' for i in range(12))
        blocks.append(f'<div class="box box-{n}"><div class="hd"><h3>'
                      f'{words[n % 15].title()} updates</h3><a class="more" href="/more/{n}/">'
                      f'More</a></div><div class="bd"><ul class="list">{items}</ul></div>'
                      f'</div>\n')
        n += 1
    return (f'<div class="sidebar">{"".join(blocks)}</div>\n<div class="footer"><p>'
            'Sponsored by the city information office. All rights reserved.</p></div>\n'
            ).encode()


PADDINGS = {"script": padding, "portal": portal_chrome}


def padded_site(count: int, base_url: str, kind: str = "portal") -> dict[str, Page]:
    pages = build_site(generate_records(count, seed=7), per_page=20, base_url=base_url)
    for path, page in pages.items():
        if path.endswith(".html") and b"</body>" in page.body:
            extra = TARGET_BYTES - len(page.body)
            if extra > 0:
                body = page.body.replace(b"</body>", PADDINGS[kind](extra) + b"</body>", 1)
                pages[path] = Page(body, page.content_type)
    return pages


def article_bodies(pages: dict[str, Page]) -> list[tuple[str, bytes]]:
    from foundation.settings import load_settings

    profile = load_settings().source("e-my399")
    return [(path, page.body) for path, page in pages.items() if profile.article_re.match(path)]


def _proc_kib(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid: int) -> int:
    return _proc_kib(f"/proc/{pid}/status", "VmRSS:")


def pss_kib(pid: int) -> int:
    """Proportional set size: shared pages (the workers' preloaded modules) counted once."""
    return _proc_kib(f"/proc/{pid}/smaps_rollup", "Pss:")


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
    for leftover in (db, db.with_name("archive.db-wal"), db.with_name("archive.db-shm")):
        leftover.unlink(missing_ok=True)  # a stale WAL beside a new database: disk I/O error
    sections = ", ".join(f'"{s}"' for s in DEFAULT_SECTIONS)
    (root / "parkwatch.toml").write_text(
        f'[sources.e-my399]\nbase_url = "{server.url}"\nsections = [{sections}]\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"),
               PARKWATCH_DATABASE_URL=f"sqlite:///{db}", PARKWATCH_HOME=str(root), NO_COLOR="1")
    upgraded = subprocess.run([sys.executable, "-m", "parkwatch", "db", "upgrade"], cwd=root,
                              env=env, capture_output=True, text=True)
    if upgraded.returncode:
        raise SystemExit(f"db upgrade failed: {upgraded.stderr.strip()}")
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
    usage = None
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            break
        time.sleep(1.0)
        kids = children(child.pid)
        samples.append((time.perf_counter() - started, stored(db), rss_kib(child.pid),
                        sum(rss_kib(k) for k in kids), max((rss_kib(k) for k in kids),
                                                           default=0),
                        sum(pss_kib(p) for p in [child.pid, *kids])))
    seconds = time.perf_counter() - started
    err = child.stderr.read()
    if child.returncode:
        raise SystemExit(f"crawl failed ({child.returncode}): {err.decode()[-500:]}")
    # CPU of the crawl and of every process it waited for (its parse workers): what the
    # pipeline costs whatever else the machine is doing.
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "stored": stored(db), "samples": samples, "cpu": cpu}


def run_trafilatura(bodies: list[tuple[str, bytes]]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of trafilatura extracting every body in this process."""
    import trafilatura

    started, cpu = time.perf_counter(), time.process_time()
    for _path, body in bodies:
        trafilatura.extract(body.decode("utf-8", "replace"))
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--mode", choices=("both", "pipeline", "trafilatura"), default="both")
    parser.add_argument("--repeat", type=int, default=1, help="pairs of runs (medians)")
    parser.add_argument("--padding", choices=sorted(PADDINGS), default="portal",
                        help="what fills each page to 20 KB: a portal's chrome (menus, "
                             "sidebars of links: what real pages carry) or inline script")
    parser.add_argument("-s", dest="settings", action="append", default=[],
                        help="a Scrapy setting NAME=VALUE for the crawl")
    args = parser.parse_args()
    extra = [x for pair in args.settings for x in ("-s", pair)]
    with tempfile.TemporaryDirectory() as tmp, SiteServer() as server:
        root = Path(tmp)
        server.pages.update(padded_site(args.articles, server.url, args.padding))
        bodies = article_bodies(dict(server.pages.items()))
        size = sum(len(b) for _, b in bodies) / len(bodies)
        print(f"{len(bodies)} article pages, {size / 1000:.1f} kB on average "
              f"({args.padding} padding)")
        pipeline_rates, trafilatura_rates = [], []
        for _ in range(args.repeat):
            if args.mode in ("both", "pipeline"):
                result = run_pipeline(root, server, extra)
                rate = result["stored"] / result["seconds"]
                pipeline_rates.append(rate)
                print(f"pipeline: {result['stored']} stored in {result['seconds']:.1f} s = "
                      f"{rate:.1f} pages/s; CPU {result['cpu'] / result['stored'] * 1000:.1f} "
                      "ms an article (crawl process and its workers)")
                print_samples(result["samples"])
            if args.mode in ("both", "trafilatura"):
                seconds, cpu = run_trafilatura(bodies)
                trafilatura_rates.append(len(bodies) / seconds)
                print(f"trafilatura alone: {len(bodies)} extracted in {seconds:.1f} s = "
                      f"{len(bodies) / seconds:.1f} pages/s; CPU {cpu / len(bodies) * 1000:.1f} "
                      "ms a page")
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
          f"{max(s[2] + s[3] for s in samples) / 1024:.0f} MiB (RSS, shared pages counted in "
          f"each), {max(s[5] for s in samples) / 1024:.0f} MiB (PSS, counted once)")
    print(f"{'seconds':>8} {'stored':>7} {'crawl MiB':>10} {'workers MiB':>12} {'all PSS':>8}")
    step = max(1, len(samples) // 10)
    for s in samples[::step] + ([samples[-1]] if len(samples) % step else []):
        print(f"{s[0]:>8.0f} {s[1]:>7} {s[2] / 1024:>10.0f} {s[3] / 1024:>12.0f} "
              f"{s[5] / 1024:>8.0f}")


if __name__ == "__main__":
    main()
