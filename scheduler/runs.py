"""One service run: take the source's lease, start `python -m crawler.run` as a child with a time
limit, heartbeat while it works, kill it on timeout or shutdown, and record the outcome."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update

from archive.db import redact, session_scope, url_password
from archive.models import CrawlRequest, CrawlRun, utcnow
from crawler.run import start_run
from crawler.runs import stamp_reason
from foundation.settings import Settings
from scheduler import leases

log = logging.getLogger(__name__)

# After SIGTERM, a child gets this long to close its crawl before SIGKILL.
KILL_AFTER = 5.0
POLL = 0.5


@dataclass
class RunPlan:
    """What to start: a source, why, and the child's extra arguments."""

    source: str
    trigger: str  # schedule | queue | cli
    settings: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    request_id: int | None = None


@dataclass
class Claim:
    """A lease held for a run row: the run may start."""

    plan: RunPlan
    source_id: int
    run_id: int
    holder: str


def claim(config: Settings, plan: RunPlan, holder: str) -> Claim | None:
    """Take the lease and create the run row; None when the source is busy."""
    url = config.database_url
    source_id = leases.source_id(url, plan.source)
    if not leases.acquire(url, source_id, holder, config.lease_ttl):
        return None
    try:
        run_id = start_run(config, plan.source, plan.trigger)
        leases.set_run(url, source_id, holder, run_id)
        if plan.request_id is not None:
            with session_scope(url, write=True) as session:
                session.execute(update(CrawlRequest).where(CrawlRequest.id == plan.request_id)
                                .values(taken_at=utcnow(), run_id=run_id))
    except BaseException:
        leases.release(url, source_id, holder)
        raise
    return Claim(plan, source_id, run_id, holder)


def child_command(claim: Claim) -> list[str]:
    plan = claim.plan
    cmd = [sys.executable, "-m", "crawler.run", plan.source, "--run-id", str(claim.run_id),
           "--trigger", plan.trigger, "--parent-pid", str(os.getpid()),
           "--log-level", "WARNING"]
    for setting in plan.settings:
        cmd += ["-s", setting]
    opts = plan.options
    if opts.get("max_articles"):
        cmd += ["--max-articles", str(int(opts["max_articles"]))]
    if opts.get("since"):
        cmd += ["--since", str(opts["since"])]
    cmd += [f"--{flag}" for flag in ("full", "refresh") if opts.get(flag)]
    return cmd


def _kill(proc: subprocess.Popen) -> None:
    """SIGTERM the child's process group, then SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, KILL_AFTER), (signal.SIGKILL, KILL_AFTER)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def execute(config: Settings, claim: Claim, stop_deadline: Callable[[], float | None]) -> str:
    """Run the claimed crawl in a child to its end; return its final status.

    `stop_deadline()` returns a time.monotonic() deadline once the service is stopping.
    """
    url, ttl = config.database_url, config.lease_ttl
    killed: str | None = None
    try:
        proc = subprocess.Popen(child_command(claim), stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as exc:
        killed = f"cannot start the crawl process: {exc}"
        proc = None
    if proc is not None:
        with session_scope(url, write=True) as session:
            session.execute(update(CrawlRun).where(CrawlRun.id == claim.run_id)
                            .values(pid=proc.pid))
        log.info("run %s of %s started (%s, pid %s)", claim.run_id, claim.plan.source,
                 claim.plan.trigger, proc.pid)
        started = time.monotonic()
        next_beat = started + ttl / 3
        while True:
            try:
                proc.wait(timeout=POLL)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            deadline = stop_deadline()
            if now - started > config.crawl_timeout:
                killed = f"timed out after {config.crawl_timeout:g}s"
            elif deadline is not None and now > deadline:
                killed = "stopped: the service shut down before the crawl finished"
            if killed:
                try:
                    stamp_reason(url, claim.run_id, killed)
                except Exception as exc:  # _record still writes it once the child is gone
                    log.warning("cannot note why run %s stops: %s", claim.run_id,
                                redact(str(exc).splitlines()[0] if str(exc) else repr(exc),
                                       url_password(url)))
                _kill(proc)
                break
            if now >= next_beat:
                next_beat = now + ttl / 3
                try:
                    if not leases.renew(url, claim.source_id, claim.holder, ttl, claim.run_id):
                        log.warning("run %s lost its lease", claim.run_id)
                except Exception as exc:  # the database may blink; the next beat retries
                    log.warning("heartbeat of run %s failed: %s", claim.run_id, exc)
    status = _record(config, claim, proc.returncode if proc else None, killed)
    leases.release(url, claim.source_id, claim.holder)
    return status


def _record(config: Settings, claim: Claim, returncode: int | None, killed: str | None) -> str:
    """The child records its counts; a crash, timeout or kill is recorded here as failed."""
    with session_scope(config.database_url, write=True) as session:
        run = session.get(CrawlRun, claim.run_id)
        if run is None:
            return "failed"
        if killed or run.status == "running":
            run.status = "failed"
            run.error = killed or f"the crawl process exited with code {returncode} " \
                                  "before recording its result"
            run.finished_at = run.finished_at or utcnow()
        status, error = run.status, run.error
    line = f"run {claim.run_id} of {claim.plan.source} {status}"
    if error:
        log.warning("%s: %s", line, error)
    else:
        log.info(line)
    return status
