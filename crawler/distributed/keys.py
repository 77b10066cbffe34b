"""Redis key names of the distributed crawl, and the Redis connection (PARKWATCH_REDIS_URL)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where a client is made: a plain crawl never loads redis
    import redis

DEFAULT_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PREFIX = "parkwatch:"


class RedisUnavailable(Exception):
    """Redis cannot be reached; the message is one line without credentials."""


def redis_url(scrapy: dict[str, Any] | None = None) -> str:
    """PARKWATCH_REDIS_URL from the environment, else the config's [scrapy] table, else local."""
    return (os.environ.get("PARKWATCH_REDIS_URL") or (scrapy or {}).get("PARKWATCH_REDIS_URL")
            or DEFAULT_URL)


def redis_prefix(scrapy: dict[str, Any] | None = None) -> str:
    return (os.environ.get("PARKWATCH_REDIS_PREFIX") or (scrapy or {}).get("PARKWATCH_REDIS_PREFIX")
            or DEFAULT_PREFIX)


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable as a URL: show only the scheme
        return url.split("://", 1)[0] + "://…"


def connect(url: str) -> redis.Redis:
    """A client of the Redis at `url`, checked with PING; RedisUnavailable when unreachable."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30,
                                  health_check_interval=30)
    try:
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise RedisUnavailable(f"cannot reach Redis at {shown(url)}: "
                               f"{type(exc).__name__}: {exc}") from None
    return client


@dataclass(frozen=True)
class RunKeys:
    """The keys of one distributed run: `{prefix}{source}:{run}:…`."""

    prefix: str
    source: str
    run_id: int

    @property
    def token(self) -> str:
        """The run as a member of the active-runs set."""
        return f"{self.source}:{self.run_id}"

    @classmethod
    def from_token(cls, prefix: str, token: str | bytes) -> RunKeys:
        text = token.decode() if isinstance(token, bytes) else token
        source, _, run = text.rpartition(":")
        return cls(prefix, source, int(run))

    def key(self, name: str) -> str:
        return f"{self.prefix}{self.source}:{self.run_id}:{name}"

    @property
    def requests(self) -> str:  # the frontier: scrapy-redis's PriorityQueue (a sorted set)
        return self.key("requests")

    @property
    def dupefilter(self) -> str:  # scrapy-redis's RFPDupeFilter (a set of fingerprints)
        return self.key("dupefilter")

    @property
    def counts(self) -> str:  # a hash of the run's parkwatch/* stats, summed over workers
        return self.key("counts")

    @property
    def workers(self) -> str:  # a set of the worker ids that joined the run
        return self.key("workers")

    @property
    def meta(self) -> str:  # a hash: the run's options, written by the coordinator
        return self.key("meta")

    @property
    def coordinator(self) -> str:  # a key with a TTL while the coordinator lives
        return self.key("coordinator")

    @property
    def inflight_prefix(self) -> str:
        return self.key("inflight:")

    @property
    def alive_prefix(self) -> str:
        return self.key("alive:")

    def inflight(self, worker: str) -> str:  # a sorted set: the requests a worker holds
        return self.inflight_prefix + worker

    def alive(self, worker: str) -> str:  # a key with a TTL, renewed by the worker's heartbeat
        return self.alive_prefix + worker

    def all_keys(self, workers: list[str]) -> list[str]:
        keys = [self.requests, self.dupefilter, self.counts, self.workers, self.meta,
                self.coordinator]
        for worker in workers:
            keys += [self.inflight(worker), self.alive(worker)]
        return keys


def active_runs_key(prefix: str) -> str:
    """A set of the runs workers should join (RunKeys.token members)."""
    return f"{prefix}runs"


def host_keys(prefix: str, host: str) -> tuple[str, str]:
    """The token bucket (hash) and the concurrency slots (sorted set) of one host."""
    return f"{prefix}host:{host}:bucket", f"{prefix}host:{host}:active"
