"""The functions APScheduler's job store names as "module:function" text.

APScheduler silently deletes a stored job whose function no longer resolves, so these paths are
part of the database format: keep `scheduler.jobs:run_source` where it is.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)

RUN_SOURCE = "scheduler.jobs:run_source"


class Runner(Protocol):
    def run_scheduled(self, source: str) -> None: ...


_runner: Runner | None = None


def bind(runner: Runner | None) -> None:
    """The service registers itself here while it runs (one service per process)."""
    global _runner
    _runner = runner


def run_source(source: str) -> None:
    """A scheduled crawl of `source` (plain argument: the source's name)."""
    if _runner is None:
        log.warning("scheduled crawl of %s skipped: no service is running", source)
        return
    _runner.run_scheduled(source)
