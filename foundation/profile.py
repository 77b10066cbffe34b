"""A site as data: the `[sources.NAME]` table of the config file (only `base_url` is required),
its topic rules, and the schedule grammar a source's `schedule` key is written in."""

from __future__ import annotations

import re
import tomllib
from functools import cached_property
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, field_validator

from foundation.rules import ReadingRules

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)", re.IGNORECASE)
_DURATION_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """"20s", "6h", "1h30m", "90" (seconds) → seconds; ValueError when unreadable or not > 0."""
    raw = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        seconds = float(raw)
    elif raw and re.fullmatch(rf"(?:{_DURATION_PART.pattern}\s*)+", raw, re.IGNORECASE):
        seconds = sum(float(n) * _DURATION_UNITS[u.lower()]
                      for n, u in _DURATION_PART.findall(raw))
    else:
        raise ValueError(f"bad duration {text!r}: expected e.g. 20s, 30m, 6h, 1d")
    if seconds <= 0:
        raise ValueError(f"bad duration {text!r}: must be more than 0")
    return seconds


def check_schedule(spec: str) -> str:
    """"every DURATION" or a five-field cron expression; ValueError otherwise."""
    spec = spec.strip()
    if spec.lower().startswith("every "):
        parse_duration(spec[6:])
        return spec
    from apscheduler.triggers.cron import CronTrigger

    if len(spec.split()) != 5:
        raise ValueError(f"bad schedule {spec!r}: expected 'every 6h' or a cron line "
                         "like '0 */6 * * *'")
    try:
        CronTrigger.from_crontab(spec)
    except ValueError as exc:
        raise ValueError(f"bad cron schedule {spec!r}: {exc}") from None
    return spec


class TopicRule(BaseModel):
    """Terms (case-insensitive regexes) that tag an article with one topic; text matched by
    `exclude` never counts. Replaces the built-in topic of the same name (terms = [] is off)."""

    model_config = ConfigDict(extra="forbid")
    terms: list[str]
    min_score: int = 2
    exclude: list[str] = []

    @field_validator("terms", "exclude")
    @classmethod
    def _compiles(cls, terms: list[str]) -> list[str]:
        for term in terms:
            try:
                re.compile(term)
            except re.error as exc:
                raise ValueError(f"bad regular expression {term!r}: {exc}") from None
        return terms


NEVER = re.compile(r"(?!x)x")  # the pattern of a profile key left out: matches nothing
DISCOVERY_PATHS = ("sitemaps", "feeds", "listings")


class Profile(ReadingRules):
    """A site, as data. Only `base_url` is required: every other key refines what discovery
    finds (sitemaps, feeds, listing pages) or what generic reading does."""

    model_config = ConfigDict(extra="forbid")
    name: str
    title: str = ""
    base_url: str
    language: str = "en"
    schedule: str = "every 6h"
    enabled: bool = True
    # Where articles are found. Sections are listing pages walked page by page: the first at
    # `first_page`, the next ones at `pagination` (n = pagination_start, +1, …) when given,
    # else wherever the page's pager points.
    sections: list[str] = []
    start_pages: list[str] = []  # more listing pages (absolute or root-relative URLs)
    sitemaps: list[str] = []
    feeds: list[str] = []
    discover: list[str] = list(DISCOVERY_PATHS)  # what is looked for beyond the above
    first_page: str = "{section}/"
    pagination: str = ""  # e.g. "{section}/index_{n}.html", "{section}/page/{n}/", "?page={n}"
    pagination_start: int = 1
    # URL shapes: left out, generic rules recognise articles and listing pages.
    listing_pattern: str = ""
    article_pattern: str = ""
    topics: dict[str, TopicRule] = {}
    # Incremental crawling: listing pages of a section read after the first all-known page.
    listing_overlap: int = 1
    max_listing_pages: int = 1000
    max_probe_pages: int = 30  # candidate listing pages tried from the home page per run

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http(s) URL, got {url!r}")
        return url.rstrip("/")

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, spec: str) -> str:
        return check_schedule(spec)

    @field_validator("discover")
    @classmethod
    def _discover(cls, paths: list[str]) -> list[str]:
        unknown = [p for p in paths if p not in DISCOVERY_PATHS]
        if unknown:
            raise ValueError(f"unknown discovery path {unknown[0]!r} (known: "
                             f"{', '.join(DISCOVERY_PATHS)})")
        return paths

    @field_validator("first_page", "pagination")
    @classmethod
    def _template(cls, template: str) -> str:
        try:
            template.format(section="s", n=1, base="b")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"bad URL template {template!r}: use {{section}} and {{n}}"
                             f" ({exc})") from None
        return template

    @field_validator("listing_pattern", "article_pattern")
    @classmethod
    def _regex(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return pattern

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @cached_property
    def article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_pattern) if self.article_pattern else NEVER

    @cached_property
    def listing_re(self) -> re.Pattern[str]:
        return re.compile(self.listing_pattern) if self.listing_pattern else NEVER

    def listing_url(self, section: str, page: int = 0) -> str | None:
        """Page `page` (0 = first) of a section's listing, from the profile's templates; None
        when the profile has no pagination template (the pager on the page is followed)."""
        if page == 0:
            return listing_url(self.first_page, self.base_url, section, 0)
        if not self.pagination:
            return None
        return listing_url(self.pagination, self.base_url, section,
                           self.pagination_start + page - 1)

    def absolute(self, url: str) -> str:
        """A root-relative address of the site made absolute."""
        return url if re.match(r"https?://", url) else f"{self.base_url}/{url.lstrip('/')}"


def listing_url(template: str, base_url: str, section: str, n: int) -> str:
    """A listing page from a profile's template: "{section}/index_{n}.html" with n = 1, 2…,
    "?page={n}" appended to the section's first page, or a full "{base}/…" form."""
    section = section.strip("/")
    text = template.format(section=section, n=n, base=base_url.rstrip("/"))
    if text.startswith("?"):
        parts = urlsplit(f"{base_url.rstrip('/')}/{section}/")
        query = dict(parse_qsl(parts.query))
        query.update(parse_qsl(text[1:]))
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    if re.match(r"https?://", text):
        return text
    return f"{base_url.rstrip('/')}/{text.lstrip('/')}"


def builtin_profiles() -> dict[str, dict[str, Any]]:
    """The sites parkwatch knows out of the box (foundation/sites/*.toml), as raw tables."""
    profiles = {}
    for entry in resources.files("foundation.sites").iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            profiles[data["name"]] = data
    return profiles
