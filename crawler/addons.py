"""The parkwatch add-on: a plain `scrapy crawl news` gets the configured database and records
its run like `parkwatch crawl` does."""

from __future__ import annotations

from foundation.settings import ConfigError, load_settings


class ParkwatchAddon:
    """Fills PARKWATCH_DATABASE_URL (and the lease TTL) from parkwatch's configuration
    (config file + PARKWATCH_* environment) when the crawl did not set it."""

    @classmethod
    def update_settings(cls, settings) -> None:
        if settings.get("PARKWATCH_DATABASE_URL"):
            return  # crawler.run configured this crawl (and its log guard)
        try:
            config = load_settings()
        except ConfigError:  # the spider reports a broken configuration itself
            return
        settings.set("PARKWATCH_DATABASE_URL", config.database_url, priority="project")
        settings.set("PARKWATCH_LEASE_TTL", config.lease_ttl, priority="project")
        if config.user_agent:
            settings.set("USER_AGENT", config.user_agent, priority="project")
        for name, value in config.scrapy.items():
            settings.set(name, value, priority="project")
        from archive.db import url_password
        from crawler.run import guard_log_records

        # the database password and API token are masked in every log line of this crawl
        guard_log_records(one_line=False, secrets=tuple(
            x for x in (url_password(config.database_url), config.api_token) if x))
