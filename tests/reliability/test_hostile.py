"""A crawl of the hostile site (tests/support/hostile.py): every bad response ends as a counted,
reasoned skip or a correct article, and the crawl completes."""

from __future__ import annotations

import re

from tests.support.hostile import KINDS, HostileSite, title

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=1",
        "-s", "PARKWATCH_RETRY_BACKOFF_BASE=0.1", "-s", "PARKWATCH_RETRY_AFTER_MAX=2",
        "-s", "DOWNLOAD_TIMEOUT=8", "-s", "CONCURRENT_REQUESTS=8",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO")

# What the log says about a URL that was not stored: a skip or a failure, with a reason.
OUTCOME = re.compile(r"(?:skipped|failed|Dropped|refused|Gave up retrying|Ignoring|Ignored "
                     r"response)")


def outcomes(site: HostileSite, log: str, stored: dict[str, dict]) -> dict[str, str]:
    """Per kind: 'article' (stored under its URL), or the log line that reasons its skip."""
    result = {}
    for kind in site.kinds:
        path = site.paths[kind.name]
        if any(p == path or p.startswith(path + "?") for p in stored):
            result[kind.name] = "article"
            continue
        lines = [line for line in log.splitlines() if path in line and OUTCOME.search(line)]
        result[kind.name] = lines[0] if lines else ""
    return result


def stored_by_path(articles: list[dict]) -> dict[str, dict]:
    """Stored articles by path (+ query), aliases (exact copies at other URLs) included."""
    from urllib.parse import urlsplit

    def key(url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    return {key(url): a for a in articles for url in [a["url"], *a.get("aliases", [])]}


def test_every_hostile_response_is_a_reasoned_skip_or_a_correct_article(workspace) -> None:
    assert len(KINDS) >= 30
    with HostileSite() as site:
        workspace.point(site.url, 'sections = ["news"]\n')
        proc = workspace.run("crawl", *FAST, timeout=110)
        stored = stored_by_path(workspace.articles())
    log = proc.stderr
    assert "Traceback" not in log
    assert re.search(r"failed \S+: \s*$", log, re.M) is None, "a failure without a reason"
    got = outcomes(site, log, stored)
    for kind in site.kinds:
        outcome = got[kind.name]
        if kind.expect == "article":
            assert outcome == "article", f"{kind.name}: {outcome or 'no trace in the log'}"
        elif kind.expect == "skip":
            assert outcome and outcome != "article", f"{kind.name} ({kind.what}): {outcome}"
        else:
            assert outcome, f"{kind.name} ({kind.what}): neither stored nor reasoned"
    for path in site.good_paths():
        assert path in stored, f"good article {path} lost"
    for name in ("status_503_retry_after", "status_429_retry_after", "redirect_chain_ok"):
        n = {"status_503_retry_after": 1, "status_429_retry_after": 2, "redirect_chain_ok": 3}
        match = [a for p, a in stored.items() if p.startswith(site.paths[name])]
        assert match and match[0]["title"] == title(n[name]), name
    assert "run " in proc.stdout  # the crawl completed and summarised itself
