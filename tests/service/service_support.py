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


def profile_toml(name: str, base_url: str, schedule: str | None = None) -> str:
    """A [sources.NAME] table: the built-in e-my399 profile's shapes at another address."""
    import tomllib

    from foundation.profile import builtin_profiles as _builtin_profiles

    base = _builtin_profiles()["e-my399"]
    lines = [f"[sources.{name}]", f'base_url = "{base_url}"',
             "sections = [" + ", ".join(f'"{s}"' for s in base["sections"]) + "]",
             f"listing_pattern = '{base['listing_pattern']}'",
             f"article_pattern = '{base['article_pattern']}'"]
    if schedule:
        lines.append(f'schedule = "{schedule}"')
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # a typo here would fail every test that uses it
    return text


def configure_many(workspace, sites: dict[str, str], schedule: str | None = None,
                   **settings: Any) -> None:
    """Service settings, then one source per {name: site URL} (the built-in one disabled)."""
    top = "".join(f"{k} = {v!r}\n" for k, v in settings.items())
    top += "[sources.e-my399]\nenabled = false\n"
    workspace.config.write_text(top + "".join(profile_toml(name, url, schedule)
                                              for name, url in sites.items()))


def max_overlap(spans: list[tuple[Any, Any]]) -> int:
    """The largest number of (start, end) spans open at one instant."""
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans],
                    key=lambda x: (x[0], x[1]))
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most
