"""`parkwatch worker`: join every active run in Redis with one crawl process per run (a Twisted
reactor cannot restart, so each run's share is a fresh `crawler.distributed.child`)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from crawler.distributed import registry
from crawler.distributed.keys import RunKeys, connect

log = logging.getLogger("parkwatch.worker")

POLL = 0.5  # seconds between looks at the active runs
MAX_STARTS = 3  # a run whose share keeps crashing is left after this many starts
KILL_AFTER = 10.0


@dataclass
class Share:
    keys: RunKeys
    proc: subprocess.Popen
    starts: int


class Worker:
    """Runs until stop() (SIGTERM/SIGINT): at most `max_runs` runs at once."""

    def __init__(self, redis_url: str, prefix: str, settings: list[str], max_runs: int = 4,
                 log_level: str = "WARNING") -> None:
        self.redis_url, self.prefix = redis_url, prefix
        self.settings, self.max_runs, self.log_level = list(settings), max_runs, log_level
        self.server = connect(redis_url)
        self.shares: dict[str, Share] = {}
        self.starts: dict[str, int] = {}
        self.stop_event = threading.Event()

    def command(self, keys: RunKeys) -> list[str]:
        cmd = [sys.executable, "-m", "crawler.distributed.child", keys.source,
               "--run-id", str(keys.run_id), "--parent-pid", str(os.getpid()),
               "--log-level", self.log_level]
        for setting in self.settings:
            cmd += ["-s", setting]
        return cmd

    def step(self) -> None:
        """Reap finished shares, then join the active runs this worker is not in yet."""
        for token, share in list(self.shares.items()):
            if share.proc.poll() is not None:
                del self.shares[token]
                log.info("left run %s of %s (exit %s)", share.keys.run_id, share.keys.source,
                         share.proc.returncode)
        active = registry.active_runs(self.server, self.prefix)
        live = {k.token for k in active}
        for token in list(self.starts):
            if token not in live:
                del self.starts[token]
        for keys in active:
            if registry.orphaned(self.server, keys):  # its coordinator died: end the run
                log.warning("run %s of %s lost its coordinator: retiring it", keys.run_id,
                            keys.source)
                registry.retire(self.server, keys)
                registry.forget(self.server, keys)
                continue
            if keys.token in self.shares or len(self.shares) >= self.max_runs:
                continue
            if self.starts.get(keys.token, 0) >= MAX_STARTS:
                continue
            self.starts[keys.token] = self.starts.get(keys.token, 0) + 1
            # The Redis URL goes by environment: a password in it stays out of `ps`.
            env = {**os.environ, "PARKWATCH_REDIS_URL": self.redis_url,
                   "PARKWATCH_REDIS_PREFIX": self.prefix}
            proc = subprocess.Popen(self.command(keys), stdin=subprocess.DEVNULL, env=env)
            self.shares[keys.token] = Share(keys, proc, self.starts[keys.token])
            log.info("joined run %s of %s (pid %s)", keys.run_id, keys.source, proc.pid)

    def run(self) -> int:
        log.info("parkwatch worker started (pid %s)", os.getpid())
        while not self.stop_event.is_set():
            try:
                self.step()
            except Exception as exc:  # Redis blinked: try again at the next poll
                log.error("worker loop: %s: %s", type(exc).__name__, exc)
            self.stop_event.wait(POLL)
        self._stop_shares()
        log.info("parkwatch worker stopped")
        return 0

    def stop(self, *_args) -> None:
        self.stop_event.set()

    def _stop_shares(self) -> None:
        """SIGTERM each crawl (it returns its unfinished requests), SIGKILL if it lingers."""
        for share in self.shares.values():
            if share.proc.poll() is None:
                share.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + KILL_AFTER
        for share in self.shares.values():
            try:
                share.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                share.proc.kill()
                share.proc.wait()
