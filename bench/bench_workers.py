"""Throughput of one distributed crawl with 1, 2 and 4 `parkwatch worker`s (real Redis and
PostgreSQL, a local sample site answering after a fixed latency).

    .venv/bin/python bench/bench_workers.py                     # 400 articles, 50 ms latency
    .venv/bin/python bench/bench_workers.py --articles 200 --latency 0.5 --concurrency 2

For each worker count: a fresh PostgreSQL database and Redis key prefix, the workers started
and idle, then `parkwatch crawl --distributed` timed from its start until the run has drained
(so each worker's crawl-process start-up is included). The site's host limit is lifted
(PARKWATCH_HOST_RATE=0) so the workers, not politeness, set the pace.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from parkwatch.samplesite import SiteServer, build_site, generate_records  # noqa: E402
from parkwatch.samplesite.server import LockedPages  # noqa: E402

ADMIN = os.environ.get("PARKWATCH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("PARKWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "PARKWATCH_HOST_RATE=0", "-s", "PARKWATCH_HOST_CONCURRENCY=0"]


def concurrency(n: int) -> list[str]:
    return ["-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={n}", "-s", f"CONCURRENT_REQUESTS={n}"]


class SlowPages(LockedPages):
    """Pages served after `latency` seconds (the server answers each request in a thread)."""

    latency = 0.0

    def get_page(self, key):
        time.sleep(self.latency)  # the simulated network and server time of a real site
        return super().get_page(key)


def database() -> tuple[str, str]:
    import psycopg

    name = f"parkwatch_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    return name, url.replace("postgresql://", "postgresql+psycopg://", 1)


def drop(name: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def one(count: int, records, latency: float, per_worker: int) -> tuple[float, int, str]:
    server = SiteServer()
    SlowPages.latency = latency
    server.pages = SlowPages()
    server.start()
    server.pages.update(build_site(records, base_url=server.url))
    root = Path(tempfile.mkdtemp(prefix=f"parkwatch-bench-workers-{count}-"))
    (root / "parkwatch.toml").write_text(f'[sources.e-my399]\nbase_url = "{server.url}"\n')
    name, url = database()
    prefix = f"parkwatch-bench:{uuid.uuid4().hex[:10]}:"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"), PARKWATCH_DATABASE_URL=url,
               PARKWATCH_HOME=str(root), PARKWATCH_REDIS_URL=REDIS,
               PARKWATCH_REDIS_PREFIX=prefix)
    subprocess.run([sys.executable, "-m", "parkwatch", "db", "upgrade"], cwd=root, env=env,
                   check=True, capture_output=True)
    workers = [subprocess.Popen([sys.executable, "-m", "parkwatch", "worker", *FAST,
                                 *concurrency(per_worker)], cwd=root,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True) for _ in range(count)]
    try:
        time.sleep(3)  # let the idle workers import everything before the clock starts
        started = time.monotonic()
        crawl = subprocess.run([sys.executable, "-m", "parkwatch", "crawl", "--source", "e-my399",
                                "--distributed", "--quiet", *FAST], cwd=root, env=env,
                               capture_output=True, text=True)
        took = time.monotonic() - started
    finally:
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        for proc in workers:
            proc.wait(timeout=60)
        server.stop()
        drop(name)
    if crawl.returncode != 0:
        raise SystemExit(f"crawl failed: {crawl.stdout} {crawl.stderr}")
    summary = crawl.stdout.strip().splitlines()[-1]
    new = int(summary.split(" new,")[0].rsplit(" ", 1)[1])
    return took, new, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--concurrency", type=int, default=16, help="requests per worker")
    args = parser.parse_args()
    records = generate_records(args.articles, seed=3)
    print(f"{args.articles} generated articles, {args.latency * 1000:.0f} ms per response, "
          f"{args.concurrency} requests at once per worker; {os.cpu_count()} CPU(s)")
    print(f"{'workers':>8} {'seconds':>8} {'new':>6} {'articles/s':>11} {'vs 1':>6}")
    base = None
    for count in args.workers:
        took, new, _summary = one(count, records, args.latency, args.concurrency)
        rate = new / took
        base = base or rate
        print(f"{count:8d} {took:8.1f} {new:6d} {rate:11.1f} {rate / base:6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
