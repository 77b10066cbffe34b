"""Cost of entity linking per fact (CPU time): the labelled sets' articles linked again and
again, beside the extraction of the same facts as the reference in the same run.

    python bench/bench_linking.py [--rounds N]

Target (issue 20): at most 1 ms of CPU per fact. Prints per-fact and per-article figures for
linking alone, for extraction alone, and their ratio; the cold first call (patterns compiled,
pypinyin's tables loaded) separately.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.entities import link_article  # noqa: E402
from pipelines.entities.evaluate import parse_articles  # noqa: E402
from pipelines.metrics.extract import extract_facts  # noqa: E402

SETS = Path(__file__).resolve().parents[1] / "tests" / "parks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    articles = [a for path in sorted(SETS.glob("*set_*.txt")) + sorted(SETS.glob("blind_*.txt"))
                for a in parse_articles(path.read_text("utf-8"))]
    started = time.process_time()
    first = articles[0]
    link_article(first.title, first.text, extract_facts(first.text, first.published), first.home)
    cold = time.process_time() - started
    facts = [extract_facts(a.text, a.published) for a in articles]
    n_facts = sum(len(f) for f in facts)
    best_link = best_extract = float("inf")
    for _ in range(args.rounds):
        started = time.process_time()
        for article, found in zip(articles, facts, strict=True):
            link_article(article.title, article.text, found, article.home)
        best_link = min(best_link, time.process_time() - started)
        started = time.process_time()
        for article in articles:
            extract_facts(article.text, article.published)
        best_extract = min(best_extract, time.process_time() - started)
    print(f"{len(articles)} articles, {n_facts} facts; best of {args.rounds} rounds (CPU time)")
    print(f"linking:    {best_link / n_facts * 1e6:8.1f} µs/fact  "
          f"{best_link / len(articles) * 1e3:6.2f} ms/article")
    print(f"extraction: {best_extract / n_facts * 1e6:8.1f} µs/fact  "
          f"{best_extract / len(articles) * 1e3:6.2f} ms/article")
    print(f"linking / extraction: {best_link / best_extract:.2f}")
    print(f"first call (cold: patterns compiled, pinyin tables loaded): {cold * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
