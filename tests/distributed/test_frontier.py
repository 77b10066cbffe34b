"""What the distributed crawl relies on from scrapy-redis 0.9.1 and Scrapy 2.19, and the Lua
steps of the frontier (pop into in-flight, re-queue, pending), on the machine's real Redis."""

from __future__ import annotations

import uuid

import pytest
import redis
from scrapy import Request, Spider
from scrapy.core.engine import ExecutionEngine, _Slot
from scrapy.utils.test import get_crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.frontier import POP, dead_workers, in_progress, pending, requeue
from crawler.distributed.keys import RunKeys
from crawler.distributed.stats import counted

pytestmark = pytest.mark.redis


class Site(Spider):
    name = "site"

    def parse_page(self, response):
        yield from ()


@pytest.fixture
def server(redis_url):
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def keys(server):
    keys = RunKeys(f"parkwatch-test:{uuid.uuid4().hex[:12]}:", "site", 7)
    yield keys
    found = list(server.scan_iter(match=keys.prefix + "*"))
    if found:
        server.delete(*found)


def test_priority_queue_is_a_sorted_set_of_encoded_requests(server, keys) -> None:
    spider = Site()
    queue = PriorityQueue(server, spider, keys.requests)
    request = Request("http://example.test/a", callback=spider.parse_page,
                      cb_kwargs={"page": 2}, meta={"m": 1}, priority=5,
                      headers={"If-None-Match": '"x"'})
    queue.push(request)
    assert server.type(keys.requests) == b"zset"
    (member, score), = server.zrange(keys.requests, 0, -1, withscores=True)
    assert score == -5  # higher priority first
    again = queue._decode_request(member)
    assert (again.url, again.callback, again.cb_kwargs, again.meta["m"]) == (
        request.url, spider.parse_page, {"page": 2}, 1)
    assert again.headers[b"If-None-Match"] == b'"x"'
    assert queue._encode_request(again) == member  # same request, same member


def test_dupefilter_sees_a_url_once_per_key(server, keys) -> None:
    dupefilter = RFPDupeFilter(server, keys.dupefilter)
    other = RFPDupeFilter(server, keys.dupefilter)  # another worker, same run
    assert not dupefilter.request_seen(Request("http://example.test/a?b=1&a=2"))
    assert other.request_seen(Request("http://example.test/a?a=2&b=1"))  # canonical form
    assert not RFPDupeFilter(server, keys.key("other")).request_seen(
        Request("http://example.test/a?b=1&a=2"))


