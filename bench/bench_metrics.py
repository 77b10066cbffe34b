"""Throughput of the metric extractor: seed-sized articles per second, and one 1 MB paragraph."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.metrics.extract import extract_facts  # noqa: E402

PUBLISHED = dt.date(2024, 3, 1)
# About 2 KB and ~20 facts, in the site's phrasings (written for this bench, not copied).
ARTICLE = (
    "The Songbei High-tech Zone and Daoli district, on the northern bank of the Songhua River, "
    "reported solid growth in advanced manufacturing, logistics and digital services last "
    "year, according to the management committee of the zone.\n"
    "In 2023, the operating revenue of enterprises in the Songbei High-tech Zone reached "
    "86.4 billion yuan ($12.1 billion), a year-on-year increase of 7.9 percent. Industrial "
    "investment in the two areas grew by 13.2 percent compared to the same period in 2022.\n"
    "Last year, the zone added 42 enterprises above designated size. The number of "
    "specialized small giants reached 260, accounting for one-third of the city's total.\n"
    "In the first quarter, the zone signed 37 projects with a total investment of "
    "18.6 billion yuan, up 21.4 percent year-on-year.\n"
    "During the same period, six new research platforms were set up, bringing the total "
    "to 58. Another three enterprises were listed on the stock market, and more than "
    "1,200 mu of land was supplied for industry.\n"
    "The zone's logistics park covers 3.5 square kilometers and handled about 2.6 million "
    "tons of cargo, down 4.1 percent. Exports reached $740 million, which account for "
    "28 percent of the city's total.\n"
    "Moreover, nine enterprises were named provincial-level green factories, and the zone "
    "added 12 incubators, four accelerators and 15 maker spaces. The share of high-tech "
    "manufacturing was 3.2 percentage points higher than in 2022. The office is at "
    "88 Century Avenue, and the 35th trade fair opens on March 15.\n"
    "Officials said the zone will keep improving its business environment, speed up the "
    "construction of major projects and support private enterprises in research, so that "
    "industrial upgrading can continue at a steady pace in the coming years.\n"
    "The committee also plans to strengthen cooperation with universities and research "
    "institutes in the province, and to attract more young talent to the region.\n"
)


def articles_per_second(rounds: int = 7, batch: int = 200) -> tuple[float, int]:
    """(articles/s, facts per article): best of `rounds` batches, as timeit does (load noise)."""
    n_facts = len(extract_facts(ARTICLE, PUBLISHED))
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(batch):
            extract_facts(ARTICLE, PUBLISHED)
        best = min(best, time.perf_counter() - start)
    return batch / best, n_facts


def big_paragraph_seconds(size: int = 1_000_000) -> tuple[float, int]:
    """(seconds, facts) for one paragraph of `size` characters with no line breaks."""
    unit = ARTICLE.replace("\n", " ")
    text = (unit * (size // len(unit) + 1))[:size]
    start = time.perf_counter()
    facts = extract_facts(text, PUBLISHED)
    return time.perf_counter() - start, len(facts)


def main() -> int:
    rate, n_facts = articles_per_second()
    print(f"seed-sized article: {len(ARTICLE)} chars, {n_facts} facts")
    print(f"throughput: {rate:,.0f} articles/s on one core")
    seconds, facts = big_paragraph_seconds()
    print(f"1 MB paragraph: {seconds:.2f} s, {facts} facts")
    flat = "word " * 200_000
    start = time.perf_counter()
    extract_facts(flat, PUBLISHED)
    print(f"1 MB without numbers or punctuation: {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
