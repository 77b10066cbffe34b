"""Run history for the CLI: runs as plain dicts, each source's last run, next run and health."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from archive.db import get_engine, is_read_only, session_scope
from archive.models import CrawlRequest, CrawlRun, Source
from crawler.runs import fail_dead_runs
from foundation.settings import Settings
from scheduler import leases
from scheduler.health import assess
from scheduler.jobtable import stored_jobs

RUN_FIELDS = ("id", "source", "trigger", "status", "started_at", "finished_at", "heartbeat_at",
              "pid", "pages", "listing_pages", "listing_changed", "listing_read", "listing_links",
              "new", "updated", "unchanged",
              "skipped", "duplicates", "errors", "error")


def _iso(value: datetime | None) -> str | None:
    return leases.aware(value).isoformat() if value else None


def run_dict(run: CrawlRun, source: str) -> dict[str, Any]:
    data: dict[str, Any] = {"source": source}
    for name in RUN_FIELDS:
        if name != "source":
            value = getattr(run, name)
            data[name] = _iso(value) if isinstance(value, datetime) else value
    return data


def settle(url: str, ttl: float = leases.STALE_AFTER) -> None:
    """Runs left `running` whose process is gone become failed before anyone reads them
    (a read-only archive is shown as it is)."""
    if not is_read_only(get_engine(url)):
        fail_dead_runs(url, ttl)


def list_runs(url: str, source: str | None = None, limit: int = 20,
              ttl: float = leases.STALE_AFTER) -> list[dict[str, Any]]:
    """Newest first."""
    settle(url, ttl)
    query = (select(CrawlRun, Source.name).join(Source, Source.id == CrawlRun.source_id)
             .order_by(CrawlRun.id.desc()).limit(limit))
    if source:
        query = query.where(Source.name == source)
    with session_scope(url) as session:
        return [run_dict(run, name) for run, name in session.execute(query).all()]


def source_status(config: Settings) -> list[dict[str, Any]]:
    """Per configured source: last run, running run, pending requests, next run, health."""
    url = config.database_url
    settle(url, config.lease_ttl)
    next_runs = {job.id: job for job in stored_jobs(url)}
    rows = []
    with session_scope(url) as session:
        ids = dict(session.execute(select(Source.name, Source.id)).all())
        for name, profile in config.sources.items():
            source_id = ids.get(name)
            finished: list[CrawlRun] = []
            running = queued = None
            if source_id is not None:
                finished = list(session.scalars(
                    select(CrawlRun).where(CrawlRun.source_id == source_id,
                                           CrawlRun.status != "running")
                    .order_by(CrawlRun.id.desc()).limit(3 * config.health_window)))
                running = session.scalar(
                    select(CrawlRun.id).where(CrawlRun.source_id == source_id,
                                              CrawlRun.status == "running")
                    .order_by(CrawlRun.id.desc()).limit(1))
                queued = len(session.scalars(
                    select(CrawlRequest.id).where(CrawlRequest.source_id == source_id,
                                                  CrawlRequest.taken_at.is_(None))).all())
            health = assess(finished, config.health_window)
            job = next_runs.get(name)
            rows.append({
                "source": name, "base_url": profile.base_url, "enabled": profile.enabled,
                "schedule": job.schedule if job else profile.schedule,
                "next_run": _iso(job.next_run) if job else None,
                "running_run": running, "queued": queued or 0,
                "last_run": run_dict(finished[0], name) if finished else None,
                "health": health.status, "reasons": health.reasons,
            })
    return rows
