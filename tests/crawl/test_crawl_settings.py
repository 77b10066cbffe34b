"""Scrapy settings: safe defaults, and -s NAME=VALUE overriding the config file's [scrapy]."""

from __future__ import annotations

from crawler.run import parse_overrides, scrapy_settings
from parkwatch.settings import load_settings


def test_defaults_are_polite_and_safe(tmp_path) -> None:
    empty = tmp_path / "parkwatch.toml"
    empty.write_text("")
    config = load_settings(empty)
    settings = scrapy_settings(config, config.source("e-my399"), {})
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getint("DOWNLOAD_MAXSIZE") <= 32 * 1024 * 1024
    assert 0 < settings.getfloat("DOWNLOAD_TIMEOUT") <= 30
    assert settings.getint("RETRY_TIMES") >= 1
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("HTTPPROXY_ENABLED") is True
    assert settings.get("USER_AGENT").startswith("parkwatch/")
    assert settings.getbool("HTTPCACHE_ENABLED") is False


def test_command_line_settings_beat_the_config_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "parkwatch.toml"
    path.write_text("[scrapy]\nDOWNLOAD_DELAY = 5\nAUTOTHROTTLE_ENABLED = true\n"
                    "CONCURRENT_REQUESTS_PER_DOMAIN = 2\n")
    config = load_settings(path)
    overrides = parse_overrides(["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False"])
    settings = scrapy_settings(config, config.source("e-my399"), overrides)
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is False
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2  # from the config file
