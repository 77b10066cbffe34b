"""The application's settings: one typed configuration (config file + environment) for
crawls, storage, the service, the API and the CLI. Sites are `foundation.profile.Profile`s."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foundation.profile import Profile, builtin_profiles

USER_AGENT = "parkwatch/0.1 (+https://github.com/parkwatch/parkwatch; news monitoring)"


class ConfigError(Exception):
    """A configuration problem a user can fix; the message is one line."""


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
    if home := os.environ.get("PARKWATCH_HOME"):  # e.g. the demo's folder, its sources in it
        candidates.append(Path(home).expanduser() / "parkwatch.toml")
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
    profiles = builtin_profiles()
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
