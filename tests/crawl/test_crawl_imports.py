"""The crawl's own process downloads, decides and stores; its parse workers read the pages. So
the parser's stack (trafilatura, numpy, the metric rules) is loaded in the workers only: it
costs each crawl about half a second of start-up and 40 MiB it would never use. (Storage links
facts to parks and measures, so it reads the measures vocabulary, not the extraction rules.)
Nor does a plain crawl load what only a distributed one (redis, scrapy_redis), Scrapy's remote
control (aiohttp) or a schema upgrade (alembic) needs."""

from __future__ import annotations

import subprocess
import sys

PARSER_STACK = ("trafilatura", "numpy", "datasketch", "pipelines.metrics.extract",
                "crawler.parsing.article")
NEVER = ("redis", "scrapy_redis", "aiohttp", "alembic")
# Runs `parkwatch crawl …` and, as the process exits, names what of the stack it loaded.
REPORTING_MAIN = (
    "import atexit, sys\n"
    f"stack = {PARSER_STACK + NEVER!r}\n"
    "atexit.register(lambda: print('LOADED', sorted(m for m in stack if m in sys.modules),"
    " file=sys.stderr))\n"
    "from parkwatch.cli import main\n"
    "sys.argv = ['parkwatch', *sys.argv[1:]]\n"
    "main()\n")


def crawl_reporting(workspace, *args: str) -> tuple[str, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", REPORTING_MAIN, "crawl", "--source", "e-my399",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *args],
        cwd=workspace.root, env=workspace.env(), capture_output=True, text=True, timeout=180,
        stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    loaded = [line for line in proc.stderr.splitlines() if line.startswith("LOADED ")]
    assert len(loaded) == 1, proc.stderr[-3000:]
    return proc.stdout, eval(loaded[0].removeprefix("LOADED "))  # noqa: S307 - our own list


def test_a_crawl_with_parse_workers_leaves_the_parser_to_them(workspace, site) -> None:
    workspace.point(site.url)
    workspace.run("db", "upgrade", check=True)  # the crawl finds its archive up to date
    stdout, loaded = crawl_reporting(workspace, "-s", "PARKWATCH_PARSE_WORKERS=1")
    assert "succeeded" in stdout and " 0 new" not in stdout  # articles were parsed and stored
    assert workspace.articles()
    assert loaded == []


def test_an_in_process_crawl_loads_the_parser_itself(workspace, site) -> None:
    workspace.point(site.url)
    workspace.run("db", "upgrade", check=True)
    stdout, loaded = crawl_reporting(workspace, "-s", "PARKWATCH_PARSE_WORKERS=0",
                                     "--max-articles", "2")
    assert "succeeded" in stdout
    assert set(loaded) >= {"trafilatura", "pipelines.metrics.extract", "crawler.parsing.article"}
    assert not set(loaded) & set(NEVER)
