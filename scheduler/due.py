"""Due runs waiting for a crawl slot: oldest due first, one entry per source, and a run starts
only while fewer than `max_parallel_crawls` run and no other crawl of its host is running."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

from scheduler.runs import RunPlan


@dataclass(order=True)
class Due:
    """A run that came due at `due` (time.monotonic()); `seq` keeps equal times in order."""

    due: float
    seq: int
    plan: RunPlan = field(compare=False)
    host: str = field(compare=False)


class DueRuns:
    """A thread-safe waiting line of due runs (bounded by the number of sources)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, Due] = {}
        self._seq = itertools.count()

    def add(self, plan: RunPlan, host: str, due: float | None = None) -> bool:
        """Queue `plan`; False when its source already waits (the runs coalesce)."""
        with self._lock:
            if plan.source in self._waiting:
                return False
            self._waiting[plan.source] = Due(time.monotonic() if due is None else due,
                                             next(self._seq), plan, host)
            return True

    def take(self, free: int, running_sources: set[str], busy_hosts: set[str]) -> list[Due]:
        """Remove and return up to `free` runs to start now, oldest first, skipping sources
        being crawled and hosts busy (they keep their place in the line)."""
        picked: list[Due] = []
        with self._lock:
            hosts = set(busy_hosts)
            for entry in sorted(self._waiting.values()):
                if len(picked) >= free:
                    break
                if entry.plan.source in running_sources or entry.host in hosts:
                    continue
                hosts.add(entry.host)
                picked.append(entry)
            for entry in picked:
                del self._waiting[entry.plan.source]
        return picked

    def waiting(self) -> list[Due]:
        with self._lock:
            return sorted(self._waiting.values())

    def __contains__(self, source: str) -> bool:
        with self._lock:
            return source in self._waiting

    def __len__(self) -> int:
        with self._lock:
            return len(self._waiting)
