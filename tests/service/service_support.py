"""Drive the real `parkwatch serve` in a child process and poll the database with deadlines."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")


def wait_for(check: Callable[[], T], timeout: float, what: str, every: float = 0.2) -> T:
    """Poll `check` until it returns something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(every)  # poll interval inside a deadline, not synchronisation


class ServeProcess:
    """`parkwatch serve ARGS` in a child; its stderr goes to a file for the assertions."""

    def __init__(self, workspace, *args: str) -> None:
        self.workspace = workspace
        self.log = Path(workspace.root) / f"serve-{time.monotonic_ns()}.log"
        self._log_file = open(self.log, "w", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "parkwatch", "serve", *args], cwd=workspace.root,
            env=workspace.env(), stdin=subprocess.DEVNULL, stdout=self._log_file,
            stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def terminate(self, timeout: float = 30) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)

    def close(self) -> None:
        self.kill()
        self._log_file.close()

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def runs(workspace, source: str | None = None) -> list[dict[str, Any]]:
    """All runs, oldest first, read straight from the workspace database."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from scheduler.history import list_runs

    try:
        return list(reversed(list_runs(workspace.database_url, source, limit=100_000)))
    except (OperationalError, ProgrammingError):  # the service has not created the schema yet
        return []


def finished(workspace, trigger: str | None = None) -> list[dict[str, Any]]:
    return [r for r in runs(workspace) if r["status"] != "running"
            and (trigger is None or r["trigger"] == trigger)]


def pid_gone(pid: int) -> bool:
    from scheduler.leases import pid_alive

    return not pid_alive(pid)


def assert_no_overlap(all_runs: list[dict[str, Any]]) -> None:
    """No two runs of one source were running at the same time."""
    from datetime import datetime

    for source in {r["source"] for r in all_runs}:
        spans = sorted((datetime.fromisoformat(r["started_at"]),
                        datetime.fromisoformat(r["finished_at"]), r["id"])
                       for r in all_runs if r["finished_at"] and r["source"] == source)
        for (_s1, f1, id1), (s2, _f2, id2) in zip(spans, spans[1:], strict=False):
            assert s2 >= f1, f"runs {id1} and {id2} of {source} overlapped"


def configure(workspace, site_url: str, schedule: str | None = None, **settings: Any) -> None:
    """Service settings at the top of the config file, then the profile pointed at the site."""
    top = "".join(f"{k} = {v!r}\n" for k, v in settings.items())
    extra = f'schedule = "{schedule}"\n' if schedule else ""
    workspace.config.write_text(f'{top}[sources.e-my399]\nbase_url = "{site_url}"\n{extra}')
