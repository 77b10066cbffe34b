"""`reread` pages/s on N stored pages with both cores, rules unchanged (every page read, none
changed: what a routine reread costs) and after a rule change (teasers no longer cut: every
body that has one changes), and the WARC bytes each kept page costs.

The pages are bench_backfill's generated article pages (portal padding by default, about
20 KB), kept as WARC and stored by an import (the crawl's reading and storage, SQLite); then
reread reads them back. Run by hand:

    .venv/bin/python bench/bench_reread.py [--articles 10000] [--workers 2] [--padding portal]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_backfill import PADDINGS, padded_site  # noqa: E402

from archive.warc import Exchange, pack  # noqa: E402

BASE = "http://e.my399.com"


def main() -> None:  # (the parse workers start by forkserver: only under __main__)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--padding", choices=sorted(PADDINGS), default="portal")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = root / "parkwatch.toml"
        config.write_text(f'[sources.e-my399]\nbase_url = "{BASE}"\n')
        os.environ["PARKWATCH_CONFIG"] = str(config)
        from crawler.history.imports import import_warcs
        from crawler.history.reread import reread
        from foundation.settings import load_settings

        profile = load_settings().source("e-my399")
        pages = padded_site(args.articles, BASE, args.padding)
        warc = root / "captures.warc.gz"
        with open(warc, "wb") as out:
            for n, (path, page) in enumerate(sorted(pages.items())):
                if profile.article_re.match(path):
                    out.write(pack(Exchange(BASE + path, 200,
                                            (("Content-Type", page.content_type),), page.body,
                                            datetime(2024, 5, 1, tzinfo=UTC)
                                            + timedelta(seconds=n))).blob)
        url = f"sqlite:///{root / 'archive.db'}"
        started = time.perf_counter()
        done = import_warcs(url, profile, [warc], root / "pages", workers=args.workers,
                            batch=200)
        stored = done.new + done.updated
        print(f"imported {stored} articles in {time.perf_counter() - started:.1f} s; kept "
              f"WARC {sum(p.stat().st_size for p in (root / 'pages').rglob('*.gz')) / stored:,.0f}"
              " bytes a page")
        for label, rules in (("rules unchanged", profile),
                             ("a rule changed (teasers kept)",
                              profile.model_copy(update={"strip_teasers": False}))):
            started = time.perf_counter()
            summary = reread(url, rules, root / "pages", workers=args.workers, batch=200)
            seconds = time.perf_counter() - started
            print(f"reread, {label}: {summary.read} pages in {seconds:.1f} s = "
                  f"{summary.read / seconds:.1f} pages/s; load average "
                  f"{os.getloadavg()[0]:.1f}; {summary.changed} changed ({summary.bodies} bodies, "
                  f"{summary.dates} dates, {summary.facts_added} facts added, "
                  f"{summary.facts_removed} removed)")


if __name__ == "__main__":
    main()
