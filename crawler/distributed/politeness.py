"""HostLimitMiddleware: one site's request rate and concurrency, limited across every worker
by a token bucket and a set of expiring slots per host in Redis (one Lua script)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

from crawler.distributed.keys import connect, host_keys

SLOT = "parkwatch_host_slot"  # request.meta key: the concurrency slot the request holds

# KEYS: bucket (hash), slots (sorted set) · ARGV: rate/s, burst, max concurrent, slot ttl ms,
# slot id → 0 when the request may go now, else milliseconds to wait before asking again.
TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, burst, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= limit then return 20 end
end
if rate > 0 then
  local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
  local tokens = tonumber(state[1]) or burst
  local ts = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  if tokens < 1 then
    redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
    return math.max(1, math.ceil((1 - tokens) * 1000 / rate))
  end
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'ts', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 60000)
end
if limit > 0 then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[5])
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
end
return 0
"""


class HostLimiter:
    """take()/release() of one host's shared limits; Scrapy-free, used by the middleware."""

    def __init__(self, server, prefix: str, rate: float, burst: float, concurrency: int,
                 slot_ttl: float) -> None:
        self.server, self.prefix = server, prefix
        self.rate, self.burst, self.concurrency = rate, max(1.0, burst), concurrency
        self.slot_ttl_ms = int(slot_ttl * 1000)
        self._take = server.register_script(TAKE)

    def take(self, host: str, slot: str) -> int:
        """0 when a request to `host` may start now (its slot taken), else ms to wait."""
        return int(self._take(keys=list(host_keys(self.prefix, host)),
                              args=[self.rate, self.burst, self.concurrency, self.slot_ttl_ms,
                                    slot]))

    def release(self, host: str, slot: str) -> None:
        if self.concurrency > 0:
            self.server.zrem(host_keys(self.prefix, host)[1], slot)


class HostLimitMiddleware:
    """PARKWATCH_HOST_RATE requests/s (burst PARKWATCH_HOST_BURST) and at most
    PARKWATCH_HOST_CONCURRENCY requests at once per host, whatever the number of workers."""

    def __init__(self, limiter: HostLimiter) -> None:
        self.limiter = limiter

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("PARKWATCH_WORKER_ID"):
            raise NotConfigured  # silent: only a worker's crawl uses it
        rate = settings.getfloat("PARKWATCH_HOST_RATE")
        concurrency = settings.getint("PARKWATCH_HOST_CONCURRENCY")
        if rate <= 0 and concurrency <= 0:
            raise NotConfigured
        slot_ttl = settings.getfloat("DOWNLOAD_TIMEOUT") + 30
        limiter = HostLimiter(connect(settings.get("REDIS_URL")),
                              settings.get("PARKWATCH_REDIS_PREFIX"), rate,
                              settings.getfloat("PARKWATCH_HOST_BURST"), concurrency, slot_ttl)
        return cls(limiter)

    async def process_request(self, request):
        from twisted.internet import reactor

        host = urlsplit(request.url).hostname or ""
        slot = uuid.uuid4().hex
        while wait := self.limiter.take(host, slot):
            await maybe_deferred_to_future(task.deferLater(reactor, wait / 1000, lambda: None))
        request.meta[SLOT] = slot
        return None

    def _release(self, request) -> None:
        slot = request.meta.pop(SLOT, None)
        if slot:
            self.limiter.release(urlsplit(request.url).hostname or "", slot)

    def process_response(self, request, response):
        self._release(request)
        return response

    def process_exception(self, request, exception):
        self._release(request)
        return None
