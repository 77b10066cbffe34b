"""Run the real `parkwatch serve` against the sample site and report memory and runs over time.

    .venv/bin/python bench/bench_service.py                 # 30 minutes at a 10 s interval
    .venv/bin/python bench/bench_service.py --minutes 5 --interval 10s

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
    args = parser.parse_args()

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


if __name__ == "__main__":
    sys.exit(main())
