"""APScheduler's SQLAlchemy job store: one job per enabled source, kept in step with the config."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import inspect

from archive.db import get_engine
from foundation.settings import Settings
from scheduler.jobs import RUN_SOURCE
from scheduler.schedules import Schedule, parse_schedule

log = logging.getLogger(__name__)

TABLE = "apscheduler_jobs"


def job_store(url: str) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(engine=get_engine(url), tablename=TABLE)


def schedules(config: Settings, interval: Schedule | None = None) -> dict[str, Schedule]:
    """Each enabled source's schedule; `interval` (from --interval) overrides them all."""
    return {name: interval or parse_schedule(profile.schedule)
            for name, profile in config.sources.items() if profile.enabled}


def sync_jobs(scheduler: BackgroundScheduler, config: Settings,
              interval: Schedule | None = None) -> None:
    """Add, keep or replace each source's job; remove jobs of sources no longer enabled.

    A job whose schedule did not change is kept as stored, so a run missed while the service
    was down fires once (coalesced) on start. A new interval job runs at once.
    """
    wanted = schedules(config, interval)
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            log.info("removing the job of %s (no longer an enabled source)", job.id)
            job.remove()
    for source, schedule in wanted.items():
        job = scheduler.get_job(source)
        if job is not None and job.name == schedule.label and job.func_ref == RUN_SOURCE:
            job.modify(misfire_grace_time=int(config.misfire_grace))
            continue
        first = datetime.now(UTC) + timedelta(seconds=1) if schedule.interval else None
        extra = {"next_run_time": first} if first else {}
        scheduler.add_job(RUN_SOURCE, schedule.trigger(config.jitter), args=[source],
                          id=source, name=schedule.label, replace_existing=True,
                          misfire_grace_time=int(config.misfire_grace), coalesce=True,
                          max_instances=1, **extra)
        log.info("scheduled %s: %s", source, schedule.label)


@dataclass
class StoredJob:
    id: str
    schedule: str
    func_ref: str
    args: list
    next_run: datetime | None


def stored_jobs(url: str) -> list[StoredJob]:
    """The jobs as stored in the database (empty before the service first ran)."""
    engine = get_engine(url)
    if not inspect(engine).has_table(TABLE):
        return []
    store = job_store(url)
    store.start(BackgroundScheduler(timezone=UTC), "default")
    try:
        return [StoredJob(job.id, job.name, job.func_ref, list(job.args), job.next_run_time)
                for job in store.get_all_jobs()]
    finally:
        store.shutdown()
