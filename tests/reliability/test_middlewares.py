"""crawler/middlewares: robots.txt by RFC 9309, Retry-After, the origin policy, failure reasons,
and the effective safety settings of a crawl."""

from __future__ import annotations

import pytest
from scrapy.utils.conf import build_component_list

from crawler.middlewares.origin import refusal
from crawler.middlewares.reasons import reason
from crawler.middlewares.retry import RetryBackoffMiddleware, retry_after_seconds
from tests.support.hostile import HostileSite

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=1",
        "-s", "PARKWATCH_RETRY_BACKOFF_BASE=0.1", "-s", "PARKWATCH_ROBOTSTXT_TIMEOUT=2",
        "-s", "PARKWATCH_ROBOTSTXT_RETRY_TIMES=0", "-s", "LOG_LEVEL=INFO")


@pytest.mark.parametrize("robots", ["500", "hang", "disallow"])
def test_robots_txt_that_fails_or_disallows_lets_no_article_be_fetched(workspace,
                                                                        robots) -> None:
    with HostileSite(robots=robots) as site:
        workspace.point(site.url, 'sections = ["news"]\n')
        proc = workspace.run("crawl", *FAST, timeout=90)
        fetched = list(site.requests)
    assert fetched and all(target == "/robots.txt" for target in fetched), fetched
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    if robots != "disallow":
        assert "treated as disallowed (RFC 9309)" in proc.stderr
    assert workspace.articles() == []


def test_robots_txt_answering_404_allows_everything(workspace) -> None:
    with HostileSite(robots="404", good=3) as site:
        site.kinds = []  # only good articles
        workspace.point(site.url, 'sections = ["news"]\n')
        proc = workspace.run("crawl", *FAST, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(workspace.articles()) == 3


def test_retry_after_is_honoured_and_a_redirect_to_another_port_is_refused(workspace) -> None:
    with HostileSite(good=1) as site:
        keep = {"status_503_retry_after", "redirect_other_port"}
        site.kinds = [k for k in site.kinds if k.name in keep]
        workspace.point(site.url, 'sections = ["news"]\n')
        proc = workspace.run("crawl", *FAST, "-s", "PARKWATCH_RETRY_AFTER_MAX=5", timeout=90)
        busy = [t for t, target in site.times
                if target == site.paths["status_503_retry_after"]]
        other_port = [t for t in site.requests if "90009" in t]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(busy) == 2 and busy[1] - busy[0] >= 0.95  # Retry-After: 1, not the 0.1 backoff
    assert len(other_port) == 1  # asked once on our port; the other port is never contacted
    assert f"is not the site's port {site.port}" in proc.stderr
    assert "1 skipped" in proc.stdout  # the refused redirect is counted


def test_retry_after_is_capped() -> None:
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds(b"soon") is None
    assert RetryBackoffMiddleware(1.0, 30.0).delay(3) == 4.0


@pytest.mark.parametrize(("url", "why"), [
    ("http://a.example:8080/x", None),
    ("http://a.example:8081/x", "port 8081"),
    ("https://a.example:8080/x", "scheme https"),
    ("http://b.example:8080/x", "host b.example"),
])
def test_origin_policy(url, why) -> None:
    got = refusal(url, "http://a.example:8080", allow_https=True)
    assert (got is None) if why is None else (why in got)


def test_https_upgrade_on_default_ports_only() -> None:
    assert refusal("https://a.example/x", "http://a.example", allow_https=True) is None
    assert refusal("https://a.example/x", "http://a.example", allow_https=False)
    assert refusal("http://a.example/x", "https://a.example", allow_https=True)  # downgrade


def test_every_failure_has_a_reason() -> None:
    from scrapy.exceptions import DownloadFailedError, IgnoreRequest
    from twisted.internet.error import ConnectionDone
    from twisted.python.failure import Failure
    from twisted.web._newclient import ResponseNeverReceived

    try:
        raise ConnectionDone()
    except ConnectionDone:
        wrapped = ResponseNeverReceived([Failure()])
    outer = DownloadFailedError(str(wrapped))
    outer.__cause__ = wrapped
    assert "closed the connection before answering" in reason(outer)
    assert reason(IgnoreRequest()) == "request dropped"


def test_the_effective_safety_settings_of_a_crawl(tmp_path) -> None:
    from crawler.run import scrapy_settings
    from foundation.settings import load_settings

    config = load_settings().model_copy(update={"database_url": f"sqlite:///{tmp_path}/a.db"})
    settings = scrapy_settings(config, config.source("e-my399"), {})
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert settings.getbool("HTTPPROXY_ENABLED")
    assert settings.getint("DOWNLOAD_MAXSIZE") == 32 * 1024 * 1024
    assert settings.getint("PARKWATCH_HTML_MAXSIZE") == 3 * 1024 * 1024
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 30
    assert settings.getbool("RETRY_ENABLED") and settings.getint("RETRY_TIMES") == 3
    assert settings.getfloat("PARKWATCH_RETRY_AFTER_MAX") == 120
    assert settings.getint("REDIRECT_MAX_TIMES") == 5
    assert settings.getbool("PARKWATCH_ORIGIN_POLICY")
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1 and settings.getbool("AUTOTHROTTLE_ENABLED")
    chain = build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))
    assert "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware" not in chain
    for ours in ("OriginPolicyMiddleware", "RobotsTxtRfcMiddleware", "RetryBackoffMiddleware",
                 "RetryAfterMiddleware", "HtmlSizeMiddleware", "FailureReasonMiddleware"):
        assert f"crawler.middlewares.{ours}" in chain
    assert "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware" in chain
    position = {name.rsplit(".", 1)[1]: i for i, name in enumerate(chain)}
    assert position["OriginPolicyMiddleware"] < position["OffsiteMiddleware"]
    assert position["RetryMiddleware"] < position["RetryAfterMiddleware"]  # sees 503 first
    assert position["HtmlSizeMiddleware"] < position["HttpCompressionMiddleware"]
    extensions = settings.getwithbase("EXTENSIONS")
    assert "crawler.extensions.RunRecorderExtension" in extensions
    assert "crawler.addons.ParkwatchAddon" in settings.getdict("ADDONS")
