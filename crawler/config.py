"""One typed configuration (config file + environment) for crawls, storage, service and CLI."""

from __future__ import annotations

import os
import re
import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawler.parsing.rules import ReadingRules

USER_AGENT = "parkwatch/0.1 (+https://github.com/parkwatch/parkwatch; news monitoring)"


class ConfigError(Exception):
    """A configuration problem a user can fix; the message is one line."""


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
        from crawler.discovery.listings import listing_url

        if page == 0:
            return listing_url(self.first_page, self.base_url, section, 0)
        if not self.pagination:
            return None
        return listing_url(self.pagination, self.base_url, section,
                           self.pagination_start + page - 1)

    def absolute(self, url: str) -> str:
        """A root-relative address of the site made absolute."""
        return url if re.match(r"https?://", url) else f"{self.base_url}/{url.lstrip('/')}"


class Settings(BaseModel):
    """Everything parkwatch reads from its config file and environment."""

    model_config = ConfigDict(extra="forbid")
    database_url: str
    home: Path
    config_file: Path | None = None
    user_agent: str = USER_AGENT
    scrapy: dict[str, Any] = {}
    sources: dict[str, Profile] = {}
    # Service settings (parkwatch serve).
    crawl_timeout: float = 3600.0
    misfire_grace: float = 3600.0
    jitter: float = 60.0
    grace_period: float = 30.0
    health_window: int = 3
    lease_ttl: float = 30.0  # a crawl's lease expires this long after its last heartbeat
    queue_poll: float = 1.0  # how often the service looks for queued crawls (seconds)
    max_parallel_crawls: int = Field(default=4, ge=1)  # crawls the service runs at once
    api_token: str | None = None

    def source(self, name: str) -> Profile:
        try:
            return self.sources[name]
        except KeyError:
            known = ", ".join(sorted(self.sources)) or "none"
            raise ConfigError(f"unknown source {name!r} (configured: {known})") from None


def _builtin_profiles() -> dict[str, dict[str, Any]]:
    profiles = {}
    for entry in resources.files("crawler.sites").iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            profiles[data["name"]] = data
    return profiles


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def default_home() -> Path:
    if home := os.environ.get("PARKWATCH_HOME"):
        return Path(home).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "parkwatch"


def find_config_file() -> Path | None:
    if explicit := os.environ.get("PARKWATCH_CONFIG"):
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file {path} (PARKWATCH_CONFIG) does not exist")
        return path
    candidates = [Path.cwd() / "parkwatch.toml"]
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    candidates.append(Path(xdg) / "parkwatch" / "config.toml")
    return next((p for p in candidates if p.is_file()), None)


def _describe(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}"


def load_settings(config_file: Path | None = None) -> Settings:
    """Read the config file (if any) and the environment; raise ConfigError on bad input."""
    path = config_file or find_config_file()
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    home = Path(data.pop("home", None) or default_home()).expanduser()
    database_url = (os.environ.get("PARKWATCH_DATABASE_URL") or data.pop("database_url", None)
                    or f"sqlite:///{home / 'parkwatch.db'}")
    data.pop("database_url", None)
    if ua := os.environ.get("PARKWATCH_USER_AGENT"):
        data["user_agent"] = ua
    if token := os.environ.get("PARKWATCH_API_TOKEN"):
        data["api_token"] = token
    raw_sources = data.pop("sources", {})
    if not isinstance(raw_sources, dict):
        raise ConfigError(f"config file {path}: [sources] must be a table")
    profiles = _builtin_profiles()
    for name, override in raw_sources.items():
        if not isinstance(override, dict):
            raise ConfigError(f"config file {path}: sources.{name} must be a table")
        profiles[name] = _merge(profiles.get(name, {}), {"name": name, **override})
    where = f"config file {path}" if path else "built-in configuration"
    sources = {}
    for name, raw in profiles.items():
        try:
            sources[name] = Profile(**raw)
        except ValidationError as exc:
            raise ConfigError(f"{where}: sources.{name}.{_describe(exc)}") from None
    try:
        return Settings(database_url=database_url, home=home, config_file=path,
                        sources=sources, **data)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_describe(exc)}") from None
    except TypeError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None
