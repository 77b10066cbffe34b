"""Real `parkwatch worker` processes and `crawl --distributed` on this machine's Redis (database
15, a key prefix of the test's own) and PostgreSQL, against a fixture site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tests.support.workspace import Workspace

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")


def projection(articles: list[dict]) -> dict[str, dict]:
    """What must be equal between two archives of one site: everything but ids and times."""
    by_id = {a["id"]: a["canonical_url"] for a in articles}
    out = {}
    for a in articles:
        row = {k: v for k, v in a.items() if k not in ("id", "first_seen", "last_fetched")}
        row["duplicate_of"] = by_id.get(a["duplicate_of"])
        row["similarity"] = round(a["similarity"], 6) if a["similarity"] is not None else None
        row["facts"] = [{k: v for k, v in f.items() if k not in ("id", "article_id")}
                        for f in a["facts"]]
        out[a["canonical_url"]] = row
    return out


class Cluster(Workspace):
    """A workspace whose commands share one Redis key space."""

    parse_workers = ""  # workers' crawls as a user's: through their parse workers

    def __init__(self, root: Path, database_url: str, redis_url: str) -> None:
        super().__init__(root, database_url)
        self.redis_url = redis_url
        self.prefix = f"parkwatch-test:{uuid.uuid4().hex[:12]}:"
        self.workers: list[subprocess.Popen] = []

    def env(self, **more: str) -> dict[str, str]:
        return super().env(PARKWATCH_REDIS_URL=self.redis_url,
                           PARKWATCH_REDIS_PREFIX=self.prefix, **more)

    def start_worker(self, *settings: str) -> subprocess.Popen:
        """`parkwatch worker` in a process group of its own (its crawl processes inside)."""
        log = open(self.root / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "parkwatch", "worker", *FAST, *settings], cwd=self.root,
            env=self.env(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.workers.append(proc)
        return proc

    def kill_group(self, proc: subprocess.Popen) -> None:
        """kill -9 the worker and every crawl process it started."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill_group(proc)
        import redis

        server = redis.Redis.from_url(self.redis_url)
        keys = list(server.scan_iter(match=self.prefix + "*"))
        if keys:
            server.delete(*keys)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.root.glob("worker-*")))

    def redis_keys(self) -> list[str]:
        import redis

        server = redis.Redis.from_url(self.redis_url)
        return sorted(k.decode() for k in server.scan_iter(match=self.prefix + "*"))


def wait_for(check, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(every)  # polling a condition inside a deadline, not synchronisation
    return value
