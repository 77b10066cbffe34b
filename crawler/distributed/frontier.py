"""FrontierScheduler: scrapy-redis's Scheduler with each popped request held in a per-worker
in-flight set until Scrapy is done with it, so a dead worker's requests can be re-queued.

What we rely on from scrapy-redis 0.9.1 (tests/distributed/test_frontier.py checks each):
`Scheduler` with `SCHEDULER_PERSIST` (closing a worker never clears the shared frontier),
`PriorityQueue` (a sorted set at `queue.key`, member = pickled `request.to_dict()`, score =
-priority) and its `_encode_request`/`_decode_request`, and `RFPDupeFilter` (a set of
`request_fingerprint`s at `df.key`). Popping and queueing are ours: one Lua script moves the
member from the frontier to the worker's in-flight set, so no request is ever only in a
worker's memory, and another marks a request seen and queues it in one step.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from scrapy import Request
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.keys import RunKeys

log = logging.getLogger(__name__)

HELD = "parkwatch_held"  # request.meta key: the id of the in-flight entry it came from

# KEYS: frontier, in-flight → [member, score] or nil
POP = """
local got = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #got == 0 then return nil end
redis.call('ZREM', KEYS[1], got[1])
redis.call('ZADD', KEYS[2], got[2], got[1])
return got
"""

# KEYS: duplicate filter, frontier, in-flight · ARGV: fingerprint, member, score, filter ("1":
# check the fingerprint), held member to release ("" for none) → 1 when the request was queued.
# One step: a worker killed between marking a request seen and queueing it (two commands in
# scrapy-redis) would leave it seen by every worker and queued by none, lost for the run.
ENQUEUE = """
local fresh = 1
if ARGV[4] == '1' then fresh = redis.call('SADD', KEYS[1], ARGV[1]) end
if fresh == 1 then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2]) end
if ARGV[5] ~= '' then redis.call('ZREM', KEYS[3], ARGV[5]) end
return fresh
"""

# KEYS: frontier, in-flight, workers · ARGV: worker → number of requests put back
REQUEUE = """
local held = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #held, 2 do redis.call('ZADD', KEYS[1], held[i + 1], held[i]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return #held / 2
"""

# KEYS: frontier, workers · ARGV: in-flight key prefix → requests pending (frontier + held),
# read in one atomic step so a request moving between the two is never missed.
PENDING = """
local total = redis.call('ZCARD', KEYS[1])
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  total = total + redis.call('ZCARD', ARGV[1] .. worker)
end
return total
"""


def queue_once(enqueue, dupefilter, queue, request: Request, inflight_key: str,
               held: bytes = b"") -> bool:
    """Queue `request` unless the run has seen it (ENQUEUE, registered as `enqueue`),
    releasing the in-flight member `held` in the same step; True when it was queued."""
    return bool(enqueue(keys=[dupefilter.key, queue.key, inflight_key],
                        args=[dupefilter.request_fingerprint(request),
                              queue._encode_request(request), -request.priority,
                              "0" if request.dont_filter else "1", held]))


def pending(server, keys: RunKeys) -> int:
    """Requests of the run not yet done: queued in the frontier or held by a worker."""
    return int(server.eval(PENDING, 2, keys.requests, keys.workers, keys.inflight_prefix))


def requeue(server, keys: RunKeys, worker: str) -> int:
    """Put everything `worker` holds back into the frontier and drop it from the run."""
    return int(server.eval(REQUEUE, 3, keys.requests, keys.inflight(worker), keys.workers,
                           worker))


def dead_workers(server, keys: RunKeys) -> list[str]:
    """Workers of the run whose heartbeat key has expired."""
    workers = sorted(w.decode() for w in server.smembers(keys.workers))
    if not workers:
        return []
    alive = server.exists  # one EXISTS per worker: a handful per run
    return [w for w in workers if not alive(keys.alive(w))]


def in_progress(engine) -> set[Request]:
    """The requests Scrapy's engine has not finished with: downloading, in the downloader
    middlewares, or in their callback and its items' pipelines (a private attribute of
    scrapy.core.engine in 2.19, checked by tests/distributed/test_frontier.py)."""
    slot = getattr(engine, "_slot", None)
    return slot.inprogress if slot is not None else set()


class FrontierScheduler(Scheduler):
    """The run's shared frontier (scrapy-redis) with per-worker in-flight tracking."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.crawler = crawler
        scheduler.keys = RunKeys(settings.get("PARKWATCH_REDIS_PREFIX"),
                                 settings.get("PARKWATCH_SOURCE"),
                                 settings.getint("PARKWATCH_RUN_ID"))
        scheduler.worker = settings.get("PARKWATCH_WORKER_ID")
        scheduler.inflight_key = scheduler.keys.inflight(scheduler.worker)
        scheduler.held: dict[str, tuple[Request, bytes]] = {}
        scheduler.evicted = False
        scheduler._pop = scheduler.server.register_script(POP)
        scheduler._enqueue = scheduler.server.register_script(ENQUEUE)
        return scheduler

    def next_request(self) -> Request | None:
        if self.evicted:
            return None
        got = self._pop(keys=[self.keys.requests, self.inflight_key])
        if not got:
            return None
        member = got[0]
        request = self.queue._decode_request(member)
        held_id = uuid.uuid4().hex
        request.meta[HELD] = held_id
        self.held[held_id] = (request, member)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def enqueue_request(self, request: Request) -> bool:
        """A request goes through the duplicate filter into the frontier in one step (ENQUEUE);
        a retry or redirect of a request this worker holds also releases the held one there."""
        held_id = request.meta.pop(HELD, None)
        entry = self.held.pop(held_id, None) if held_id else None
        fresh = queue_once(self._enqueue, self.df, self.queue, request, self.inflight_key,
                           entry[1] if entry else b"")
        if not fresh:
            self.df.log(request, self.spider)
        elif self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return fresh

    def sweep(self) -> int:
        """Release the in-flight entries of requests the engine has finished with."""
        if not self.held:
            return 0
        busy = in_progress(self.crawler.engine)
        done = [held_id for held_id, (request, _) in self.held.items() if request not in busy]
        if done:
            members = [self.held.pop(held_id)[1] for held_id in done]
            self.server.zrem(self.inflight_key, *members)
        return len(done)

    def has_pending_requests(self) -> bool:
        return False if self.evicted else super().has_pending_requests()

    def close(self, reason: str) -> Any:
        """Whatever this worker still holds goes back to the frontier (never flushed)."""
        if not self.evicted:
            count = requeue(self.server, self.keys, self.worker)
            if count:
                log.info("returned %d unfinished request(s) to the frontier", count)
        return super().close(reason)
