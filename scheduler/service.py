"""`parkwatch serve`: APScheduler marks each source's run due, queued crawls are picked up, and
due runs start oldest first while fewer than `max_parallel_crawls` run and their host is idle;
every run is a child process (or, with --distributed, a run seeded for `parkwatch worker`s).
SIGTERM/SIGINT stop scheduling and give running crawls a grace period."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from datetime import UTC

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from archive.db import ensure_schema, session_scope
from archive.models import CrawlRequest, Source
from foundation.settings import ConfigError, Settings
from scheduler import jobs, leases
from scheduler.due import DueRuns
from scheduler.jobtable import job_store, sync_jobs
from scheduler.lock import ServiceLock
from scheduler.runs import RunPlan, claim, execute
from scheduler.schedules import Schedule
from watches.outbox import deliver_due
from watches.run import after_run

log = logging.getLogger("parkwatch.service")

# Leases and runs left behind by dead processes are looked for this often (seconds).
REAP_EVERY = 10.0
# APScheduler's jobs only mark runs due, so a few threads serve any number of sources.
JOB_THREADS = 4


def setup_logging(level: int = logging.INFO) -> None:
    """One line per event on stderr (journald adds the time stamps it needs)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


class Service:
    """The one scheduler process of a database."""

    def __init__(self, config: Settings, *, interval: Schedule | None = None,
                 settings: list[str] | None = None, distributed: bool = False,
                 max_parallel: int | None = None) -> None:
        self.config = config
        self.interval = interval
        self.settings = list(settings or [])
        self.distributed = distributed
        self.max_parallel = max_parallel or config.max_parallel_crawls
        self.holder = leases.holder_id()
        self.stop_event = threading.Event()
        self.due = DueRuns()
        self._wake = threading.Event()  # a run came due or ended: look at the line now
        self._deadline: float | None = None
        self._active: dict[str, threading.Event] = {}  # source → set when its run is done
        self._hosts: dict[str, str] = {}  # source → host of each running crawl
        self._lock = threading.Lock()

    # -- runs --------------------------------------------------------------------------------
    def stop_deadline(self) -> float | None:
        return self._deadline

    def run_scheduled(self, source: str) -> None:
        """APScheduler's job (via scheduler.jobs.run_source): the source's run is due."""
        if self.stop_event.is_set():
            return
        if source not in self.config.sources:
            log.warning("scheduled crawl of %s skipped: not a configured source", source)
            return
        with self._lock:
            running = source in self._active
        if running or not self.due.add(RunPlan(source, "schedule", self.settings),
                                       self.config.sources[source].host):
            log.info("scheduled crawl of %s skipped: it is %s", source,
                     "being crawled" if running else "already waiting for a slot")
            return
        self._wake.set()

    def dispatch(self) -> int:
        """Start due runs while slots are free: oldest first, one crawl per host at a time."""
        if self.stop_event.is_set():
            return 0
        with self._lock:
            free = self.max_parallel - len(self._active)
            running, hosts = set(self._active), set(self._hosts.values())
        started = 0
        for entry in self.due.take(free, running, hosts) if free > 0 else []:
            if self._run(entry.plan, wait=False, host=entry.host):
                started += 1
        return started

    def _run(self, plan: RunPlan, *, wait: bool, host: str | None = None) -> bool:
        """Claim the source and crawl it (in this thread if `wait`); False when it is busy."""
        with self._lock:
            if plan.source in self._active or self.stop_event.is_set():
                busy = True
            else:
                busy = False
                self._active[plan.source] = threading.Event()
                self._hosts[plan.source] = host or self.config.sources[plan.source].host
        if busy:
            self._log_busy(plan)
            return False
        try:
            claimed = claim(self.config, plan, self.holder)
        except Exception as exc:  # e.g. the database is away: try again next time
            self._done(plan.source)
            log.error("cannot start a crawl of %s: %s: %s", plan.source, type(exc).__name__,
                      exc)
            return False
        if claimed is None:
            self._done(plan.source)
            self._log_busy(plan)
            return False

        def work() -> None:
            try:
                if self.distributed:
                    from scheduler.distributed import run_claimed

                    run_claimed(self.config, claimed, self.stop_deadline)
                else:
                    execute(self.config, claimed, self.stop_deadline)
                after_run(self.config.database_url)  # watches: match, deliver (never raises)
            except Exception as exc:  # a run's failure is recorded; the service goes on
                log.error("run %s of %s: %s: %s", claimed.run_id, plan.source,
                          type(exc).__name__, exc)
            finally:
                self._done(plan.source)

        if wait:
            work()
        else:
            threading.Thread(target=work, name=f"run-{claimed.run_id}").start()
        return True

    def _log_busy(self, plan: RunPlan) -> None:
        if plan.trigger == "schedule":
            log.info("scheduled crawl of %s skipped: it is being crawled", plan.source)

    def _done(self, source: str) -> None:
        with self._lock:
            done = self._active.pop(source, None)
            self._hosts.pop(source, None)
        if done is not None:
            done.set()
        self._wake.set()

    def running(self) -> list[str]:
        with self._lock:
            return sorted(self._active)

    # -- queue -------------------------------------------------------------------------------
    def poll_queue(self) -> None:
        """Line up every queued request whose source is free; busy ones wait for the next poll.
        A request stays in crawl_requests until its run is claimed."""
        url = self.config.database_url
        with session_scope(url) as session:
            pending = session.execute(
                select(CrawlRequest.id, Source.name, CrawlRequest.options)
                .join(Source, Source.id == CrawlRequest.source_id)
                .where(CrawlRequest.taken_at.is_(None)).order_by(CrawlRequest.id)).all()
        for request_id, source, options in pending:
            with self._lock:
                running = source in self._active
            if running or source in self.due or self.stop_event.is_set():
                continue
            options = dict(options or {})
            if source not in self.config.sources:
                log.warning("queued crawl %s of %s dropped: not a configured source",
                            request_id, source)
                _drop_request(url, request_id)
                continue
            plan = RunPlan(source, "queue", self.settings + list(options.pop("settings", [])),
                           options, request_id)
            self.due.add(plan, self.config.sources[source].host)

    # -- lifecycle ---------------------------------------------------------------------------
    def _on_signal(self, signum: int, _frame) -> None:
        if self.stop_event.is_set():
            log.warning("second %s: stopping running crawls now", signal.Signals(signum).name)
            self._deadline = time.monotonic()
            return
        log.info("%s: stopping (running crawls get %gs to finish)",
                 signal.Signals(signum).name, self.config.grace_period)
        self._deadline = time.monotonic() + self.config.grace_period
        self.stop_event.set()
        self._wake.set()

    def serve(self) -> int:
        """Run until SIGTERM/SIGINT; return the exit code (0 on a clean stop)."""
        url = self.config.database_url
        if not any(p.enabled for p in self.config.sources.values()):
            raise ConfigError("no enabled source to schedule")
        lock = ServiceLock(url).acquire()
        try:
            ensure_schema(url)
            for run_id in leases.reap(url):
                log.warning("run %s was interrupted (marked failed)", run_id)
            scheduler = BackgroundScheduler(
                jobstores={"default": job_store(url)},
                executors={"default": ThreadPoolExecutor(JOB_THREADS)},
                job_defaults={"coalesce": True, "max_instances": 1,
                              "misfire_grace_time": int(self.config.misfire_grace)},
                timezone=UTC)
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, self._on_signal)
            jobs.bind(self)
            scheduler.start(paused=True)
            try:
                sync_jobs(scheduler, self.config, self.interval)
                scheduler.resume()
                log.info("parkwatch serve started (pid %s) on %d source(s), at most %d crawl(s) "
                         "at once%s", self.holder.rsplit(":", 1)[1], len(scheduler.get_jobs()),
                         self.max_parallel, ", distributed" if self.distributed else "")
                self._loop()
            finally:
                scheduler.shutdown(wait=False)
                self._drain()
                jobs.bind(None)
        finally:
            lock.release()
        log.info("parkwatch serve stopped")
        return 0

    def _loop(self) -> None:
        next_reap = time.monotonic() + REAP_EVERY
        next_poll = 0.0
        while not self.stop_event.is_set():
            self._wake.wait(max(0.0, next_poll - time.monotonic()))
            self._wake.clear()
            if self.stop_event.is_set():
                break
            try:
                if time.monotonic() >= next_poll:
                    next_poll = time.monotonic() + self.config.queue_poll
                    self.poll_queue()
                self.dispatch()
                if time.monotonic() >= next_reap:
                    next_reap = time.monotonic() + REAP_EVERY
                    for run_id in leases.reap(self.config.database_url):
                        log.warning("run %s was interrupted (marked failed)", run_id)
                    deliver_due(self.config.database_url)  # watch notifications to retry
            except Exception as exc:  # a blinking database must not end the service
                log.error("service loop: %s: %s", type(exc).__name__, exc)

    def _drain(self) -> None:
        """Wait for running crawls: they finish, or are stopped once the grace period ends."""
        with self._lock:
            pending = list(self._active.values())
        for done in pending:
            done.wait()


def _drop_request(url: str, request_id: int) -> None:
    from archive.models import utcnow

    with session_scope(url, write=True) as session:
        request = session.get(CrawlRequest, request_id)
        if request is not None:
            request.taken_at = utcnow()
