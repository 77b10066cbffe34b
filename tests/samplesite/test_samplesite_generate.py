"""Synthetic record generation: deterministic, distinct, fast, same schema as articles.json."""

import re
import time
from datetime import date
from itertools import combinations

from parkwatch.samplesite import build_site, generate_records, load_records
from parkwatch.samplesite.generate import DEFAULT_SECTIONS


def test_deterministic_and_seeded() -> None:
    assert generate_records(50, seed=3) == generate_records(50, seed=3)
    assert generate_records(50, seed=3) != generate_records(50, seed=4)


def test_schema_matches_bundled_records() -> None:
    keys = set(load_records()[0]) - {"lying_charset", "pagination"}
    for rec in generate_records(200):
        assert keys <= set(rec)


def test_two_thousand_distinct_records_fast() -> None:
    t0 = time.perf_counter()
    recs = generate_records(2000, seed=0)
    site = build_site(recs, "classic", per_page=20)
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0, elapsed
    assert len(recs) == 2000
    assert {r["section"] for r in recs} == set(DEFAULT_SECTIONS)
    assert len({r["title"] for r in recs}) == 2000
    assert len({tuple(r["paragraphs"]) for r in recs}) == 2000
    ids = [r["id"] for r in recs]
    assert ids == sorted(ids) and len(set(ids)) == 2000 and ids[0] > 10000
    dates = [r["url_date"] for r in recs]
    assert dates == sorted(dates) and dates[0] >= "2015-01-01"
    assert 0.5 < sum("industrial-parks" in r["topics"] for r in recs) / 2000 < 0.7
    assert sum(bool(r["teasers"]) for r in recs) > 600
    mismatched = sum(r["url_date"] != r["published"] for r in recs)
    assert 300 < mismatched < 700
    assert all(date.fromisoformat(r["published"]) <= date.fromisoformat(r["url_date"])
               for r in recs)
    assert sum(1 for p in site if re.match(r"^/[a-z/]+/\d{4}-\d\d-\d\d/\d+\.html$", p)) == 2000


def _shingles(rec: dict) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(rec["paragraphs"]).lower())
    return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}


def test_records_are_not_near_duplicates() -> None:
    sets = [_shingles(r) for r in generate_records(250, seed=1)]
    worst = max(len(a & b) / len(a | b) for a, b in combinations(sets, 2))
    assert worst < 0.5, worst
