"""Topics that know the entities: on a zone's own portal, whose every story names the zone
("新区", "开发区"), a story is park news because the zone or its industry is what it is about
(tests/topics/portal.jsonl, a development set of two portals' stories)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.entities.gazetteer import home_names
from pipelines.topics import Rule, default_rules, tag_topics

HERE = Path(__file__).parent
PARKS = "industrial-parks"
#: Before the generic words and the source's own names: zh P 0.50 R 0.93, en P 0.38 R 1.00.
#: After: 1.00 / 1.00 in both (development set: tuned on; the labelled and blind sets'
#: scores are unchanged, blind P 1.00 R 0.93 in both languages).
#: The blind set (portal_blind.jsonl: two Chinese portals and an English one, written after
#: these rules froze, scored once): zh P 1.00 R 1.00 (21 stories; the rules before: P 0.53
#: R 0.91), en P 1.00 R 0.50 (8; before: P 0.00 R 0.00) — an English portal's "the zone" is
#: no park term, so "Zone welcomes German auto parts supplier" scores 1 of the 2 it needs.
FLOORS = {("portal", "zh"): (0.95, 0.95), ("portal", "en"): (0.95, 0.95),
          ("portal_blind", "zh"): (1.0, 1.0), ("portal_blind", "en"): (1.0, 0.5)}


def rows(name: str = "portal") -> list[dict[str, object]]:
    return [json.loads(line) for line in (HERE / f"{name}.jsonl").read_text("utf-8")
            .splitlines() if line.strip()]


@pytest.mark.parametrize(("name", "language"), sorted(FLOORS))
def test_portal_precision_and_recall(name: str, language: str) -> None:
    tp = fp = fn = 0
    wrong = []
    for row in rows(name):
        if row["language"] != language:
            continue
        names = home_names(str(row["home"]))
        assert names, row["home"]
        got = any(m.topic == PARKS for m in tag_topics(str(row["title"]), str(row["text"]),
                                                        default_rules(), names))
        tp += got and bool(row["parks"])
        fp += got and not row["parks"]
        fn += bool(row["parks"]) and not got
        if got != row["parks"]:
            wrong.append(row["title"])
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    floor_p, floor_r = FLOORS[name, language]
    assert precision >= floor_p and recall >= floor_r, wrong


def test_the_portal_set_is_balanced() -> None:
    for language, least in (("zh", 30), ("en", 8)):
        mine = [r for r in rows() if r["language"] == language]
        assert len(mine) >= least
        assert 0.3 <= sum(bool(r["parks"]) for r in mine) / len(mine) <= 0.7


def test_generic_words_count_only_beside_evidence() -> None:
    rules = {"t": Rule(terms=["新区", "园区"], min_score=1, generic=["新区", "园区"],
                       evidence=["企业"])}
    assert tag_topics("新区新建中小学3所", "新区新增学位4500个。", rules) == []
    assert [m.topic for m in tag_topics("新区企业增至300家", "", rules)] == ["t"]
    # the source's own names are no evidence either; a zone it names by name is
    own = ["哈尔滨新区", "新区"]
    assert tag_topics("哈尔滨新区冰雪节开幕", "", default_rules(), own) == []
    assert [m.topic for m in tag_topics("哈尔滨新区冰雪装备企业签约", "", default_rules(), own)] \
        == [PARKS]
    assert [m.topic for m in tag_topics("利民开发区举办冰雪节", "", default_rules(), own)] \
        == [PARKS]