def test_a_persistent_scheduler_closing_keeps_the_shared_frontier(server, keys, redis_url):
    crawler = get_crawler(Site, {"REDIS_URL": redis_url, "SCHEDULER_PERSIST": True,
                                 "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
                                 "SCHEDULER_QUEUE_KEY": keys.requests,
                                 "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter})
    spider = Site.from_crawler(crawler)
    scheduler = Scheduler.from_crawler(crawler)
    scheduler.open(spider)
    assert scheduler.enqueue_request(Request("http://example.test/a"))
    assert not scheduler.enqueue_request(Request("http://example.test/a"))  # duplicate
    scheduler.close("finished")
    assert server.zcard(keys.requests) == 1 and server.scard(keys.dupefilter) == 1


def test_pop_moves_a_request_into_the_workers_in_flight_set_in_one_step(server, keys) -> None:
    server.zadd(keys.requests, {b"a": 0, b"b": -1})
    server.sadd(keys.workers, "w1")
    pop = server.register_script(POP)
    member, score = pop(keys=[keys.requests, keys.inflight("w1")])
    assert (member, float(score)) == (b"b", -1.0)  # the highest priority first
    assert pending(server, keys) == 2  # one queued, one held
    assert server.zrange(keys.inflight("w1"), 0, -1) == [b"b"]
    assert pop(keys=[keys.requests, keys.inflight("w1")])[0] == b"a"
    assert pop(keys=[keys.requests, keys.inflight("w1")]) is None
    assert pending(server, keys) == 2
    server.zrem(keys.inflight("w1"), b"a", b"b")
    assert pending(server, keys) == 0


def test_a_dead_workers_requests_go_back_to_the_frontier(server, keys) -> None:
    server.sadd(keys.workers, "dead", "alive")
    server.set(keys.alive("alive"), "1", px=10_000)
    server.zadd(keys.inflight("dead"), {b"x": -3, b"y": 0})
    assert dead_workers(server, keys) == ["dead"]
    assert requeue(server, keys, "dead") == 2
    assert server.zrange(keys.requests, 0, -1, withscores=True) == [(b"x", -3.0), (b"y", 0.0)]
    assert server.smembers(keys.workers) == {b"alive"}
    assert not server.exists(keys.inflight("dead"))
    assert pending(server, keys) == 2


def test_the_engine_tracks_requests_until_their_output_is_handled() -> None:
    """The frontier releases a request once it leaves the engine's in-progress set (a private
    attribute of Scrapy 2.19: this test fails loudly if it moves)."""
    from types import SimpleNamespace

    request = Request("http://example.test/a")
    engine = SimpleNamespace(_slot=SimpleNamespace(inprogress={request}))
    assert in_progress(engine) == {request}
    assert in_progress(SimpleNamespace(_slot=None)) == set()
    import inspect

    assert "self._slot.add_request(request)" in inspect.getsource(ExecutionEngine._download)
    assert "_remove_request" in inspect.getsource(ExecutionEngine._start_scheduled_request)
    assert "self.inprogress" in inspect.getsource(_Slot)
    # the request leaves only after the scraper is done with its callback's output
    assert "enqueue_scrape" in inspect.getsource(ExecutionEngine._handle_downloader_output)


def test_run_counts_are_the_parkwatch_stats() -> None:
    assert counted("parkwatch/new") and counted("item_dropped_count")
    assert not counted("downloader/request_count")


def test_a_worker_takes_up_walks_started_elsewhere() -> None:
    from types import SimpleNamespace

    from crawler.distributed.walks import SharedWalks

    spider = SimpleNamespace(_states={("listing", "http://s.test/a/"): {
        "complete": True, "in_progress": False}})
    walks = SharedWalks(spider)
    assert ("listing", "http://s.test/a/") not in walks  # `in` never creates one
    assert walks[("listing", "http://s.test/a/")].resume is False  # read to its end before
    assert walks[("listing", "http://s.test/b/")].resume is True  # never read to its end
    walks[("listing", "http://s.test/b/")].ended = True
    assert walks[("listing", "http://s.test/b/")].ended  # one record per walk


def test_a_request_is_marked_seen_and_queued_in_one_step(server, keys) -> None:
    """ENQUEUE: the duplicate filter's mark and the frontier's member come together (a worker
    killed between scrapy-redis's two commands left a request seen and never queued), and a
    retry of a held request releases the held member in that same step."""
    from crawler.distributed.frontier import ENQUEUE, queue_once

    spider = Site()
    queue = PriorityQueue(server, spider, keys.requests)
    dupefilter = RFPDupeFilter(server, keys.dupefilter)
    enqueue = server.register_script(ENQUEUE)
    held = keys.inflight("w1")
    first = Request("http://example.test/a", callback=spider.parse_page, priority=3)
    assert queue_once(enqueue, dupefilter, queue, first, held)
    assert server.scard(keys.dupefilter) == 1 and server.zcard(keys.requests) == 1
    assert dupefilter.request_seen(Request("http://example.test/a"))  # scrapy-redis agrees
    assert not queue_once(enqueue, dupefilter, queue, Request("http://example.test/a"), held)
    assert server.zcard(keys.requests) == 1
    assert queue._decode_request(server.zrange(keys.requests, 0, 0)[0]).url == first.url

    server.zadd(held, {b"held-member": -1})
    retry = Request("http://example.test/a", dont_filter=True)  # a retry: not filtered
    assert queue_once(enqueue, dupefilter, queue, retry, held, b"held-member")
    assert server.zcard(held) == 0 and server.zcard(keys.requests) == 2
    server.zadd(held, {b"other": -1})
    seen = Request("http://example.test/a")  # a redirect to a seen URL: only released
    assert not queue_once(enqueue, dupefilter, queue, seen, held, b"other")
    assert server.zcard(held) == 0 and server.zcard(keys.requests) == 2
