"""One archive-writing thread per crawl: the storage pipeline's batches and the spider's state
writes (walks begun, validators, pages that are no article) run in it one after another, in the
order they were submitted, and off the crawl's event loop.

The order is what makes a kill safe: a walk's "in progress" mark is submitted before any of its
article requests exist, so it is committed before any of its articles; a next run that finds a
stored article of a walk also finds the walk unfinished, and resumes it."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from twisted.internet.defer import Deferred, fail, succeed
from twisted.python.threadpool import ThreadPool

logger = logging.getLogger(__name__)


class ArchiveWriter:
    """`writer.submit(f, *args)` → Deferred of f's result, f run in the writer's one thread."""

    def __init__(self) -> None:
        self._pool: ThreadPool | None = None
        self._pending = 0
        self._idle: list[Deferred] = []

    def _start(self) -> ThreadPool:
        from twisted.internet import reactor  # the crawl's, installed by then (not at import)

        if self._pool is None:
            self._pool = ThreadPool(minthreads=1, maxthreads=1, name="parkwatch-archive-writer")
            self._pool.start()
            reactor.addSystemEventTrigger("during", "shutdown", self.stop)
        return self._pool

    def submit(self, function: Callable[..., Any], *args: Any) -> Deferred:
        if not _reactor_running():  # e.g. a distributed run's seeding: no crawl, no thread
            try:
                return succeed(function(*args))
            except Exception:  # noqa: BLE001 - handed to the Deferred, as from the thread
                return fail()
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool

        self._pending += 1
        done = deferToThreadPool(reactor, self._start(), function, *args)
        done.addBoth(self._finished)
        return done

    def submit_logged(self, what: str, function: Callable[..., Any], *args: Any) -> Deferred:
        """Submit without waiting; a failure is logged on one line (the crawl goes on) and
        the Deferred then fires with None."""
        def failed(failure):
            logger.warning("could not store %s: %s", what, failure.getErrorMessage())

        return self.submit(function, *args).addErrback(failed)

    def _finished(self, result):
        self._pending -= 1
        if not self._pending:
            idle, self._idle = self._idle, []
            for waiter in idle:
                waiter.callback(None)
        return result

    def drained(self) -> Deferred:
        """A Deferred that fires once everything submitted so far has run."""
        waiter: Deferred = Deferred()
        if not self._pending:
            waiter.callback(None)
        else:
            self._idle.append(waiter)
        return waiter

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.stop()  # runs what is queued, then ends the thread
            self._pool = None


def _reactor_running() -> bool:
    reactor = sys.modules.get("twisted.internet.reactor")
    return bool(getattr(reactor, "running", False))


def writer_of(crawler) -> ArchiveWriter:
    """The crawl's writer (one per crawler, created on first use)."""
    writer = getattr(crawler, "_parkwatch_writer", None)
    if writer is None:
        writer = ArchiveWriter()
        crawler._parkwatch_writer = writer
    return writer
