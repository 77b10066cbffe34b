"""Requests per crawl on a generated 2,000-article site over 8 sections: first crawl, re-crawls
with nothing new (200s, then 304s), and after 10 new articles; then, for each fixture site
shape configured by its address alone, first crawl / re-crawl / one new article. Run by hand:
`.venv/bin/python bench/bench_incremental.py [ARTICLES] [PER_PAGE]`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foundation.settings import load_settings  # noqa: E402
from parkwatch.samplesite import SiteServer, build_site, generate_records  # noqa: E402
from parkwatch.samplesite.generate import DEFAULT_SECTIONS  # noqa: E402

PROFILE = load_settings().source("e-my399")


def crawl(root: Path, database_url: str, *args: str, source: str = "e-my399") -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"), PARKWATCH_DATABASE_URL=database_url,
               PARKWATCH_HOME=str(root), NO_COLOR="1")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "parkwatch", "crawl", "--source", source, "--quiet",
                    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                    "-s", "LOG_LEVEL=WARNING", *args],
                   cwd=root, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - started


def report(label: str, server: SiteServer, seconds: float) -> None:
    articles, listings, statuses = 0, Counter(), Counter()
    for method, path, status in server.requests:
        if method != "GET":
            continue
        if PROFILE.article_re.match(path):
            articles += 1
        elif (m := PROFILE.listing_re.match(path)) and m["section"] in DEFAULT_SECTIONS:
            listings[m["section"]] += 1
            statuses[status] += 1
    per_section = f"{min(listings.values(), default=0)}-{max(listings.values(), default=0)}"
    print(f"{label:<34} {articles:>8} {sum(listings.values()):>9} {per_section:>12} "
          f"{dict(sorted(statuses.items()))!s:>22} {seconds:>7.1f}s")
    server.reset_log()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    per_page = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    records = generate_records(count, seed=1)
    new = generate_records(10, seed=2, start_id=900000, start_date=date(2031, 1, 1))
    with tempfile.TemporaryDirectory() as tmp, SiteServer() as server:
        root = Path(tmp)
        database_url = f"sqlite:///{root / 'archive.db'}"
        server.pages.update(build_site(records, per_page=per_page, base_url=server.url))
        sections = ", ".join(f'"{s}"' for s in DEFAULT_SECTIONS)
        (root / "parkwatch.toml").write_text(
            f'[sources.e-my399]\nbase_url = "{server.url}"\nsections = [{sections}]\n')
        print(f"{count} articles over {len(DEFAULT_SECTIONS)} sections, {per_page} per listing "
              f"page, listing_overlap = {PROFILE.listing_overlap}")
        print(f"{'crawl':<34} {'articles':>8} {'listings':>9} {'per section':>12} "
              f"{'listing statuses':>22} {'time':>8}")
        report("first crawl", server, crawl(root, database_url))
        report("re-crawl, nothing new", server, crawl(root, database_url))
        report("re-crawl, nothing new (304s)", server, crawl(root, database_url))
        server.pages.update(build_site(records + new, per_page=per_page, base_url=server.url))
        report("after 10 new articles", server, crawl(root, database_url))
        report("--full (backfill)", server, crawl(root, database_url, "--full"))
    for name in ("binbei-kfq", "riverside-times"):
        fixture_shape(name)


def fixture_shape(name: str) -> None:
    """A fixture site with only base_url + language: requests of each kind per crawl."""
    import copy

    from parkwatch.samplesite.sites import fixture_site

    site = fixture_site(name)
    records = site.load()
    expected = {site.path(r) for r in records}
    new = copy.deepcopy(records[0])
    if name == "riverside-times":
        new.update(slug="a-later-park-report", published="2024-06-03T08:00:00+08:00",
                   modified="2024-06-03T08:00:00+08:00")
    else:
        new.update(id=899999, created="2023-06-03", published="2023-06-03 10:00")
    with tempfile.TemporaryDirectory() as tmp, SiteServer() as server:
        root = Path(tmp)
        database_url = f"sqlite:///{root / 'archive.db'}"
        server.pages.update(site.build(records, variant=site.variants[0], base_url=server.url))
        (root / "parkwatch.toml").write_text(
            f'[sources.{name}]\nbase_url = "{server.url}"\nlanguage = "{site.language}"\n')
        print(f"\n{name} ({len(records)} articles), config: base_url + language only")
        for label in ("first crawl", "re-crawl, nothing new", "after one new article"):
            if label == "after one new article":
                server.pages.update(site.build([new, *records], variant=site.variants[0],
                                               base_url=server.url))
                expected.add(site.path(new))
            seconds = crawl(root, database_url, source=name)
            gets = [(p, st) for m, p, st in server.requests if m == "GET"]
            articles = sum(1 for p, _ in gets if p in expected)
            statuses = Counter(st for p, st in gets if p not in expected)
            print(f"  {label:<24} {len(gets):>4} requests, {articles:>3} article pages, "
                  f"others {dict(sorted(statuses.items()))}  {seconds:.1f}s")
            server.reset_log()


if __name__ == "__main__":
    main()
