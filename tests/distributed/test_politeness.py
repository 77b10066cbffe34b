"""One host's rate and concurrency limits hold across workers (two limiters, one Redis)."""

from __future__ import annotations

import uuid

import pytest
import redis

from crawler.distributed.politeness import HostLimiter

pytestmark = pytest.mark.redis


@pytest.fixture
def prefix(redis_url):
    prefix = f"parkwatch-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    server = redis.Redis.from_url(redis_url)
    found = list(server.scan_iter(match=prefix + "*"))
    if found:
        server.delete(*found)


def test_the_token_bucket_is_shared_by_workers(redis_url, prefix) -> None:
    server = redis.Redis.from_url(redis_url)
    one = HostLimiter(server, prefix, rate=2.0, burst=3, concurrency=0, slot_ttl=60)
    two = HostLimiter(redis.Redis.from_url(redis_url), prefix, rate=2.0, burst=3,
                      concurrency=0, slot_ttl=60)
    granted = [one.take("site.test", "a"), two.take("site.test", "b"), one.take("site.test", "c")]
    assert granted == [0, 0, 0]  # the burst
    wait = two.take("site.test", "d")
    assert 300 <= wait <= 500  # half a second per token at 2/s, less what has refilled
    assert one.take("other.test", "e") == 0  # another host has its own bucket


def test_concurrent_requests_per_host_are_bounded_across_workers(redis_url, prefix) -> None:
    one = HostLimiter(redis.Redis.from_url(redis_url), prefix, rate=0, burst=1, concurrency=2,
                      slot_ttl=60)
    two = HostLimiter(redis.Redis.from_url(redis_url), prefix, rate=0, burst=1, concurrency=2,
                      slot_ttl=60)
    assert one.take("site.test", "a") == 0 and two.take("site.test", "b") == 0
    assert two.take("site.test", "c") > 0  # two in flight: the third waits
    one.release("site.test", "a")
    assert two.take("site.test", "c") == 0


def test_a_dead_workers_slot_expires(redis_url, prefix) -> None:
    limiter = HostLimiter(redis.Redis.from_url(redis_url), prefix, rate=0, burst=1,
                          concurrency=1, slot_ttl=0.05)
    assert limiter.take("site.test", "a") == 0  # never released: its worker died
    import time

    deadline = time.monotonic() + 5
    while limiter.take("site.test", "b") != 0:
        assert time.monotonic() < deadline, "the slot never expired"
        time.sleep(0.01)  # polling the slot's expiry inside a deadline
