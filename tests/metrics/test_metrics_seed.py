"""The seed article against the shared gold facts (read at runtime from ../shared)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.metrics.evaluate import score
from pipelines.metrics.extract import extract_facts

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PUBLISHED = dt.date(2023, 2, 21)


def _shared_or_skip() -> Path:
    if (SHARED / "seed").is_dir() and (SHARED / "gold" / "seed-metrics.json").is_file():
        return SHARED
    # Data beside the repository, not a service: a clone without it skips, in CI too.
    pytest.skip(f"../shared not present: {SHARED} (a clone without it)")


def _seed_body(text: str) -> str:
    start = text.index("The Harbin Economic")
    end = text.index("reached 169.") + len("reached 169.")
    return text[start:end]


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[dict], list[dict]]:
    shared = _shared_or_skip()
    path = sorted((shared / "seed").glob("*.txt"))[0]
    body = _seed_body(path.read_text(encoding="utf-8"))
    gold = json.loads((shared / "gold" / "seed-metrics.json").read_text(encoding="utf-8"))
    predicted = [f.to_dict() for f in extract_facts(body, PUBLISHED)]
    return body, gold["facts"], predicted


def test_seed_f1_and_fields(seed) -> None:
    _, gold, predicted = seed
    result = score([(gold, predicted)])
    assert result["f1"] >= 0.95, result["errors"]
    for field in ("kind", "period", "qualifier"):
        assert result["fields"][field] >= 0.90, (field, result["errors"])


def test_seed_first_fact_conversion_is_inconsistent(seed) -> None:
    body, _, predicted = seed
    first = predicted[0]
    assert first["unit"] == "CNY" and first["value"] == 100_000_000_000
    assert first["conversion"]["unit"] == "USD"
    assert first["conversion"]["value"] == 14_930_000
    assert first["conversion"]["consistent"] is False
    assert body[first["start"]:first["end"]].startswith("100 billion")


def test_seed_body_excludes_teaser(seed) -> None:
    body, _, _ = seed
    assert "childcare" not in body and body.endswith("reached 169.")
