"""Health: a source turns `degraded` when its site starts returning empty pages; the rules."""

from __future__ import annotations

import json
from types import SimpleNamespace

from parkwatch.samplesite import Page, article_path, build_site, generate_records
from scheduler.health import assess
from tests.service.service_support import (
    FAST,
    ServeProcess,
    configure,
    finished,
    runs,
    wait_for,
)
from tests.support.sites import RECORDS

EMPTY = Page(b"<html><head><title></title></head><body></body></html>")


def status(workspace) -> dict:
    return json.loads(workspace.run("status", "--json", check=True).stdout)[0]


def test_source_turns_degraded_when_its_pages_come_back_empty(workspace, site) -> None:
    configure(workspace, site.url, health_window=2)
    with ServeProcess(workspace, "--interval", "2s", *FAST) as serve:
        wait_for(lambda: finished(workspace), 60, "the first run")
        healthy = status(workspace)
        assert healthy["health"] == "ok" and healthy["last_run"]["new"] > 0
        assert healthy["next_run"] is not None and healthy["schedule"] == "every 2s"
        # The site publishes new stories, but every article page now comes back empty.
        fresh = generate_records(4, start_id=90000, seed=7)
        pages = build_site(RECORDS + fresh, variant="classic", base_url=site.url)
        for record in fresh:
            pages[article_path(record)] = EMPTY
        site.pages.update(pages)
        # A run already under way read the old pages: count only runs begun after the change.
        begun = max(r["id"] for r in runs(workspace))
        wait_for(lambda: len([r for r in finished(workspace) if r["id"] > begun]) >= 2, 60,
                 "two runs on the empty pages")
        degraded = wait_for(lambda: (s := status(workspace))["health"] == "degraded" and s, 30,
                            "the source to turn degraded")
        assert serve.terminate() == 0
    assert any(reason.startswith("fruitless") for reason in degraded["reasons"])
    assert degraded["last_run"]["new"] == 0 and degraded["last_run"]["skipped"] >= 4


def run(status="succeeded", pages=10, listing_pages=5, listing_changed=0, new=0, updated=0,
        skipped=0, listing_read=5, listing_links=20):
    return SimpleNamespace(status=status, pages=pages, listing_pages=listing_pages,
                           listing_changed=listing_changed, new=new, updated=updated,
                           skipped=skipped, listing_read=listing_read,
                           listing_links=listing_links)


def test_health_rules() -> None:
    quiet = run(pages=5)  # listings unchanged, nothing to fetch: a quiet site is healthy
    assert assess([], 3).status == "unknown"
    assert assess([quiet] * 3, 3).status == "ok"
    assert assess([run(new=3)] * 2, 3).status == "ok"  # too few runs to judge a trend
    assert assess([run(status="failed")] * 3, 3).reasons == ["failing: the last 3 runs failed"]
    assert assess([run(status="failed")] * 2 + [run(new=1)], 3).status == "ok"
    changed = run(pages=5, listing_changed=2)
    assert assess([changed] * 3, 3).reasons[0].startswith("fruitless")
    assert assess([changed, changed, run(pages=5, listing_changed=2, new=1)], 3).status == "ok"
    all_skipped = run(skipped=5)
    assert assess([all_skipped] * 3, 3).status == "degraded"
    # Extraction failure rate jumping from 0% to 60% while some pages still store.
    jump = [run(new=2, skipped=3)] * 3 + [run(new=5)] * 3
    assert [r for r in assess(jump, 3).reasons if r.startswith("extraction")] == [
        "extraction: 60% of article pages skipped (was 0%)"]
    steady = [run(new=2, skipped=3)] * 6  # always this bad: not a jump
    assert assess(steady, 3).status == "ok"
    # Listing pages that answer but hold no article link: the site changed its shape.
    blank = run(pages=5, listing_links=0)
    assert assess([blank] * 3, 3).reasons[0].startswith("blank")
    assert assess([blank, blank, run(pages=5)], 3).status == "ok"
    unchanged = run(pages=5, listing_read=0, listing_links=0)  # every listing answered 304
    assert assess([unchanged] * 3, 3).status == "ok"


def test_schedules_parse_to_triggers() -> None:
    from datetime import UTC, datetime

    import pytest

    from foundation.settings import ConfigError
    from scheduler.schedules import parse_interval, parse_schedule

    assert parse_schedule("every 6h").label == "every 6h"
    assert parse_schedule("every 90m").interval == 5400
    assert parse_interval("20s").label == "every 20s"
    cron = parse_schedule("0  */6 * * *")
    assert cron.label == "cron 0 */6 * * *"
    now = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
    fire = cron.trigger(jitter=0).get_next_fire_time(None, now)
    assert fire == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    jittered = parse_interval("2s").trigger(jitter=60)  # capped at a tenth of the interval
    assert jittered.jitter is None
    with pytest.raises(ConfigError, match="bad schedule"):
        parse_schedule("hourly")
    with pytest.raises(ConfigError, match="--interval: bad duration"):
        parse_interval("0s")


def test_source_turns_degraded_when_listings_lose_their_article_links(workspace, site) -> None:
    """A redesign: listing pages still answer, but no link has the article shape any more."""
    configure(workspace, site.url, health_window=2)
    for path, page in list(site.pages.items()):
        if path.endswith("/index.html") or "/index_" in path:
            site.pages[path] = Page(page.body.replace(b".html\"", b".shtml\"")
                                    .replace(b".html'", b".shtml'"))
    for _ in range(2):
        workspace.crawl("--full")
    health = status(workspace)
    assert health["health"] == "degraded", health
    assert any(reason.startswith("blank") for reason in health["reasons"])
    runs = json.loads(workspace.run("runs", "--json", check=True).stdout)
    assert runs[0]["listing_read"] > 0 and runs[0]["listing_links"] == 0
