"""What a run does for the watches when it ends: match what it stored, deliver the outbox."""

from __future__ import annotations

import logging

from watches.match import match_new
from watches.outbox import deliver_due

log = logging.getLogger("parkwatch.watches")


def after_run(database_url: str) -> dict[str, int]:
    """Match new articles, then deliver every due message (retries included). Never raises:
    a run's result must not depend on a notification target; failures stay in the outbox."""
    try:
        matched = sum(match_new(database_url).values())
        counts = deliver_due(database_url)
    except Exception as exc:  # the outbox keeps what was not sent; the next run retries
        log.error("watches after the run: %s: %s", type(exc).__name__, exc)
        return {"matched": 0, "sent": 0, "failed": 0, "error": 1}
    return {"matched": matched, **counts}
