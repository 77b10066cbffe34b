"""Crawl throughput with page keeping on (every article page kept as WARC) against off, on the
same generated pages in the same run, alternating; and the WARC bytes each article costs.

The local sample site serves N generated article pages padded to about 20 KB (bench_backfill's
pages: a portal's chrome by default, `--padding script` for inline script and style); each
pair of runs crawls them once with PARKWATCH_KEEP_PAGES=all and once with none, in turns (which
goes first alternates), into a fresh SQLite archive each time. Run by hand:

    .venv/bin/python bench/bench_pages.py [--articles 1000] [--pairs 3] [--padding portal]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_backfill import PADDINGS, padded_site, run_pipeline  # noqa: E402

from parkwatch.samplesite import SiteServer  # noqa: E402


def warc_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in (root / "pages").rglob("*.warc.gz*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--padding", choices=sorted(PADDINGS), default="portal")
    args = parser.parse_args()
    rates: dict[str, list[float]] = {"all": [], "none": []}
    per_article: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, SiteServer() as server:
        root = Path(tmp)
        server.pages.update(padded_site(args.articles, server.url, args.padding))
        for pair in range(args.pairs):
            order = ("all", "none") if pair % 2 == 0 else ("none", "all")
            for keep in order:
                for old in (root / "pages").rglob("*"):
                    if old.is_file():
                        old.unlink()
                result = run_pipeline(root, server, ["-s", f"PARKWATCH_KEEP_PAGES={keep}"])
                rate = result["stored"] / result["seconds"]
                rates[keep].append(rate)
                size = warc_bytes(root)
                if keep == "all":
                    per_article.append(size / result["stored"])
                print(f"pair {pair + 1} keep_pages={keep}: {result['stored']} stored in "
                      f"{result['seconds']:.1f} s = {rate:.1f} pages/s; CPU "
                      f"{result['cpu'] / result['stored'] * 1000:.1f} ms an article; "
                      f"WARC {size / 1e6:.1f} MB")
    ratios = sorted(a / n for a, n in zip(rates["all"], rates["none"], strict=True))
    print(f"keeping pages on / off: median {statistics.median(ratios):.3f} "
          f"(pairs: {', '.join(f'{r:.3f}' for r in ratios)})")
    print(f"WARC bytes per article: {statistics.median(per_article):,.0f} "
          f"(pages of {args.padding} padding)")


if __name__ == "__main__":
    main()
