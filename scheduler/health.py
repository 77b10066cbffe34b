"""A source's health from its last runs: `ok`, `degraded` (with reasons) or `unknown`.

Over the last N finished runs (N = `health_window`), a source is degraded when
- failing: all N runs failed;
- fruitless: all N runs stored nothing new or updated while there was something to store —
  its listing pages changed, or article pages were fetched and every one was skipped
  (an empty or unreadable page is skipped);
- blank: in all N runs listing pages were read but carried no article link (a redesign or
  new URL shapes: the profile's article pattern no longer matches);
- extraction: the share of fetched article pages that were skipped is at least 50% over the
  window and at least 30 points above the share over the N runs before it;
and at once when its last run failed because every start page failed (misconfigured: a wrong
address or start page, whatever the window).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

FAILURE_SHARE = 0.5
JUMP = 0.3


class RunCounts(Protocol):
    status: str
    error: str | None
    pages: int
    listing_pages: int
    listing_changed: int
    listing_read: int
    listing_links: int
    new: int
    updated: int
    skipped: int


@dataclass
class Health:
    status: str  # ok | degraded | unknown
    reasons: list[str] = field(default_factory=list)


def article_pages(run: RunCounts) -> int:
    return max(0, (run.pages or 0) - (run.listing_pages or 0))


def fruitless(run: RunCounts) -> bool:
    """A finished run that stored nothing although the site showed something to store."""
    if (run.new or 0) or (run.updated or 0):
        return False
    fetched = article_pages(run)
    return bool(run.listing_changed) or (fetched > 0 and (run.skipped or 0) >= fetched)


def blank(run: RunCounts) -> bool:
    """Listing pages were read and none held a link of the article shape."""
    return bool(run.listing_read) and not run.listing_links


def skipped_share(runs: list[RunCounts]) -> float | None:
    fetched = sum(article_pages(r) for r in runs)
    return min(1.0, sum(r.skipped or 0 for r in runs) / fetched) if fetched else None


def assess(runs: list[RunCounts], window: int) -> Health:
    """`runs`: the source's finished runs, newest first."""
    window = max(1, window)
    if not runs:
        return Health("unknown", ["no finished run yet"])
    from crawler.runs import EVERY_START_PAGE_FAILED

    last_error = getattr(runs[0], "error", None) or ""
    if runs[0].status == "failed" and last_error.startswith(EVERY_START_PAGE_FAILED):
        return Health("degraded", [f"misconfigured: {last_error}"])
    if len(runs) < window:  # too few runs to judge a trend: only the last one speaks
        ok = runs[0].status == "succeeded"
        return Health("ok" if ok else "unknown", [] if ok else ["the last run failed"])
    recent, before = runs[:window], runs[window:2 * window]
    reasons = []
    if all(r.status == "failed" for r in recent):
        reasons.append(f"failing: the last {window} runs failed")
    elif all(r.status == "failed" or fruitless(r) for r in recent):
        reasons.append(f"fruitless: the last {window} runs stored nothing new while the site "
                       "showed new pages")
    if all(blank(r) for r in recent):
        reasons.append(f"blank: the listing pages of the last {window} runs held no article "
                       "link (site redesigned? check the profile's article_pattern)")
    share = skipped_share([r for r in recent if r.status == "succeeded"])
    if share is not None and share >= FAILURE_SHARE:
        baseline = skipped_share([r for r in before if r.status == "succeeded"]) or 0.0
        if share - baseline >= JUMP:
            reasons.append(f"extraction: {share:.0%} of article pages skipped "
                           f"(was {baseline:.0%})")
    return Health("degraded" if reasons else "ok", reasons)
