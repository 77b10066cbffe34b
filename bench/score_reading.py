"""Reading quality: body F1 and date accuracy of parkwatch vs trafilatura and htmldate, on the
dev set (the three fixture sites) and the blind set (tests/parsing/blind/, never tuned on).

    python bench/score_reading.py            # summary table
    python bench/score_reading.py --worst 5  # and the five worst pages per reader
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore")

import htmldate  # noqa: E402
import trafilatura  # noqa: E402

from crawler.parsing.article import ParseError, parse_article  # noqa: E402
from crawler.parsing.decode import decode_html  # noqa: E402
from tests.support.reading import blind_cases, dev_cases, f1, gold_date, profile_for  # noqa: E402


def ours(case, generic: bool = False):
    profile = profile_for(case)
    if generic:
        profile = profile.model_copy(update={"reader": "generic"})
    try:
        article = parse_article(case.body, case.url, profile, case.encoding)
    except ParseError:
        return "", None, None
    return article.text, article.published, article.title


def trafilatura_text(case, recall: bool) -> str:
    html = decode_html(case.body, case.encoding)
    return trafilatura.extract(html, url=case.url, favor_recall=recall, include_tables=True,
                               deduplicate=False) or ""


def trafilatura_date(case):
    meta = trafilatura.extract_metadata(decode_html(case.body, case.encoding),
                                        default_url=case.url)
    return meta.date if meta else None


def htmldate_date(case):
    return htmldate.find_date(decode_html(case.body, case.encoding), url=case.url,
                              original_date=True)


def score(cases, worst: int) -> dict[str, float]:
    rows = {"parkwatch": [], "trafilatura (recall, today's fallback)": [],
            "trafilatura (default)": []}
    emy_generic = []
    dates = {"parkwatch": 0, "htmldate (original_date)": 0, "trafilatura metadata": 0}
    titles = 0
    cases = list(cases)
    for case in cases:
        gold = "\n".join(case.gold["text"])
        text, published, title = ours(case)
        rows["parkwatch"].append((f1(text, gold), case.name))
        rows["trafilatura (recall, today's fallback)"].append(
            (f1(trafilatura_text(case, True), gold), case.name))
        rows["trafilatura (default)"].append((f1(trafilatura_text(case, False), gold),
                                              case.name))
        if case.profile:
            emy_generic.append(f1(ours(case, generic=True)[0], gold))
        want = gold_date(case)
        dates["parkwatch"] += published == want
        dates["htmldate (original_date)"] += str(htmldate_date(case)) == str(want)
        dates["trafilatura metadata"] += str(trafilatura_date(case)) == str(want)
        titles += title == case.gold["title"]
    result = {}
    print(f"  {len(cases)} pages")
    for name, values in rows.items():
        result[name] = mean(v for v, _ in values)
        exact = sum(v >= 0.999 for v, _ in values)
        print(f"  body F1 {name:40s} {result[name]:.3f}  (exact {exact}/{len(values)})")
        for value, case_name in sorted(values)[:worst]:
            print(f"      {value:.3f} {case_name}")
    if emy_generic:
        print(f"  body F1 parkwatch generic reader on e-my399 pages   {mean(emy_generic):.3f} "
              f"(anchored: {mean(v for v, n in rows['parkwatch'] if n.startswith('e-my')):.3f})")
    for name, hits in dates.items():
        print(f"  date    {name:40s} {hits}/{len(cases)} = {hits / len(cases):.1%}")
    print(f"  title   parkwatch exact {titles}/{len(cases)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=0)
    parser.add_argument("--set", choices=["dev", "blind", "both"], default="both")
    args = parser.parse_args()
    if args.set in ("dev", "both"):
        print("dev set (fixture sites):")
        score(dev_cases(), args.worst)
    if args.set in ("blind", "both"):
        print("blind set (markups written after the rules were frozen):")
        score(blind_cases(), args.worst)


if __name__ == "__main__":
    main()
