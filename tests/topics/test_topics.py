"""Topic tagging in English and Chinese: term matching, exclusions, built-in rules and their
precision / recall on labelled titles + texts (development and blind sets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foundation.profile import TopicRule
from foundation.settings import load_settings
from pipelines.topics import Rule, default_rules, rules_for, tag_topics

HERE = Path(__file__).parent
PARKS = "industrial-parks"
# Floors per (set, language): (precision, recall). The blind set was written after the terms
# were frozen and is never tuned on; see docs/reading.md, "Topics".
FLOORS = {("labelled", "en"): (0.95, 0.95), ("labelled", "zh"): (0.95, 0.95),
          ("blind", "en"): (0.95, 0.90), ("blind", "zh"): (0.95, 0.90)}


def scores(name: str, language: str) -> tuple[float, float, list[str]]:
    rows = [json.loads(line) for line in (HERE / f"{name}.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    tp = fp = fn = 0
    wrong = []
    for row in rows:
        if row["language"] != language:
            continue
        got = any(m.topic == PARKS for m in tag_topics(row["title"], row["text"],
                                                       default_rules()))
        tp += got and row["parks"]
        fp += got and not row["parks"]
        fn += row["parks"] and not got
        if got != row["parks"]:
            wrong.append(row["title"])
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), wrong


@pytest.mark.parametrize(("name", "language"), sorted(FLOORS))
def test_precision_and_recall_floors(name: str, language: str) -> None:
    precision, recall, wrong = scores(name, language)
    floor_p, floor_r = FLOORS[name, language]
    assert precision >= floor_p and recall >= floor_r, (precision, recall, wrong)


def test_the_labelled_sets_are_big_enough_and_balanced() -> None:
    for name, least in (("labelled", 60), ("blind", 20)):
        rows = [json.loads(line) for line in (HERE / f"{name}.jsonl").read_text("utf-8")
                .splitlines() if line.strip()]
        for language in ("en", "zh"):
            mine = [r for r in rows if r["language"] == language]
            assert len(mine) >= least, (name, language)
            assert 0.3 <= sum(r["parks"] for r in mine) / len(mine) <= 0.7


def test_chinese_terms_match_inside_sentences_and_latin_terms_whole() -> None:
    rules = {"t": Rule(terms=["园区", "industrial parks?"], min_score=1)}
    assert tag_topics("", "哈尔滨工业园区发展迅速", rules)[0].terms == ["园区"]
    assert tag_topics("", "开发区industrial park产值", rules)[0].terms == ["industrial park"]
    assert tag_topics("", "the industrial parking lot", rules) == []
    assert tag_topics("", "preindustrial park", rules) == []


def test_excluded_text_never_counts() -> None:
    rules = default_rules()
    assert tag_topics("斯大林公园区域", "公园区域将实施交通管制。", rules) == []
    assert tag_topics("湿地公园开园", "湿地公园和森林公园延长开放时间。", rules) == []
    assert tag_topics("Car parks open", "New car parks and a water park open.", rules) == []
    tagged = tag_topics("工业园区扩建", "园区新增企业10家。", rules)
    assert [m.topic for m in tagged] == [PARKS] and tagged[0].score == 3


def test_a_rule_without_terms_is_off_and_a_profile_replaces_a_built_in_topic() -> None:
    assert tag_topics("开发区", "开发区", {"t": Rule(terms=[])}) == []
    mine = TopicRule(terms=["dairy"], min_score=1)
    rules = rules_for({PARKS: mine, "food": TopicRule(terms=["soybean"], min_score=1)})
    assert rules[PARKS] is mine and set(rules) >= {PARKS, "food"}
    assert [m.topic for m in tag_topics("开发区", "dairy soybean", rules)] == [PARKS, "food"]
    assert rules_for(None) == default_rules()


def test_every_source_gets_the_built_in_rules(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "parkwatch.toml"
    config.write_text('[sources.zh-portal]\nbase_url = "http://127.0.0.1:9"\n'
                      'sections = ["news"]\nlanguage = "zh"\n'
                      "listing_pattern = '^/news/index\\\\.html$'\n"
                      "article_pattern = '^/news/\\\\d+\\\\.html$'\n"
                      "[sources.zh-portal.topics.off]\nterms = []\n", encoding="utf-8")
    monkeypatch.setenv("PARKWATCH_CONFIG", str(config))
    settings = load_settings()
    assert settings.source("zh-portal").topics["off"].terms == []
    rules = rules_for(settings.source("zh-portal").topics)
    assert PARKS in rules and PARKS in rules_for(settings.source("e-my399").topics)
    tagged = tag_topics("经开区签约23个项目", "园区企业扩产。", rules)
    assert [m.topic for m in tagged] == [PARKS]
