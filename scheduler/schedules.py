"""Schedules as text — `every 6h`, a cron line `0 */6 * * *`, or `--interval 20s` — to triggers."""

from __future__ import annotations

from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from foundation.profile import check_schedule, parse_duration
from foundation.settings import ConfigError

# Jitter never exceeds this share of an interval, so `--interval 2s` stays about 2 s.
MAX_JITTER_SHARE = 0.1


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: `label` is its canonical text, stored as the job's name."""

    label: str
    interval: float | None = None
    cron: str | None = None

    def trigger(self, jitter: float) -> BaseTrigger:
        if self.interval is not None:
            spread = min(jitter, self.interval * MAX_JITTER_SHARE)
            return IntervalTrigger(seconds=self.interval, jitter=int(spread) or None,
                                   timezone="UTC")
        minute, hour, day, month, day_of_week = (self.cron or "").split()
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=day_of_week, jitter=int(jitter) or None, timezone="UTC")


def _seconds_label(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"every {int(seconds // size)}{unit}"
    return f"every {seconds:g}s"


def parse_schedule(spec: str) -> Schedule:
    """A profile's `schedule` value → Schedule; ConfigError with one line when unreadable."""
    try:
        spec = check_schedule(spec)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if spec.lower().startswith("every "):
        seconds = parse_duration(spec[6:])
        return Schedule(_seconds_label(seconds), interval=seconds)
    cron = " ".join(spec.split())
    return Schedule(f"cron {cron}", cron=cron)


def parse_interval(text: str) -> Schedule:
    """`--interval 20s` → Schedule; ConfigError with one line when unreadable."""
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise ConfigError(f"--interval: {exc}") from None
    return Schedule(_seconds_label(seconds), interval=seconds)
