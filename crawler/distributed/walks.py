"""A worker's walks: a listing page whose walk another process started (the coordinator seeded
it, another worker fetched its first pages) creates the walk's record here on first use."""

from __future__ import annotations

from crawler.discovery.state import Walk


class SharedWalks(dict):
    """`spider._walks` in a worker: {(kind, url): Walk}, filled in on first use."""

    def __init__(self, spider) -> None:
        super().__init__()
        self.spider = spider

    def __missing__(self, key: tuple[str, str]) -> Walk:
        kind, url = key
        state = self.spider._states.get(key)  # loaded from crawl_state when the crawl opens
        resume = state is None or not state["complete"] or state["in_progress"]
        walk = self[key] = Walk(kind, url, resume=resume)
        return walk
