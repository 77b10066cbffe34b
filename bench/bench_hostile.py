"""Benchmark: a crawl of the hostile site (tests/support/hostile.py) through the real
`parkwatch crawl` in a child process.

Prints bad responses handled / total (handled = the expected outcome: a correct article, or a
skip with its reason in the log), the child's peak RSS (getrusage(RUSAGE_CHILDREN).ru_maxrss),
wall time, and the parse time per page (p50 / p99 / max) of every page the site serves with
200, parsed again here with crawl's parser (crawler.parsing.article.parse_article), after the crawl.
As a reference measured in the same run: the same crawl of the good articles alone.

    .venv/bin/python bench/bench_hostile.py [--scale 3]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import resource
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.test_hostile import FAST, outcomes, stored_by_path  # noqa: E402
from tests.support.hostile import HostileSite  # noqa: E402
from tests.support.workspace import Workspace  # noqa: E402


def crawl(site: HostileSite, root: Path) -> tuple[Workspace, subprocess.CompletedProcess,
                                                  float, float]:
    """Crawl `site` in a fresh child; (workspace, process, seconds, peak RSS MiB of it)."""
    root.mkdir(parents=True)
    workspace = Workspace(root, f"sqlite:///{root / 'archive.db'}")
    workspace.point(site.url, 'sections = ["news"]\n')
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = workspace.run("crawl", *FAST, timeout=1800)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: crawls run largest-last
    return workspace, proc, took, max(peak, before) / 1024


def parse_times(site: HostileSite) -> list[tuple[float, str]]:
    from crawler.parsing.article import parse_article
    from foundation.settings import load_settings

    profile = load_settings().source("e-my399")
    times = []
    names = {path: name for name, path in site.paths.items()}
    for path in [*site.good_paths(), *site.paths.values()]:
        try:
            with urllib.request.urlopen(site.url + path, timeout=15) as answer:
                body, ctype = answer.read(), answer.headers.get("Content-Type", "")
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException):
            continue  # resets, bad status lines, 5xx: nothing to parse
        charset = ctype.split("charset=", 1)[1].strip() if "charset=" in ctype else None
        start = time.perf_counter()
        with contextlib.suppress(Exception):  # a skip is a result too; its time counts
            parse_article(body, site.url + path, profile, charset)
        times.append((time.perf_counter() - start, names.get(path, "good article")))
    return sorted(times)


def pct(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=3.0, help="size of the big pages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with HostileSite(good=12) as reference:
            reference.kinds = []
            _, _, ref_took, ref_rss = crawl(reference, Path(tmp) / "ref")
        with HostileSite(scale=args.scale) as site:
            workspace, proc, took, rss = crawl(site, Path(tmp) / "hostile")
            got = outcomes(site, proc.stderr, stored_by_path(workspace.articles()))
            handled = 0
            for kind in site.kinds:
                outcome = got[kind.name]
                ok = (outcome == "article" if kind.expect == "article" else
                      bool(outcome) and outcome != "article" if kind.expect == "skip" else
                      bool(outcome))
                handled += ok
                if not ok:
                    print(f"NOT HANDLED {kind.name} ({kind.what}): {outcome or 'no trace'}")
            timed = parse_times(site)
            times = [t for t, _ in timed]
    print(f"hostile site, scale {args.scale:g}: {len(site.kinds)} kinds of bad responses among "
          f"{len(site.good)} good articles")
    print(f"bad responses handled: {handled}/{len(site.kinds)}")
    print(f"crawl: {took:.1f} s, peak RSS {rss:.0f} MiB "
          f"(reference, good articles only: {ref_took:.1f} s, peak RSS {ref_rss:.0f} MiB; "
          f"ratio {rss / ref_rss:.2f})")
    print(f"parse time per page over {len(times)} pages: p50 {pct(times, 0.5) * 1000:.0f} ms, "
          f"p99 {pct(times, 0.99) * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms; slowest: "
          + ", ".join(f"{name} {t * 1000:.0f} ms" for t, name in timed[-3:][::-1]))
    print(proc.stdout.strip())


if __name__ == "__main__":
    main()
