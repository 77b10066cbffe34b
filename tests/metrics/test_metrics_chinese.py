"""Chinese phrasing families, one test each: amounts, numerals, percents, changes, counts,
physical units, periods, comparison bases, shares, qualifiers, ranges and non-facts."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.metrics import zh_vocab as zv
from pipelines.metrics.extract import extract_facts

PUB = dt.date(2023, 7, 20)


def facts(text: str, published: dt.date = PUB) -> list[dict]:
    return [f.to_dict() for f in extract_facts(text, published)]


def vu(text: str, published: dt.date = PUB) -> list[tuple]:
    return [(f["value"], f["unit"]) for f in facts(text, published)]


def kinds(text: str, published: dt.date = PUB) -> list[tuple]:
    return [(f["value"], f["unit"], f["kind"], f["basis"]) for f in facts(text, published)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("实现营业收入1075亿元。", 1.075e11, "CNY"),
    ("完成投资8 982万元。", 8.982e7, "CNY"),
    ("总产值1.2万亿元。", 1.2e12, "CNY"),
    ("实际使用外资2.3亿美元。", 2.3e8, "USD"),
    ("出口额680万美元。", 6.8e6, "USD"),
    ("合同金额100亿元人民币。", 1e10, "CNY"),
    ("投资2.1亿欧元。", 2.1e8, "EUR"),
    ("投资1200亿日元。", 1.2e11, "JPY"),
    ("投资5000亿韩元。", 5e11, "KRW"),
    ("金额8.6亿港元。", 8.6e8, "HKD"),
    ("贸易额3.5亿卢布。", 3.5e8, "RUB"),
    ("金额2000万英镑。", 2e7, "GBP"),
    ("金额1.5亿澳元。", 1.5e8, "AUD"),
])
def test_amounts(text: str, value: float, unit: str) -> None:
    assert vu(text) == [(pytest.approx(value), unit)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("园区共有企业一千二百家。", 1200, "count"),
    ("投资两千万元。", 2e7, "CNY"),
    ("完成投资三百五十亿元。", 3.5e10, "CNY"),
    ("新增市场主体3.5万户。", 35000, "count"),
    ("增长百分之八点五。", 8.5, "percent"),
    ("国家级孵化器两家。", 2, "count"),
    ("管理资金规模近千亿元。", 1e11, "CNY"),
])
def test_chinese_numerals_and_mixed_forms(text: str, value: float, unit: str) -> None:
    assert vu(text) == [(pytest.approx(value), unit)]


@pytest.mark.parametrize(("text", "expected"), [
    ("外资企业数量占全省的三分之一。", [(pytest.approx(100 / 3), "percent", "share", None)]),
    ("民营企业贡献了五分之一的税收。", [(20, "percent", "share", None)]),
    ("上年工业产值占全市的四成。", [(40, "percent", "share", None)]),
    ("进出口额增长两成。", [(20, "percent", "change", None)]),
    ("工业总产值翻一番。", [(100, "percent", "change", None)]),
    ("工业总产值翻了两番。", [(300, "percent", "change", None)]),
    ("产量同比增长1.5倍。", [(1.5, "times", "change", "year-on-year")]),
])
def test_fractions_tenths_and_doubling(text: str, expected: list[tuple]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("地区生产总值同比增长6.5%。", [(6.5, "percent", "change", "year-on-year")]),
    ("出口额下降4.5%。", [(-4.5, "percent", "change", None)]),
    ("税收收入同比回落4.5%。", [(-4.5, "percent", "change", "year-on-year")]),
    ("用电量环比增长5.2%。", [(5.2, "percent", "change", "month-on-month")]),
    ("增速提高3.2个百分点。", [(3.2, "percent", "change", "percentage-points")]),
    ("增速回落0.5个百分点。", [(-0.5, "percent", "change", "percentage-points")]),
    ("增速低于全省平均水平1.3个百分点。", [(-1.3, "percent", "change", "percentage-points")]),
    ("规上企业比上年增加28家。", [(28, "count", "delta", "year-on-year")]),
    ("亩均税收同比提高2.3万元。", [(23000, "CNY", "delta", "year-on-year")]),
    ("工业增加值增长8.2%。", [(8.2, "percent", "change", None)]),
    ("失业率降至3.1%。", [(3.1, "percent", "level", None)]),
    ("研发投入强度达到3.8%。", [(3.8, "percent", "level", None)]),
])
def test_changes_and_percentage_points(text: str, expected: list[tuple]) -> None:
    assert kinds(text) == expected


def test_percentage_points_are_never_a_count() -> None:
    for text in ("比上年提高3.2个百分点。", "高于全市4.2个百分点。", "收窄两个百分点。"):
        assert {f["unit"] for f in facts(text)} == {"percent"}, text


@pytest.mark.parametrize(("text", "expected"), [
    ("新增市场主体1200户。", [(1200, "count", "delta", None)]),
    ("园区新增企业30家。", [(30, "count", "delta", None)]),
    ("引进项目56个，发明专利120项，从业人员860人。",
     [(56, "count", "level", None), (120, "count", "level", None),
      (860, "count", "level", None)]),
    ("接待游客1200万人次。", [(1.2e7, "count", "level", None)]),
    ("建设一个创新中心。", []),                 # 一个: an article, not a count
    ("项目建设周期为18个月。", []),              # 个月: a duration
    # more / fewer than a base: 多, 多出, 少了 (found by a probe written after the rules)
    ("企业比去年多218家。", [(218, "count", "delta", "year-on-year")]),
    ("较上年同期多出218家。", [(218, "count", "delta", "year-on-year")]),
    ("比上年多出了两个项目。", [(2, "count", "delta", "year-on-year")]),
    ("产值比上月少了3亿元。", [(-3e8, "CNY", "delta", "month-on-month")]),
])
def test_counts(text: str, expected: list[tuple]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("建成标准厂房35万平方米。", 3.5e5, "sqm"),
    ("规划面积12.5平方公里。", 12.5, "km2"),
    ("供地800亩。", 800, "mu"),
    ("年产光伏组件5万吨。", 5e4, "ton"),
    ("集装箱吞吐量86万标箱。", 8.6e5, "teu"),
    ("年发电量1.3亿千瓦时。", 1.3e8, "kwh"),
    ("绿化面积120公顷。", 120, "hectare"),
])
def test_physical_units(text: str, value: float, unit: str) -> None:
    assert vu(text) == [(pytest.approx(value), unit)]


@pytest.mark.parametrize(("text", "published", "period"), [
    ("一季度，税收12.7亿元。", PUB, "2023-Q1"),
    ("第二季度，税收12.7亿元。", PUB, "2023-Q2"),
    ("四季度，税收12.7亿元。", dt.date(2024, 2, 1), "2023-Q4"),
    ("上半年，税收12.7亿元。", PUB, "2023-H1"),
    ("下半年，税收12.7亿元。", dt.date(2024, 2, 1), "2023-H2"),
    ("前三季度，税收12.7亿元。", dt.date(2023, 10, 26), "2023-01..2023-09"),
    ("1-6月，税收12.7亿元。", PUB, "2023-H1"),
    ("1—8月，税收12.7亿元。", dt.date(2023, 9, 15), "2023-01..2023-08"),
    ("1至5月，税收12.7亿元。", PUB, "2023-01..2023-05"),
    ("前10个月，税收12.7亿元。", dt.date(2023, 11, 15), "2023-01..2023-10"),
    ("4月份，税收12.7亿元。", PUB, "2023-04"),
    ("截至11月底，税收12.7亿元。", dt.date(2023, 12, 12), "2023-11"),
    ("全年税收12.7亿元。", dt.date(2024, 1, 10), "2023"),
    ("预计全年税收12.7亿元。", dt.date(2023, 10, 10), "2023"),
    ("去年税收12.7亿元。", PUB, "2022"),
    ("上年税收12.7亿元。", PUB, "2022"),
    ("今年税收12.7亿元。", PUB, "2023"),
    ("2022年税收12.7亿元。", PUB, "2022"),
    ("2022年上半年税收12.7亿元。", PUB, "2022-H1"),
    ("今年1-4月税收12.7亿元。", PUB, "2023-01..2023-04"),
    ("“十四五”期间，计划投资1500亿元。", PUB, "2021..2025"),
    ("到2025年，产值将突破2000亿元。", PUB, "2025"),
    ("园区税收12.7亿元。", PUB, None),
])
def test_periods(text: str, published: dt.date, period: str | None) -> None:
    assert [f["period"] for f in facts(text, published)] == [period]


@pytest.mark.parametrize(("text", "periods", "bases"), [
    # the period after 比 / 较 is the comparison's base, not the figure's period
    ("上半年，投资86.5亿元，比上年同期增长18.4%。", ["2023-H1", "2023-H1"],
     [None, "year-on-year"]),
    ("一季度，出口额41.2亿元，较去年同期下降6.7%。", ["2023-Q1", "2023-Q1"],
     [None, "year-on-year"]),
    ("2022年，利润356亿元，比2021年增长11.2%。", ["2022", "2022"], [None, "year-on-year"]),
    ("2023年，进出口额较2019年增长45%。", ["2023"], ["compared-to-2019"]),
    ("上半年，零售额下降1.4%，降幅比1-5月收窄0.8个百分点。", ["2023-H1", "2023-H1"],
     [None, "percentage-points"]),
    ("常住人口比上年末增加1.2万人。", [None], [None]),
    # 去年同期 on its own is the figure's period a year earlier
    ("2022年，成交额45亿元，去年同期为33.3亿元。", ["2022", "2021"], [None, None]),
])
def test_comparison_bases(text: str, periods: list, bases: list) -> None:
    found = facts(text)
    assert [f["period"] for f in found] == periods
    assert [f["basis"] for f in found] == bases


@pytest.mark.parametrize(("text", "share_of"), [
    ("高新技术企业占全市的比重为31.5%。", "全市"),
    ("产值占全市工业总产值的比重达到42.3%。", "全市工业总产值"),
    ("占全市三分之一。", "全市"),
    ("研发人员占从业人员的比例为18.6%。", "从业人员"),
])
def test_shares(text: str, share_of: str) -> None:
    (fact,) = facts(text)
    assert (fact["kind"], fact["share_of"]) == ("share", share_of)


def test_share_refers_to_its_level() -> None:
    found = facts("高新技术企业达到865家，占全市的比重为31.5%。")
    assert [f["kind"] for f in found] == ["level", "share"]
    assert found[1]["refers_to"] == 0


@pytest.mark.parametrize(("text", "qualifier"), [
    ("营业收入超过100亿元。", "more_than"),
    ("营业收入突破100亿元。", "more_than"),
    ("总投资约120亿元。", "approx"),
    ("总投资约为120亿元。", "approx"),
    ("总投资近120亿元。", "approx"),
    ("总投资120亿元左右。", "approx"),
    ("入驻企业1200余家。", "more_than"),
    ("计划总投资2600多亿元。", "more_than"),
    ("引进项目80个以上。", "at_least"),
    ("不足50家企业申报。", "less_than"),
    ("至少新增30家。", "at_least"),
    ("补贴不超过200万元。", "at_most"),
    ("营业收入达到100亿元。", "exact"),
])
def test_qualifiers(text: str, qualifier: str) -> None:
    (fact,) = facts(text)
    assert fact["qualifier"] == qualifier


@pytest.mark.parametrize(("text", "expected"), [
    ("补贴3-5亿元。", [(3e8, "at_least"), (5e8, "at_most")]),
    ("增速在5%至6%之间。", [(5, "at_least"), (6, "at_most")]),
    ("补贴额度为50万元至200万元。", [(5e5, "at_least"), (2e6, "at_most")]),
])
def test_ranges(text: str, expected: list[tuple]) -> None:
    assert [(f["value"], f["qualifier"]) for f in facts(text)] == expected


def test_lists_share_the_kind() -> None:
    found = kinds("工业投资、技改投资分别增长16.2%、22.5%。")
    assert found == [(16.2, "percent", "change", None), (22.5, "percent", "change", None)]


@pytest.mark.parametrize("text", [
    "联系电话：0451-86012345，地址：创新路88号。",
    "第三届产业博览会将于10月15日开幕。",
    "园区将坚持“一区多园”发展模式，推进“三链”融合。",
    "开发区成立于1992年，是首批国家级开发区之一。",
    "该园区入选全国第一批绿色工业园区名单。",
    "5G基站建设持续推进。",
])
def test_non_facts(text: str) -> None:
    assert facts(text) == []


def test_event_year_does_not_date_a_figure() -> None:
    assert [f["period"] for f in facts("该企业2010年成立，现有员工860人。")] == [None]


def test_trigger_stems_cover_the_vocabulary() -> None:
    """The prefilter stems and the trigger pattern are built from one vocabulary."""
    for family, words in zv.TRIGGERS.items():
        for word in words:
            assert any(stem in word for stem in zv.TRIGGER_STEMS), (family, word)
            assert zv.TRIGGER_ANY_RE.fullmatch(word), word
            assert zv.TRIGGER_FAMILY[word] == family or word in zv.TRIGGER_FAMILY


def test_every_unit_word_is_read() -> None:
    for word, (unit, _) in zv.UNITS.items():
        found = facts(f"数量为12{word}。")
        assert [(f["value"], f["unit"]) for f in found] == [(12, unit)], word
