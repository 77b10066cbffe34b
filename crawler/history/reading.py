"""Pages read in both cores, outside a crawl: crawler.pool's process_page (parse, topics,
facts, fingerprint — the crawl's own reading) mapped over a batch in worker processes, each
page bounded in time, results in the batch's order."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from types import TracebackType

from pebble import ProcessExpired, ProcessFuture, ProcessPool

from crawler.pool import PRELOAD, PageResult, default_workers, process_page
from foundation.profile import Profile


@dataclass(frozen=True)
class PageTask:
    body: bytes
    url: str
    charset: str | None = None


class ReadingPool:
    """`pool.read(tasks)` → [PageResult] in order: in `workers` processes (0: in this one)."""

    def __init__(self, profile: Profile, workers: int | None = None, timeout: float = 30.0,
                 facts: bool = True, fingerprints: bool = True) -> None:
        self.profile, self.timeout = profile, timeout
        self.workers = default_workers() if workers is None else workers
        self.facts, self.fingerprints = facts, fingerprints
        self._pool: ProcessPool | None = None

    def __enter__(self) -> ReadingPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def _start(self) -> ProcessPool:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._pool = ProcessPool(max_workers=self.workers, max_tasks=500,
                                     context=context)
        return self._pool

    def read(self, tasks: Sequence[PageTask]) -> list[PageResult]:
        args = [(t.body, t.url, self.profile, t.charset, self.facts, self.fingerprints)
                for t in tasks]
        if self.workers <= 0:
            return [process_page(*a) for a in args]
        pool = self._start()
        futures = [pool.schedule(process_page, args=a, timeout=self.timeout) for a in args]
        return [_outcome(future, self.timeout) for future in futures]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join(timeout=10)
            self._pool = None


def _outcome(future: ProcessFuture[PageResult], timeout: float) -> PageResult:
    try:
        result: PageResult = future.result()
        return result
    except FutureTimeout:
        return PageResult(skipped=f"parsing took over {timeout:g} s (worker replaced)",
                          error=True)
    except ProcessExpired as exc:
        return PageResult(skipped=f"parser process died ({exc})", error=True)
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
        return PageResult(skipped=f"cannot parse ({type(exc).__name__}: {exc})", error=True)
