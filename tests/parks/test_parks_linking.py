"""Entity linking, measures, statuses and granularity as plain functions, and the gazetteer
and the measures vocabulary as data."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from pipelines.entities import ArticleLinks, default_gazetteer, link_article
from pipelines.entities.gazetteer import ZONE_KINDS
from pipelines.entities.mentions import find_mentions
from pipelines.entities.names import place_key, provisional_id
from pipelines.entities.series import Observation, points
from pipelines.metrics import Fact
from pipelines.metrics.extract import extract_facts
from pipelines.metrics.measures import FAMILY_UNITS, vocabulary
from pipelines.metrics.status import granularity, status

REPO = Path(__file__).resolve().parents[2]


def linked(title: str, text: str, published: str = "2023-07-20",
           home: str | None = None) -> tuple[list[Fact], ArticleLinks]:
    facts = extract_facts(text, dt.date.fromisoformat(published))
    return facts, link_article(title, text, facts, home)


def test_the_gazetteer_loads_with_both_languages_and_sound_parents() -> None:
    g = default_gazetteer()
    for kind in ZONE_KINDS:
        t = g.types[kind]
        assert t.name_zh and t.name_en and t.official_zh and t.official_en and t.forms_zh
    assert g.types["etdz"].official_zh == "国家级经济技术开发区"
    for entity in g.entities.values():
        assert entity.name_zh or entity.name_en
        assert entity.parent is None or entity.parent in g.entities, entity.id
    assert g.ancestor("ftz_area:harbin", "province") == "province:heilongjiang"


def test_every_zone_the_demo_sample_sites_name_is_known() -> None:
    texts = []
    for name in ("articles.json", "gov_articles.json", "wp_articles.json"):
        texts.append((REPO / "parkwatch" / "samplesite" / name).read_text("utf-8"))
    g = default_gazetteer()
    found = {m.entity_id for text in texts for m in find_mentions(text, g) if m.entity_id}
    for zone in ("etdz:binbei", "bonded_zone:binbei", "new_area:harbin", "etdz:harbin",
                 "bonded_zone:harbin", "etdz:harbin-limin", "etdz:shuangcheng", "htz:harbin",
                 "park:port-logistics"):
        assert zone in found, zone


@pytest.mark.parametrize(("name", "entity"), [
    ("哈尔滨经济技术开发区", "etdz:harbin"), ("哈尔滨经开区", "etdz:harbin"),
    ("Harbin ETDZ", "etdz:harbin"), ("Harbin Economic Development Zone", "etdz:harbin"),
    ("Harbin Economic and Technological Development Zone", "etdz:harbin"),
    ("大庆高新区", "htz:daqing"), ("大庆高新技术产业开发区", "htz:daqing"),
    ("Daqing HTZ", "htz:daqing"), ("Daqing High-tech Zone", "htz:daqing"),
    ("黑龙江自贸区", "ftz:heilongjiang"), ("Heilongjiang FTZ", "ftz:heilongjiang"),
    ("自贸试验区哈尔滨片区", "ftz_area:harbin"), ("哈尔滨综保区", "bonded_zone:harbin"),
    ("利民开发区", "etdz:harbin-limin"), ("深哈产业园", "park:shenzhen-harbin"),
])
def test_names_aliases_and_official_abbreviations(name: str, entity: str) -> None:
    found = find_mentions(f"据悉，{name}今年发展很快。", default_gazetteer())
    assert [(m.text, m.entity_id) for m in found] == [(name, entity)]


def test_pinyin_keys_match_english_spellings() -> None:
    assert place_key("哈尔滨") == place_key("Harbin") == "harbin"
    assert place_key("齐齐哈尔") == "qiqihar"
    assert place_key("庆安") == place_key("Qing'an")
    assert place_key("长春") == "changchun"  # a polyphone read in its phrase


def test_an_unknown_zone_is_provisional_and_one_entity_across_languages() -> None:
    g = default_gazetteer()
    zh = find_mentions("记者从北安经济开发区获悉，", g)
    en = find_mentions("The Bei'an Economic Development Zone said", g)
    assert [m.entity_id for m in zh] == [m.entity_id for m in en] == ["etdz:beian"]
    assert zh[0].role == "provisional"
    assert provisional_id("htz", "Tongjiang") == "htz:tongjiang"
    inner = find_mentions("哈尔滨经开区数字经济产业园投入运营", g)
    assert [m.entity_id for m in inner] == ["park:harbin-shuzijingji"]


def test_anaphora_resolve_to_the_story_s_zone_and_groups_stay_whole() -> None:
    _, links = linked("哈尔滨经开区1-5月经济运行情况",
                      "1-5月，全区规上工业总产值完成262.4亿元。该区实际使用外资0.87亿美元。",
                      "2023-06-12")
    assert [lk.entity_id for lk in links.links] == ["etdz:harbin", "etdz:harbin"]
    _, links = linked("", "Harbin New Area and Daqing High-tech Zone signed 40 projects. "
                          "The two places drew 3.2 billion yuan in foreign capital.")
    group = "group:htz:daqing+new_area:harbin"
    assert [lk.entity_id for lk in links.links] == [group, group]


def test_a_zone_portal_s_generic_name_is_its_own_zone() -> None:
    _, links = linked("开发区召开项目推进会", "园区一季度新开工项目18个。", "2023-04-10",
                      home="etdz:binbei")
    assert links.about == "etdz:binbei" and links.links[0].entity_id == "etdz:binbei"


def test_a_benchmark_place_is_not_the_subject() -> None:
    _, links = linked("哈尔滨经开区", "哈尔滨经开区规上工业增加值增长8.4%，高于全市2.1个百分点。",
                      "2023-06-12")
    assert [(lk.entity_id, lk.status) for lk in links.links] == [
        ("etdz:harbin", "outcome"), ("etdz:harbin", "comparison")]


def test_the_measures_vocabulary_is_sound() -> None:
    vocab = vocabulary()
    for measure in vocab.measures.values():
        assert measure.family in FAMILY_UNITS and measure.zh and measure.en
        assert measure.name_zh and measure.name_en
    for standard in ("规模以上工业总产值", "规模以上工业增加值", "固定资产投资", "工业投资",
                     "实际利用外资", "进出口总额", "出口总额", "税收收入", "一般公共预算收入",
                     "营业收入", "地区生产总值", "签约项目", "签约额", "开工项目",
                     "规上工业企业数", "高新技术企业数", "新增市场主体", "就业人数", "建筑面积"):
        assert standard in {m.name_zh for m in vocab.measures.values()}, standard


@pytest.mark.parametrize(("text", "measures"), [
    ("开发区实现规上工业总产值326.5亿元，同比增长8.4%。",
     ["industrial_output_value", "industrial_output_value"]),
    ("Its GDP grew 6.5 percent to 18.24 billion yuan.", ["gdp", "gdp"]),
    ("The zone collected 4.58 billion yuan in tax revenue.", ["tax_revenue"]),
    ("园区签约项目23个，计划总投资156亿元。", ["signed_projects", "signed_investment"]),
    # a part named by its industry, a share, a unit of another family: no measure
    ("其中，航空航天产业产值41.7亿元，占全区的12.5%。", [None, None]),
    ("The aerospace industry's output value reached 3 billion yuan.", [None]),
    ("园区规上工业总产值达到300家。", [None]),
])
def test_measures_of_figures(text: str, measures: list[str | None]) -> None:
    _, links = linked("哈尔滨经开区", text, "2023-06-12")
    assert [lk.measure for lk in links.links] == measures


@pytest.mark.parametrize(("text", "statuses"), [
    ("力争全年规上工业总产值突破700亿元。", ["target"]),
    ("预计年产值可达8亿元。", ["target"]),
    ("园区签约项目23个，计划总投资156亿元。", ["outcome", "outcome"]),
    ("The zone aims to attract 100 projects this year.", ["target"]),
    ("It plans to complete 9 factory buildings by the end of the year.", ["target"]),
    ("GDP grew 7.1 percent, 1.6 percentage points above the provincial average.",
     ["outcome", "comparison"]),
    ("增速比全省平均水平高2.1个百分点。", ["comparison"]),
    ("Output rose 8 percent in the first half.", ["outcome"]),
])
def test_targets_and_comparisons_are_marked(text: str, statuses: list[str]) -> None:
    facts = extract_facts(text, dt.date(2023, 7, 20))
    assert [status(text, f.start, f.end, f.basis) for f in facts] == statuses


@pytest.mark.parametrize(("period", "grain"), [
    ("2023", "year"), ("2023-H1", "ytd"), ("2023-H2", "half"), ("2023-Q1", "ytd"),
    ("2023-Q3", "quarter"), ("2023-05", "month"), ("2023-01..2023-05", "ytd"),
    ("2023-01..2023-09", "ytd"), ("2021..2025", "multi_year"), ("2023-06-30", "date"),
    ("2023-04..2023-05", "months"), (None, None),
])
def test_granularity_from_the_period(period: str | None, grain: str | None) -> None:
    assert granularity(period) == grain


def test_series_never_mix_entities_kinds_or_granularities() -> None:
    text = ("一季度，哈尔滨经开区规上工业总产值152.3亿元，增长6.8%。"
            "上半年，哈尔滨新区规上工业总产值218.4亿元，增长7.2%。2022年，哈尔滨经开区规上工业总产值598.2亿元。")
    _, links = linked("", text, "2023-07-20")
    keys = [lk.series_key for lk in links.links]
    assert len(set(keys)) == 5
    assert keys[0] == "etdz:harbin|industrial_output_value|level|ytd|CNY"


def test_a_chinese_conversion_in_parentheses_is_one_checked_figure() -> None:
    facts = extract_facts("项目总投资14.5亿元（约合2.1亿美元），年内开工。", dt.date(2023, 5, 1))
    assert [(f.value, f.unit) for f in facts] == [(1.45e9, "CNY")]
    assert facts[0].conversion is not None and facts[0].conversion["unit"] == "USD"
    assert facts[0].conversion["consistent"] is True
    wrong = extract_facts("总投资14.5亿元（约合21亿美元）。", dt.date(2023, 5, 1))
    assert len(wrong) == 1 and wrong[0].conversion["consistent"] is False  # type: ignore[index]
    dollars = extract_facts("实际利用外资1.2亿美元（折合人民币8.6亿元）。", dt.date(2023, 5, 1))
    assert [(f.unit, f.conversion["consistent"]) for f in dollars] == [  # type: ignore[index]
        ("USD", True)]


def test_one_point_many_sources_and_conflicts() -> None:
    key = "etdz:harbin|tax_revenue|level|ytd|CNY"
    made = points([Observation(key, "2023-H1", 4.58e9, source="zh"),
                   Observation(key, "2023-H1", 4.58e9, source="en"),
                   Observation(key, "2023-H1", 4.5e9, "more_than", source="copy"),
                   Observation(key, "2023-Q1", 2.14e9, source="zh")])
    assert [(p.period, p.sources, p.conflict) for p in made] == [
        ("2023-H1", ["zh", "en", "copy"], False), ("2023-Q1", ["zh"], False)]
    clash = points([Observation(key, "2023-H1", 4.58e9, source="zh"),
                    Observation(key, "2023-H1", 4.68e9, source="en")])
    assert clash[0].conflict and clash[0].values == [4.58e9, 4.68e9]


def test_linking_is_deterministic_and_json_ready() -> None:
    facts, links = linked("Harbin ETDZ", "Harbin ETDZ's output rose 8 percent in 2023.")
    assert json.loads(json.dumps(links.links[0].to_dict()))["entity_id"] == "etdz:harbin"
    assert link_article("Harbin ETDZ", "Harbin ETDZ's output rose 8 percent in 2023.",
                        facts).links == links.links


def test_linking_stays_cheap() -> None:
    """A smoke bound only (bench/bench_linking.py measures it): a long article's facts link in
    well under a second, cold patterns excepted."""
    text = "。".join(["1-5月，哈尔滨经开区规上工业总产值完成262.4亿元，同比增长7.5%"] * 60)
    facts = extract_facts(text, dt.date(2023, 6, 12))
    link_article("", text, facts)
    started = time.process_time()
    link_article("", text, facts)
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize(("text", "entity"), [
    # found by probes written after the blind set's one scoring
    ("The Zhaozhou development zone's output rose 7 percent.", "etdz:zhaozhou"),
    ("五常市水稻产业园产值增长8.8%。", "park:wuchangshuidao"),  # the city stays in the name
    ("同江市跨境物流园区吞吐量增长16%。", "park:tongjiangkuajing"),
    ("北安市经济开发区签约项目14个。", "etdz:beian"),
    ("哈尔滨市经开区签约项目14个。", "etdz:harbin"),  # a city + its zone's type
])
def test_zones_written_with_their_city_or_a_bare_type(text: str, entity: str) -> None:
    found = [m for m in find_mentions(text, default_gazetteer()) if m.entity_id]
    assert [m.entity_id for m in found] == [entity]
