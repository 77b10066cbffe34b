"""Scrapy settings: safe defaults, and -s NAME=VALUE overriding the config file's [scrapy]."""

from __future__ import annotations

import pytest

from crawler.run import parse_overrides, scrapy_settings
from foundation.settings import load_settings


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
    base = {path.rsplit(".", 1)[1] for path in settings.getdict("EXTENSIONS_BASE")}
    assert not base & {"RemoteControl", "TelnetConsole"}  # not even loaded
    assert base >= {"CoreStats", "LogStats", "CloseSpider", "AutoThrottle", "MemoryUsage"}
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


def test_parse_workers_from_the_environment_between_config_and_command_line(
        tmp_path, monkeypatch) -> None:
    path = tmp_path / "parkwatch.toml"
    path.write_text("[scrapy]\nPARKWATCH_PARSE_WORKERS = 4\n")
    config = load_settings(path)
    profile = config.source("e-my399")
    monkeypatch.delenv("PARKWATCH_PARSE_WORKERS", raising=False)
    assert scrapy_settings(config, profile, {}).getint("PARKWATCH_PARSE_WORKERS") == 4
    monkeypatch.setenv("PARKWATCH_PARSE_WORKERS", "1")
    assert scrapy_settings(config, profile, {}).getint("PARKWATCH_PARSE_WORKERS") == 1
    overrides = parse_overrides(["PARKWATCH_PARSE_WORKERS=0"])
    assert scrapy_settings(config, profile, overrides).getint("PARKWATCH_PARSE_WORKERS") == 0


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_a_bad_number_of_parse_workers_is_one_line_before_the_crawl(workspace, value) -> None:
    workspace.point("http://127.0.0.1:9/")  # never reached: the crawl does not start
    for env, args in (({"PARKWATCH_PARSE_WORKERS": value}, ()),
                      ({}, ("-s", f"PARKWATCH_PARSE_WORKERS={value}"))):
        proc = workspace.run("crawl", "--source", "e-my399", *args, **env)
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "PARKWATCH_PARSE_WORKERS" in lines[0], proc.stderr
        assert "whole number of processes" in lines[0]
    assert not (workspace.root / "archive.db").exists()  # refused before the archive is opened
