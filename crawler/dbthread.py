"""The spider's database lookups (known URLs, listing validators) off the crawl's event loop: each
runs in Twisted's thread pool and is awaited, so a slow database never stalls downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from twisted.internet.threads import deferToThread

from archive.db import session_scope
from archive.store import known_urls, listing_states

T = TypeVar("T")


async def in_thread(function: Callable[..., T], *args: Any) -> T:
    """`await in_thread(f, *args)` from a Scrapy coroutine callback (any reactor)."""
    from scrapy.utils.defer import maybe_deferred_to_future

    return await maybe_deferred_to_future(deferToThread(function, *args))


def known_urls_of(database_url: str, canonicals: list[str]) -> set[str]:
    """The canonical URLs among these that the archive holds (one short read transaction)."""
    if not canonicals:
        return set()
    with session_scope(database_url) as session:
        return known_urls(session, canonicals)


def validators_of(database_url: str, url: str) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from what this listing page answered last time."""
    with session_scope(database_url) as session:
        state = listing_states(session, [url]).get(url)
        if state is None:
            return {}
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        return headers


async def known_urls_async(database_url: str, canonicals: list[str]) -> set[str]:
    return await in_thread(known_urls_of, database_url, canonicals)


async def validators_async(database_url: str, url: str) -> dict[str, str]:
    return await in_thread(validators_of, database_url, url)
