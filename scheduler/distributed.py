"""A distributed run of one source, started by `crawl --distributed` or `serve --distributed`:
the source's lease and crawl_runs row as for any run, the crawl itself on the workers."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from crawler.distributed.coordinator import Outcome, coordinate
from crawler.run import RunResult, finish_run
from foundation.settings import Settings
from scheduler import leases
from scheduler.runs import Claim

log = logging.getLogger(__name__)
INTERRUPTED = "interrupted: stopped by Ctrl-C before the crawl finished"


def run_claimed(config: Settings, claim: Claim,
                stop_deadline: Callable[[], float | None] = lambda: None,
                on_progress: Callable[[dict[str, int], int], None] | None = None) -> RunResult:
    """Seed the claimed run, wait for the workers to drain it, record it, release the lease."""
    url, plan = config.database_url, claim.plan

    def should_stop() -> str | None:
        deadline = stop_deadline()
        if deadline is not None and time.monotonic() > deadline:
            return "stopped: the service shut down before the crawl finished"
        return None

    outcome = Outcome("failed", error="the run did not start")
    try:
        with leases.Heartbeat(url, claim.source_id, claim.holder, config.lease_ttl,
                              claim.run_id):
            try:
                outcome = coordinate(config, plan.source, claim.run_id, options=plan.options,
                                     settings=plan.settings, should_stop=should_stop,
                                     on_progress=on_progress, timeout=config.crawl_timeout)
            except Exception as exc:  # recorded on the run; the caller reports one line
                outcome = Outcome("failed", error=f"{type(exc).__name__}: {exc}")
            except KeyboardInterrupt:  # Ctrl-C: the run is closed now, then the caller told
                finish_run(config, claim.run_id, "failed", {}, INTERRUPTED)
                raise
        if outcome.error and outcome.status == "succeeded":
            outcome.status = "failed"
        finish_run(config, claim.run_id, outcome.status, outcome.counts, outcome.error)
    finally:
        leases.release(url, claim.source_id, claim.holder)
    line = (f"run {claim.run_id} of {plan.source} {outcome.status} on {outcome.workers} "
            f"worker(s): {outcome.seeded} seeded, {outcome.requeued} re-queued")
    (log.warning if outcome.error else log.info)("%s%s", line,
                                                 f": {outcome.error}" if outcome.error else "")
    result = RunResult(claim.run_id, plan.source, outcome.status, outcome.counts, outcome.error)
    result.requeued, result.workers = outcome.requeued, outcome.workers  # type: ignore[attr-defined]
    return result
