"""The active-runs registry: the coordinator announces a run (its options in a hash) once its
first requests are in the frontier; workers join the runs they find; retiring ends them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from crawler.distributed.keys import RunKeys, active_runs_key


@dataclass
class RunInfo:
    """What a worker needs to crawl its share of a run."""

    keys: RunKeys
    options: dict[str, Any] = field(default_factory=dict)  # max_articles, since, full, refresh
    settings: list[str] = field(default_factory=list)  # -s NAME=VALUE of the run


def write_meta(server, info: RunInfo, coordinator_ttl: float) -> None:
    pipe = server.pipeline(transaction=True)
    pipe.hset(info.keys.meta, mapping={"options": json.dumps(info.options),
                                       "settings": json.dumps(info.settings)})
    pipe.set(info.keys.coordinator, "1", px=int(coordinator_ttl * 1000))
    pipe.execute()


def announce(server, keys: RunKeys) -> None:
    server.sadd(active_runs_key(keys.prefix), keys.token)


def retire(server, keys: RunKeys) -> None:
    server.srem(active_runs_key(keys.prefix), keys.token)


def is_active(server, keys: RunKeys) -> bool:
    return bool(server.sismember(active_runs_key(keys.prefix), keys.token))


def active_runs(server, prefix: str) -> list[RunKeys]:
    return sorted((RunKeys.from_token(prefix, t) for t in server.smembers(active_runs_key(prefix))),
                  key=lambda k: k.run_id)


def read_meta(server, keys: RunKeys) -> RunInfo | None:
    raw = server.hgetall(keys.meta)
    if not raw:
        return None
    return RunInfo(keys, json.loads(raw.get(b"options", b"{}")),
                   json.loads(raw.get(b"settings", b"[]")))


def orphaned(server, keys: RunKeys) -> bool:
    """The run's coordinator stopped beating: workers leave it (its crawl_runs row is marked
    failed by the service's reaper; the next run re-seeds what it missed)."""
    return not server.exists(keys.coordinator)


def forget(server, keys: RunKeys) -> None:
    """Delete every key of a finished run."""
    workers = [w.decode() for w in server.smembers(keys.workers)]
    server.delete(*keys.all_keys(workers))
