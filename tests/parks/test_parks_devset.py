"""The labelled development set of entities, measures and series (tests/parks/devset_*.txt),
scored with pipelines.entities.evaluate, its floors pinned with the corpus they were measured
on: changing a set file, or lowering a floor, fails here until both are changed together and
the commit says why (the way trafilatura's evaluation gate pins its corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.entities.evaluate import Article, Scores, parse_articles, score
from tests.parks.gate import below, changed

HERE = Path(__file__).resolve().parent
#: The corpus the floors below were measured on (sha256 of each file).
DEV_FILES = {
    "devset_hlj_english.txt": "7bbe7b8b3d91e88bc916de3b877c59b1895e66ff19c69307dbf49baf03ecb7fa",
    "devset_hrbkfq.txt": "f83bcf7fa611218dbcb5ce279b3cc8be38b125ff54b23f00cbb7f7287837c5ac",
    "devset_hrbxq.txt": "e2e02cc04eb701af98ca3dd8482d6baaf16164788f17a4ecf95ca75477081ec8",
    "devset_ljjjw.txt": "16eebbe448fb9e9385faa68800643957046c013e42678a0a56d8c38ad3dbd38e",
}
#: Measured when the 1.4.0 rules were frozen: pairwise 1.000, B-cubed 1.000, cross-language
#: pairs 1.000 (315 pairs), entity accuracy 1.000, measure accuracy 0.988 (332 facts; misses:
#: four targets whose measure is a sentence away or unnamed, "grow industrial output by about
#: 8 percent" read as a level). The issue's bar is 0.90 / 0.90 / 0.95 / 0.90.
DEV_FLOORS = {"pairwise": 0.99, "bcubed": 0.99, "cross_language": 0.99, "entity": 0.99,
              "measure": 0.98}


def load(names: list[str]) -> list[Article]:
    return [a for name in names for a in parse_articles((HERE / name).read_text("utf-8"))]


@pytest.fixture(scope="module")
def dev() -> tuple[list[Article], Scores]:
    articles = load(sorted(DEV_FILES))
    return articles, score(articles)


def test_the_corpus_is_the_one_the_floors_were_measured_on() -> None:
    assert not changed(DEV_FILES), "re-score, then update the digests and the floors together"


def test_the_set_is_big_and_varied_enough(dev: tuple[list[Article], Scores]) -> None:
    articles, result = dev
    assert len(articles) >= 40 and sum(len(a.gold) for a in articles) >= 300
    assert len({a.site for a in articles}) >= 3 and {a.language for a in articles} == {"en", "zh"}
    assert result.cross_language_pairs >= 100  # series that span languages
    assert result.points["several_sources"] >= 20 and result.points["conflicts"]
    statuses = {g.status for a in articles for g in a.gold}
    assert statuses == {"outcome", "target", "comparison"}
    assert any(g.entity and g.entity.startswith("group:") for a in articles for g in a.gold)
    assert any(g.measure is None for a in articles for g in a.gold)


def test_dev_floors(dev: tuple[list[Article], Scores]) -> None:
    _, result = dev
    low = below(result, DEV_FLOORS)
    assert not low, (low, result.errors[:12])


def test_points_with_several_sources_and_conflicts(
        dev: tuple[list[Article], Scores]) -> None:
    points = dev[1].points
    assert points["several_sources_found"] == points["several_sources"] \
        == points["several_sources_predicted"]
    assert points["conflicts_found"] == points["conflicts"] == points["conflicts_predicted"]
