"""crawler.pool: pages parsed in worker processes give the same article as in-process; a page
that overruns its time limit is skipped with its reason and its worker replaced."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from crawler.pool import PagePool, PageResult, process_page
from foundation.settings import load_settings
from parkwatch.samplesite import article_path, generate_records, render_article

PROFILE = load_settings().source("e-my399")
RECORD = generate_records(1, seed=11)[0]
URL = "http://127.0.0.1:8000" + article_path(RECORD)
PAGE = render_article(RECORD)


def hang_on_request(body: bytes, url: str, *args) -> PageResult:
    """A parser that never returns on one URL (a worker-side stand-in for a hostile page)."""
    if url.endswith("/hang"):
        time.sleep(120)
    return process_page(body, url, *args)


def worker_pid(body: bytes, url: str, *args) -> PageResult:
    return PageResult(skipped=str(os.getpid()))


def run(pool: PagePool, body: bytes, url: str) -> PageResult:
    async def go() -> PageResult:
        return await pool.run(body, url, PROFILE)

    return asyncio.run(go())


def test_a_page_in_a_worker_is_the_page_in_process() -> None:
    local = run(PagePool(0, 0), PAGE, URL).item
    pool = PagePool(1, 30)
    try:
        remote = run(pool, PAGE, URL).item
    finally:
        pool.close()
    assert local is not None and remote is not None
    assert (remote.title, remote.text, remote.facts) == (local.title, local.text, local.facts)
    assert remote.fingerprint == local.fingerprint and remote.fingerprint.bands
    assert remote.text_hash == local.text_hash and remote.extractor_version
    assert remote.canonical_url == local.canonical_url


def test_a_page_without_an_article_is_skipped_with_its_reason() -> None:
    result = run(PagePool(0, 0), b"   ", URL)
    assert result.item is None and result.skipped == "empty page" and not result.error


@pytest.mark.timeout(60)
def test_a_page_that_hangs_is_skipped_and_its_worker_replaced() -> None:
    pool = PagePool(1, 1.0, task=hang_on_request)
    try:
        started = time.monotonic()
        hung = run(pool, PAGE, URL + "/hang")
        assert time.monotonic() - started < 30
        assert hung.item is None and hung.error and "took over 1 s" in hung.skipped
        after = run(pool, PAGE, URL)  # the next page gets a fresh worker
        assert after.item is not None and after.item.title
    finally:
        pool.close()


@pytest.mark.timeout(60)
def test_a_worker_is_replaced_after_its_quota_of_pages() -> None:
    pool = PagePool(1, 10.0, max_tasks=2, task=worker_pid)
    try:
        pids = [run(pool, PAGE, URL).skipped for _ in range(6)]
    finally:
        pool.close()
    # No worker serves more than its quota (the pool's start-up task counts as one of them).
    assert max(pids.count(pid) for pid in pids) <= 2 and len(set(pids)) >= 3
    assert str(os.getpid()) not in pids
