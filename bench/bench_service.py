"""Run the real `parkwatch serve` against the sample site and report memory and runs over time.

    .venv/bin/python bench/bench_service.py                 # 30 minutes at a 10 s interval
    .venv/bin/python bench/bench_service.py --minutes 5 --interval 10s
    .venv/bin/python bench/bench_service.py --sources 500 --minutes 10 --max-parallel 4

With --sources N, N sources on --hosts local addresses (127.0.0.1, .2, …) each run hourly at a
minute of their own (source i at minute i mod 60), so a few come due together every minute; the
bench reports due runs against runs started (missed = due and never started), the most crawls
seen running at once (process count and crawl_runs spans), and the service's RSS over time.

Every sample prints the service's RSS, the peak RSS of its crawl children since the last
sample, and the runs completed so far; the site gains a few articles every minute so runs
keep storing. The RSS of a healthy service stays flat.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from parkwatch.samplesite import SiteServer, build_site, generate_records  # noqa: E402


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def run_counts(url: str) -> tuple[int, int]:
    from scheduler.history import list_runs

    try:
        rows = list_runs(url, limit=1_000_000)
    except Exception:  # schema not there yet
        return 0, 0
    return (sum(r["status"] == "succeeded" for r in rows),
            sum(r["status"] == "failed" for r in rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", default="10s")
    parser.add_argument("--records", type=int, default=200, help="articles on the site")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--sources", type=int, default=0, help="many sources (e.g. 500)")
    parser.add_argument("--hosts", type=int, default=50, help="with --sources: addresses")
    parser.add_argument("--max-parallel", type=int, default=4, help="with --sources")
    args = parser.parse_args()
    if args.sources:
        return many_sources(args)

    root = Path(tempfile.mkdtemp(prefix="parkwatch-bench-"))
    records = generate_records(args.records, seed=1)
    server = SiteServer().start()
    server.pages.update(build_site(records, base_url=server.url))
    url = f"sqlite:///{root / 'archive.db'}"
    (root / "parkwatch.toml").write_text(f'[sources.e-my399]\nbase_url = "{server.url}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"), PARKWATCH_DATABASE_URL=url,
               PARKWATCH_HOME=str(root))
    log = open(root / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "serve", "--interval", args.interval,
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=root, env=env, stdout=log, stderr=log)
    print(f"service pid {proc.pid}, {args.records} articles, interval {args.interval}, "
          f"{args.minutes:g} min; log {root / 'serve.log'}")
    print(f"{'minute':>7} {'service MB':>11} {'child peak MB':>14} {'runs ok':>8} {'failed':>7}")
    started = time.monotonic()
    end = started + args.minutes * 60
    next_sample, next_growth, child_peak = started + args.sample, started + 60, 0.0
    samples, next_id = [], 900000
    try:
        while time.monotonic() < end and proc.poll() is None:
            for child in children(proc.pid):
                child_peak = max(child_peak, rss_mb(child))
            now = time.monotonic()
            if now >= next_growth:  # the site publishes three new stories a minute
                next_growth = now + 60
                records = records + generate_records(3, start_id=next_id, seed=next_id,
                                                     start_date=date.today())
                next_id = max(r["id"] for r in records) + 1
                server.pages.update(build_site(records, base_url=server.url))
            if now >= next_sample:
                next_sample = now + args.sample
                ok, failed = run_counts(url)
                service = rss_mb(proc.pid)
                samples.append(service)
                print(f"{(now - started) / 60:7.1f} {service:11.1f} {child_peak:14.1f} "
                      f"{ok:8d} {failed:7d}", flush=True)
                child_peak = 0.0
            time.sleep(0.2)  # sampling period of the children's RSS
    finally:
        stop = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=120)
        server.stop()
    ok, failed = run_counts(url)
    print(f"stopped with exit {code} in {time.monotonic() - stop:.1f}s; {ok} runs succeeded, "
          f"{failed} failed in {(stop - started) / 60:.1f} min")
    if len(samples) >= 4:
        quarter = max(1, len(samples) // 4)
        first, last = samples[:quarter], samples[-quarter:]
        print(f"service RSS: first quarter avg {sum(first) / len(first):.1f} MB, last quarter "
              f"avg {sum(last) / len(last):.1f} MB, max {max(samples):.1f} MB")
    return 0 if code == 0 and failed == 0 else 1


def concurrent_runs(url: str) -> tuple[int, list[dict]]:
    """The most runs open at one instant, from crawl_runs spans; and the runs."""
    from datetime import datetime

    from scheduler.history import list_runs

    rows = list_runs(url, limit=1_000_000)
    events = []
    for r in rows:
        if r["started_at"] and r["finished_at"]:
            events += [(datetime.fromisoformat(r["started_at"]), 1),
                       (datetime.fromisoformat(r["finished_at"]), -1)]
    most = now = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):
        now += step
        most = max(most, now)
    return most, rows


def many_sources(args) -> int:
    """--sources N: N hourly sources at staggered minutes on --hosts addresses."""
    import tomllib
    from datetime import UTC, datetime, timedelta

    root = Path(tempfile.mkdtemp(prefix="parkwatch-bench-many-"))
    base = tomllib.loads((REPO / "foundation/sites/e-my399.toml").read_text())
    servers = []
    for h in range(args.hosts):
        server = SiteServer(host=f"127.0.0.{h + 1}").start()
        records = generate_records(3, start_id=30000 + 10 * h, seed=h)
        server.pages.update(build_site(records, base_url=server.url))
        servers.append(server)
    parts = [f"max_parallel_crawls = {args.max_parallel}\njitter = 0.0\n",
             "[sources.e-my399]\nenabled = false\n"]
    minute_of = {}
    for i in range(args.sources):
        name = f"src-{i:03d}"
        minute_of[name] = i % 60
        parts.append(
            f"[sources.{name}]\nbase_url = \"{servers[i % args.hosts].url}\"\n"
            "sections = [" + ", ".join(f'"{x}"' for x in base["sections"]) + "]\n"
            f"listing_pattern = '{base['listing_pattern']}'\n"
            f"article_pattern = '{base['article_pattern']}'\n"
            f'schedule = "{i % 60} * * * *"\n')
    (root / "parkwatch.toml").write_text("".join(parts))
    url = f"sqlite:///{root / 'archive.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"), PARKWATCH_DATABASE_URL=url,
               PARKWATCH_HOME=str(root))
    log = open(root / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "serve", "-s", "DOWNLOAD_DELAY=0",
         "-s", "AUTOTHROTTLE_ENABLED=False"], cwd=root, env=env, stdout=log, stderr=log)
    t0 = datetime.now(UTC)
    print(f"service pid {proc.pid}: {args.sources} sources on {args.hosts} hosts, hourly at "
          f"staggered minutes, max_parallel_crawls {args.max_parallel}, {args.minutes:g} min; "
          f"log {root / 'serve.log'}")
    print(f"{'minute':>7} {'service MB':>11} {'running':>8} {'max running':>12} {'runs ok':>8} "
          f"{'failed':>7}")
    started = time.monotonic()
    end = started + args.minutes * 60
    next_sample, most, samples = started + args.sample, 0, []
    try:
        while time.monotonic() < end and proc.poll() is None:
            running = len(children(proc.pid))
            most = max(most, running)
            now = time.monotonic()
            if now >= next_sample:
                next_sample = now + args.sample
                ok, failed = run_counts(url)
                service = rss_mb(proc.pid)
                samples.append(service)
                print(f"{(now - started) / 60:7.1f} {service:11.1f} {running:8d} {most:12d} "
                      f"{ok:8d} {failed:7d}", flush=True)
            time.sleep(0.2)  # sampling period of the crawl processes
    finally:
        t_end = datetime.now(UTC)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=300)
        for server in servers:
            server.stop()
    # Due: every minute boundary of a source's minute in [t0, t_end - 2 min] (the last two
    # minutes' runs may still be waiting for a slot when the bench stops).
    due: dict[str, int] = {}
    tick = t0.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while tick <= t_end - timedelta(minutes=2):
        for name, minute in minute_of.items():
            if tick.minute == minute:
                due[name] = due.get(name, 0) + 1
        tick += timedelta(minutes=1)
    spans_most, rows = concurrent_runs(url)
    ran: dict[str, int] = {}
    for r in rows:
        if r["trigger"] == "schedule":
            ran[r["source"]] = ran.get(r["source"], 0) + 1
    missed = sum(max(0, n - ran.get(name, 0)) for name, n in due.items())
    ok = sum(r["status"] == "succeeded" for r in rows)
    failed = sum(r["status"] == "failed" for r in rows)
    t = time.monotonic()
    status = subprocess.run([sys.executable, "-m", "parkwatch", "status", "--summary"], cwd=root,
                            env=env, capture_output=True, text=True)
    status_s = time.monotonic() - t
    print(f"stopped with exit {code}; runs: {ok} succeeded, {failed} failed; due runs "
          f"{sum(due.values())}, missed {missed}; most crawl processes at once {most}, most "
          f"runs open at once (crawl_runs) {spans_most}, bound {args.max_parallel}")
    print(f"status --summary in {status_s:.1f}s: {status.stdout.strip() or status.stderr.strip()}")
    if samples:
        print("service RSS series (MB): " + " ".join(f"{x:.0f}" for x in samples))
    if len(samples) >= 4:
        quarter = max(1, len(samples) // 4)
        first, last = samples[:quarter], samples[-quarter:]
        print(f"service RSS: first quarter avg {sum(first) / len(first):.1f} MB, last quarter "
              f"avg {sum(last) / len(last):.1f} MB, max {max(samples):.1f} MB")
    bounded = max(most, spans_most) <= args.max_parallel
    return 0 if code == 0 and missed == 0 and bounded else 1


if __name__ == "__main__":
    sys.exit(main())
