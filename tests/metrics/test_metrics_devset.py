"""The hand-written development set and held-out set, scored with the shared scorer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.metrics.evaluate import match_facts, score, strict_f1
from pipelines.metrics.extract import extract_facts

HERE = Path(__file__).resolve().parent
KINDS = {"level", "delta", "change", "share"}
QUALIFIERS = {"exact", "more_than", "at_least", "less_than", "at_most", "approx"}


def load(name: str) -> list[dict]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def pairs(rows: list[dict]) -> list[tuple[list[dict], list[dict]]]:
    out = []
    for row in rows:
        published = dt.date.fromisoformat(row["published"])
        out.append((row["facts"], [f.to_dict() for f in extract_facts(row["text"], published)]))
    return out


MIN_ROWS = {"devset.jsonl": (170, 25), "holdout.jsonl": (30, 2), "blindset.jsonl": (80, 10)}


@pytest.mark.parametrize("name", ["devset.jsonl", "holdout.jsonl", "blindset.jsonl"])
def test_sets_are_well_formed(name: str) -> None:
    rows = load(name)
    min_rows, min_empty = MIN_ROWS[name]
    assert len(rows) >= min_rows
    assert sum(1 for r in rows if not r["facts"]) >= min_empty
    for row in rows:
        dt.date.fromisoformat(row["published"])
        for fact in row["facts"]:
            assert fact["kind"] in KINDS
            assert fact["qualifier"] in QUALIFIERS
            assert isinstance(fact["value"], int | float)
            assert fact.get("refers_to") is None or 0 <= fact["refers_to"] < len(row["facts"])


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", ["devset.jsonl", "holdout.jsonl"])
def test_f1_at_least_090(name: str) -> None:
    result = score(pairs(load(name)))
    assert result["f1"] >= 0.90, result["errors"][:10]
    for field in ("kind", "qualifier", "period", "basis"):
        assert result["fields"][field] >= 0.85, (field, result["errors"][:10])


@pytest.mark.timeout(60)
def test_blind_set_f1_at_least_090() -> None:
    """The blind set was written before the 1.0 rules were read (first score: F1 0.903,
    P 0.949, R 0.861); 1.1 fixed what it revealed. It must not regress below 0.9."""
    result = score(pairs(load("blindset.jsonl")))
    assert result["f1"] >= 0.90, result["errors"][:10]
    for field in ("kind", "qualifier", "period", "basis"):
        assert result["fields"][field] >= 0.85, (field, result["errors"][:10])


def test_scorer_greedy_in_order_and_refers_to_mapping() -> None:
    gold = [{"value": 5, "unit": "count", "kind": "level"},
            {"value": 5, "unit": "percent", "kind": "change", "refers_to": 0}]
    predicted = [{"value": 3, "unit": "count", "kind": "level"},
                 {"value": 5, "unit": "count", "kind": "level"},
                 {"value": 5, "unit": "percent", "kind": "change", "refers_to": 1}]
    assert match_facts(gold, predicted) == {0: 1, 1: 2}
    result = score([(gold, predicted)])
    assert result["precision"] == pytest.approx(2 / 3)
    assert result["recall"] == 1.0
    assert result["fields"]["refers_to"] == 1.0
    assert result["fields"]["qualifier"] == 1.0  # missing qualifier means "exact"


#: Chinese sets: (minimum facts, kind+period F1 floor). The blind set was written after the
#: 1.3 rules were frozen and scored once, never tuned on: value+unit F1 1.000, kind+period
#: 0.922 (misses: 是2019年的2.1倍 and 2019年同期的九成 dated 2019, a list item 其中外资企业6家
#: read as a level, 由上年的18%提高到21% dating the 21% by 上年).
ZH_SETS = {"devset_zh.jsonl": (150, 0.90), "blindset_zh.jsonl": (40, 0.85)}


@pytest.mark.parametrize("name", sorted(ZH_SETS))
def test_chinese_sets_are_well_formed(name: str) -> None:
    rows = load(name)
    assert sum(len(r["facts"]) for r in rows) >= ZH_SETS[name][0]
    assert any(not r["facts"] for r in rows)
    for row in rows:
        for fact in row["facts"]:
            assert fact["kind"] in KINDS and fact["qualifier"] in QUALIFIERS


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(ZH_SETS))
def test_chinese_value_unit_and_kind_period_f1(name: str) -> None:
    """Chinese sets: value+unit F1 ≥ 0.95 and kind+period F1 ≥ 0.85 (issue 10's bar; the
    development set scored 1.000 / 0.994 when 1.3 was frozen, the blind set 1.000 / 0.922)."""
    scored = pairs(load(name))
    result = score(scored)
    assert result["f1"] >= 0.95, result["errors"][:10]
    assert strict_f1(scored)["f1"] >= ZH_SETS[name][1], result["errors"][:10]
