"""The bundled articles.json covers the must-include cases of the sample site."""

from collections import Counter
from datetime import date

from parkwatch.samplesite import load_records
from parkwatch.samplesite.render import SECTION_NAMES

KEYS = {"section", "url_date", "id", "title", "published", "breadcrumb", "author",
        "byline_source", "paragraphs", "captions", "paginated", "teasers", "topics", "note"}
PARK_SECTIONS = {"business/parks", "business/industries", "business/planning", "business/guide",
                 "business/overview", "companies", "government", "news"}


def _by_id() -> dict[int, dict]:
    return {r["id"]: r for r in load_records()}


def test_schema_and_order() -> None:
    recs = load_records()
    assert 20 <= len(recs) <= 30
    for r in recs:
        assert set(r) >= KEYS, r["id"]
        assert r["byline_source"] in {"e.my399.com", "chinadaily.com.cn", "China Daily", "Xinhua"}
        assert r["paragraphs"] and all(p.strip() for p in r["paragraphs"])
        assert r["paginated"] == ("pagination" in r)
        assert 0 <= len(r["teasers"]) <= 4
        assert r["breadcrumb"] in (None, SECTION_NAMES[r["section"]])
        date.fromisoformat(r["url_date"])
        date.fromisoformat(r["published"])
    ids = [r["id"] for r in recs]
    assert len(set(ids)) == len(ids)
    by_date = sorted(recs, key=lambda r: (r["url_date"], r["id"]))
    assert [r["id"] for r in by_date] == sorted(ids)
    assert all(5200 <= i <= 7400 for i in ids)


def test_park_and_non_park_counts() -> None:
    recs = load_records()
    park = [r for r in recs if "industrial-parks" in r["topics"]]
    other = [r for r in recs if not r["topics"]]
    assert len(park) >= 12 and len(other) >= 6
    assert {r["section"] for r in park} >= PARK_SECTIONS
    text = " ".join(" ".join(r["paragraphs"]) for r in park)
    for phrase in ("year-on-year", "one-third of the city's total", "In the first quarter",
                   "billion yuan ($", "percentage points"):
        assert phrase in text


def test_dates_breadcrumbs_bylines() -> None:
    recs = load_records()
    mismatched = [r for r in recs if r["url_date"] != r["published"]]
    assert len(mismatched) >= 5
    gaps = [(date.fromisoformat(r["url_date"]) - date.fromisoformat(r["published"])).days
            for r in mismatched]
    assert sum(1 <= g <= 130 for g in gaps) >= 4
    assert any(g > 1000 for g in gaps)  # URL about three years after the page date
    assert any(g < -1000 for g in gaps)  # page re-dated about three years after the URL
    assert sum(r["breadcrumb"] is None for r in recs) >= 2
    assert any(r["author"] == "Zhang lei" and r["byline_source"] == "chinadaily.com.cn"
               for r in recs)


def test_teasers_subheads_and_lying_charset() -> None:
    recs = load_records()
    assert sum(len(r["teasers"]) >= 3 for r in recs) >= 2
    assert any(len(r["teasers"]) == 4 for r in recs)
    counts = Counter(t["title"] for r in recs for t in r["teasers"])
    assert counts.most_common(1)[0][1] >= 8
    for r in recs:
        for t in r["teasers"]:
            assert t["lead"].endswith(("…", "...")) and t["title"] != r["title"]
    assert "Harbin builds cold-region testing base" in _by_id()[6040]["paragraphs"]
    lying = [r for r in recs if r.get("lying_charset")]
    assert len(lying) == 1
    body = " ".join(lying[0]["paragraphs"])
    assert "“" in body and "下一页" in lying[0]["pagination"]


def test_duplicates_republished_and_lookalikes() -> None:
    recs = _by_id()
    a, b = recs[6301], recs[6302]
    assert (a["section"], b["section"]) == ("news", "change")
    assert a["paragraphs"] == b["paragraphs"]
    orig, rerun = recs[6388], recs[6420]
    assert orig["title"] != rerun["title"] and orig["paragraphs"][0] != rerun["paragraphs"][0]
    assert orig["paragraphs"][2:] == rerun["paragraphs"][2:]
    assert "($8.62 billion)" in orig["paragraphs"][1]
    assert "($8.66 billion)" in rerun["paragraphs"][1]
    q1, h1 = recs[5790], recs[5905]
    assert len(q1["paragraphs"]) == len(h1["paragraphs"])
    assert all(x != y for x, y in zip(q1["paragraphs"], h1["paragraphs"], strict=True))
    bodies = Counter(tuple(r["paragraphs"]) for r in recs.values())
    assert sorted(bodies.values(), reverse=True)[:2] == [2, 1]  # only one exact-duplicate pair
