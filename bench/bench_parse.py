"""Benchmark: article pages parsed per second (parse_article, no network), both markups."""

from __future__ import annotations

import time

from crawler.config import load_settings
from crawler.parsing import parse_article
from parkwatch.samplesite import article_path, generate_records, render_article


def main() -> None:
    profile = load_settings().source("e-my399")
    records = generate_records(300, seed=3)
    for variant in ("classic", "modern"):
        pages = [(render_article(r, variant), "http://e.my399.com" + article_path(r))
                 for r in records]
        size = sum(len(body) for body, _ in pages) / len(pages)
        best = 0.0
        for _ in range(3):
            start = time.perf_counter()
            for body, url in pages:
                parse_article(body, url, profile)
            best = max(best, len(pages) / (time.perf_counter() - start))
        print(f"{variant:8s} {len(pages)} pages of {size / 1024:.1f} KiB: {best:.0f} pages/s")


if __name__ == "__main__":
    main()
