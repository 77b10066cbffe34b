"""A crawl's options, typed once for every door that starts a crawl (the CLI, the queue, the
service, `--distributed`, workers): what to fetch and how far back, not which source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foundation.settings import ConfigError


class CrawlOptions(BaseModel):
    """How one crawl runs. The stored form (`stored()`, read back by `from_stored`) is what
    crawl_requests.options and the distributed run registry keep: JSON, defaults left out."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    since: date | None = None  # articles published before this day are neither fetched nor kept
    max_articles: int | None = Field(default=None, ge=1)  # stop after this many articles
    full: bool = False  # walk every listing page (a backfill), not only the new ones
    refresh: bool = False  # re-fetch known articles to see their revisions
    settings: tuple[str, ...] = ()  # Scrapy settings as NAME=VALUE (the CLI's -s)

    @classmethod
    def from_stored(cls, data: Mapping[str, Any] | None) -> CrawlOptions:
        """The options of a stored request; ConfigError (one line) when they do not read."""
        try:
            return cls.model_validate(dict(data or {}))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "options"
            raise ConfigError(f"bad crawl option {where}: {err['msg']}") from None

    def stored(self) -> dict[str, Any]:
        """The JSON form: {"since": "2024-03-01", "full": true, …}, defaults left out."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def spider_arguments(self) -> dict[str, Any]:
        """The keyword arguments of the news spider (everything but the Scrapy settings)."""
        return {"max_articles": self.max_articles, "since": self.since, "full": self.full,
                "refresh": self.refresh}

    def with_settings(self, settings: Iterable[str]) -> CrawlOptions:
        """These options with more Scrapy settings before their own (theirs win)."""
        return self.model_copy(update={"settings": (*settings, *self.settings)})
