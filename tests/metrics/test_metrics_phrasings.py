"""Each phrasing family with its examples: qualifiers, changes, shares, deltas, numbers, units,
conversions, periods, bases, non-facts and Chinese forms."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.metrics.extract import extract_facts
from pipelines.metrics.numbers import parse_fraction, parse_words
from pipelines.metrics.periods import months_label
from pipelines.metrics.phrasings import qualifier_before

PUB = dt.date(2023, 2, 21)


def facts(text: str, published: dt.date = PUB) -> list[dict]:
    return [f.to_dict() for f in extract_facts(text, published)]


def only(text: str, published: dt.date = PUB) -> dict:
    found = facts(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "qualifier"), [
    ("Its output exceeded 100 billion yuan.", "more_than"),
    ("The fair attracted over 3,000 visitors.", "more_than"),
    ("The park has 300-plus enterprises.", "more_than"),
    ("Around 200 companies attended.", "approx"),
    ("Some 70 enterprises moved in.", "approx"),
    ("The zone employs approximately 42,000 people.", "approx"),
    ("Revenue was close to 9 billion yuan.", "approx"),
    ("At least 15 projects will be completed.", "at_least"),
    ("The park hosts 100 enterprises or more.", "at_least"),
    ("Fewer than 10 enterprises applied.", "less_than"),
    ("Up to 50 million yuan will be awarded.", "at_most"),
    ("No more than 20 percent of the land is commercial.", "at_most"),
    ("The zone signed 58 projects.", "exact"),
])
def test_qualifiers(text: str, qualifier: str) -> None:
    assert only(text)["qualifier"] == qualifier


@pytest.mark.parametrize(("left", "qualifier"), [
    ("it had no more than", "at_most"), ("an increase of more than", "more_than"),
    ("(about", "approx"), ("just over", "approx"), ("the zone had", None),
])
def test_qualifier_before(left: str, qualifier: str | None) -> None:
    assert qualifier_before(left) == qualifier


@pytest.mark.parametrize(("text", "value", "unit", "basis"), [
    ("Output saw a year-on-year increase of 6.5 percent.", 6.5, "percent", "year-on-year"),
    ("Exports were up 8.8 percent year-on-year.", 8.8, "percent", "year-on-year"),
    ("Investment increased by 11.8 percent compared to the same period in 2021.", 11.8,
     "percent", "year-on-year"),
    ("Its output recorded a decrease of 4.5 percent.", -4.5, "percent", None),
    ("Profits were down 3 percent month-on-month.", -3, "percent", "month-on-month"),
    ("Its share was 17.6 percentage points higher.", 17.6, "percent", "percentage-points"),
    ("The rate fell by 0.5 percentage points.", -0.5, "percent", "percentage-points"),
    ("Registered entities saw a growth of 1.3 times.", 1.3, "times", None),
    ("Investment increased 2.5-fold.", 2.5, "times", None),
    ("Profits were 8 percent lower than a year earlier.", -8, "percent", "year-on-year"),
    ("Its exports posted negative growth of 3.7 percent.", -3.7, "percent", None),
    ("Port throughput slid 1.2 percent month on month.", -1.2, "percent", "month-on-month"),
    ("Output rose 5.4 percent from the second quarter.", 5.4, "percent", "quarter-on-quarter"),
    ("Output grew 5 percent over the previous year.", 5, "percent", "year-on-year"),
    ("Its share was 3 percent higher than in 2015.", 3, "percent", "compared-to-2015"),
    # a rate or pace of change (found by a probe written after the rules)
    ("GDP grew at a rate of 5.3% in the first three quarters.", 5.3, "percent", None),
    ("Output expanded at an annual pace of 6.1 percent.", 6.1, "percent", None),
    ("Sales rose by an average of 4 percent a year.", 4, "percent", None),
])
def test_changes(text: str, value: float, unit: str, basis: str | None) -> None:
    fact = only(text)
    assert (fact["kind"], fact["value"], fact["unit"], fact["basis"]) == (
        "change", value, unit, basis)


@pytest.mark.parametrize(("text", "value", "share_of"), [
    ("The number reached 500, accounting for one-fifth of Harbin's total.", 20, "Harbin's total"),
    ("Nine firms, which account for 35 percent of the city's total, were named.", 35,
     "the city's total"),
    ("Private firms account for two-thirds of the park's tax revenue.", 200 / 3,
     "the park's tax revenue"),
    ("The digital economy contributed a third of the city's growth.", 100 / 3,
     "the city's growth"),
    ("Nearly one-tenth of the country's bicycles are made here.", 10, "the country's bicycles"),
    ("Services represented about half of the economy.", 50, "the economy"),
    ("Strategic industries made up 41.2 percent of the output.", 41.2, "the output"),
    ("Forty percent of the parks are digital.", 40, "the parks"),
])
def test_shares(text: str, value: float, share_of: str) -> None:
    share = [f for f in facts(text) if f["kind"] == "share"]
    assert len(share) == 1
    assert share[0]["value"] == pytest.approx(value, rel=1e-4)
    assert share[0]["unit"] == "percent"
    assert share[0]["share_of"] == share_of


def test_share_refers_to_its_level() -> None:
    found = facts("The number of high-tech enterprises reached 500, accounting for one-fifth "
                  "of Harbin's total.")
    assert [f["kind"] for f in found] == ["level", "share"]
    assert found[1]["refers_to"] == 0
    assert found[0]["metric"] == "high-tech enterprises"


@pytest.mark.parametrize(("text", "kinds"), [
    ("The two places added 30 industrial enterprises.", ["delta"]),
    ("Another two new enterprises were rated as green factories.", ["delta"]),
    ("Nine new enterprises were titled as green enterprises.", ["delta"]),
    ("A total of eight workshops were added, bringing the total number to 32.",
     ["delta", "level"]),
    ("An additional 800 jobs will be created.", ["delta"]),
    ("This year it aims to attract 30 more.", ["delta"]),
    ("Six enterprises were selected as design centers.", ["level"]),
    ("The zone promoted 141 industrial projects.", ["level"]),
    ("The zone added 10 research centers, one key laboratory, six technology centers, "
     "and 11 municipal centers.", ["delta"] * 4),
])
def test_deltas_and_levels(text: str, kinds: list[str]) -> None:
    assert [f["kind"] for f in facts(text)] == kinds


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Twenty-five companies took part.", 25, "count"),
    ("Two dozen startups were incubated.", 24, "count"),
    ("One hundred enterprises joined.", 100, "count"),
    ("The county has seventy parks.", 70, "count"),
    ("GDP reached 1.2 trillion yuan.", 1.2e12, "CNY"),
    ("Investment will total 66.36-billion-yuan.", 66.36e9, "CNY"),
    ("It signed a 300-million-yuan ($48.4 million) deal.", 3e8, "CNY"),
    ("It attracted RMB 5 billion.", 5e9, "CNY"),
    ("It attracted 5 billion RMB.", 5e9, "CNY"),
    ("A fund pledged $3 million.", 3e6, "USD"),
    ("Contracts were worth US$1.2 billion.", 1.2e9, "USD"),
    ("Exports were 8.6 billion dollars.", 8.6e9, "USD"),
    ("It will invest 250 million euros.", 2.5e8, "EUR"),
    ("The firm raised HK$1.5 billion.", 1.5e9, "HKD"),
    ("The rate reached 85%.", 85, "percent"),
    ("The rate reached 10 percent.", 10, "percent"),
    ("The park covers 123 million mu.", 1.23e8, "mu"),
    ("The building has 10,000 square meters.", 1e4, "sqm"),
    ("The complex covers 80,000 sq m.", 8e4, "sqm"),
    ("The zone covers 56.7 square kilometers.", 56.7, "km2"),
    ("The zone covers 21 sq km.", 21, "km2"),
    ("The port handled 45 million tonnes.", 4.5e7, "ton"),
    ("The plant generated 120 million kWh.", 1.2e8, "kwh"),
    ("The zone planted 1,500 hectares of forest.", 1500, "hectare"),
    ("A 35-km expressway opened.", 35, "km"),
    ("The farm has 300 megawatts of capacity.", 300, "mw"),
    ("The port handled 3.4 million TEUs.", 3.4e6, "teu"),
    ("The pipeline carries 5 billion cubic meters of gas.", 5e9, "m3"),
    ("Its output\u00a0reached 7.5\u00a0billion\u00a0yuan.", 7.5e9, "CNY"),
])
def test_numbers_and_units(text: str, value: float, unit: str) -> None:
    fact = only(text)
    assert fact["value"] == pytest.approx(value)
    assert fact["unit"] == unit


@pytest.mark.parametrize(("words", "value"), [
    ("one", 1), ("nineteen", 19), ("twenty-five", 25), ("ninety nine", 99), ("a dozen", 12),
    ("two dozen", 24), ("one hundred", 100), ("three hundred and five", 305),
])
def test_parse_words(words: str, value: float) -> None:
    assert parse_words(words) == value


@pytest.mark.parametrize(("words", "value"), [
    ("one-fifth", 20), ("two-thirds", 200 / 3), ("half", 50), ("a third", 100 / 3),
    ("one-tenth", 10), ("three-quarters", 75), ("four-fifths", 80),
])
def test_parse_fraction(words: str, value: float) -> None:
    assert parse_fraction(words) == pytest.approx(value)


@pytest.mark.parametrize(("text", "published", "value", "unit", "consistent"), [
    ("Output exceeded 100 billion yuan ($14.93 million).", dt.date(2023, 2, 21), 14.93e6,
     "CNY", False),
    ("Output reached 621.37 billion yuan ($93.30 billion).", dt.date(2023, 2, 21), 93.3e9,
     "CNY", True),
    ("Trade reached 152.51 billion yuan($24.6 billion).", dt.date(2023, 2, 21), 24.6e9, "CNY",
     True),
    ("More than five billion yuan ($0.8 billion) was invested.", dt.date(2019, 1, 1), 0.8e9,
     "CNY", True),
    ("The deal is worth 20 billion yuan ($2.9 million).", dt.date(2020, 1, 1), 2.9e6, "CNY",
     False),
    ("The plant covers 3.32 million ($591,000) square meters.", dt.date(2016, 3, 3), 591000,
     "sqm", False),
])
def test_conversions(text, published, value, unit, consistent) -> None:
    fact = only(text, published)  # the parenthetical dollar figure is not a fact of its own
    assert fact["unit"] == unit
    conv = fact["conversion"]
    assert conv["unit"] == "USD"
    assert conv["value"] == pytest.approx(value)
    assert conv["consistent"] is consistent
    if unit == "CNY":
        assert conv["implied_rate"] == pytest.approx(fact["value"] / value, rel=1e-3)
    else:
        assert conv["implied_rate"] is None


@pytest.mark.parametrize(("text", "published", "period"), [
    ("In 2022, the zone signed 58 projects.", dt.date(2023, 2, 21), "2022"),
    ("Last year, the zone signed 58 projects.", dt.date(2023, 2, 21), "2022"),
    ("This year, the zone signed 58 projects.", dt.date(2023, 5, 1), "2023"),
    ("In the first quarter, the zone signed 58 projects.", dt.date(2023, 4, 18), "2023-Q1"),
    ("In the first quarter, the zone signed 58 projects.", dt.date(2023, 2, 1), "2022-Q1"),
    ("During the Jan-to-March period, the zone signed 58 projects.", dt.date(2022, 4, 20),
     "2022-Q1"),
    ("In the January-June period, the zone signed 58 projects.", dt.date(2021, 7, 15),
     "2021-H1"),
    ("In the first seven months of this year, the zone signed 58 projects.",
     dt.date(2023, 8, 20), "2023-01..2023-07"),
    ("From 2014 to 2016, the zone signed 58 projects.", dt.date(2017, 1, 1), "2014..2016"),
    ("In the first half of 2021, the zone signed 58 projects.", dt.date(2021, 8, 8), "2021-H1"),
    ("In December, the zone signed 58 projects.", dt.date(2022, 1, 20), "2021-12"),
    ("Between January and May, the zone signed 58 projects.", dt.date(2022, 6, 1),
     "2022-01..2022-05"),
    ("In the fourth quarter of 2022, the zone signed 58 projects.", dt.date(2023, 1, 30),
     "2022-Q4"),
    ("During the 13th Five-Year Plan period (2016-20), the zone signed 58 projects.",
     dt.date(2021, 3, 3), "2016..2020"),
    ("In the first three quarters, the zone signed 58 projects.", dt.date(2022, 10, 20),
     "2022-01..2022-09"),
    ("Last month, the zone signed 58 projects.", dt.date(2023, 1, 10), "2022-12"),
    ("The zone signed 58 projects, up 5 percent compared with the same period in 2021.",
     dt.date(2023, 2, 21), None),
])
def test_periods(text: str, published: dt.date, period: str | None) -> None:
    assert facts(text, published)[0]["period"] == period


def test_period_carries_forward_and_same_period() -> None:
    found = facts("In 2021, the zone signed 58 projects. During the same period, its revenue "
                  "rose 6 percent. Meanwhile, nine firms were named.", dt.date(2022, 3, 3))
    assert [f["period"] for f in found] == ["2021", "2021", "2021"]


@pytest.mark.parametrize(("m1", "m2", "label"), [
    (1, 12, "2022"), (1, 3, "2022-Q1"), (4, 6, "2022-Q2"), (1, 6, "2022-H1"), (7, 12, "2022-H2"),
    (5, 5, "2022-05"), (1, 7, "2022-01..2022-07"),
])
def test_months_label(m1: int, m2: int, label: str) -> None:
    assert months_label(2022, m1, m2) == label


@pytest.mark.parametrize("text", [
    "The 35th Harbin International Ice and Snow Festival opened on January 5, 2019.",
    "The office is located at 88 Century Avenue in Pudong.",
    "Students at No. 1 Middle School visited the zone on Monday.",
    "For more information, call 0451-8234 5678.",
    "Contact the bureau at +86 10 6512 3456 for details.",
    "The meeting was held on March 15, 2023 in Beijing.",
    "The expo will be held from Sept 20 to 23.",
    "It is one of the largest industrial parks in Northeast China.",
    "The zone was established in 1992 and upgraded in 2010.",
    "Visitors can take Metro Line 2 to the exhibition center.",
    "The headquarters is on the 18th floor of Building 3.",
    "Officials discussed cooperation in 5G and artificial intelligence.",
    "The forum opened at 9:30 am on Thursday.",
    "The park sits along National Highway 102.",
    "A COVID-19 testing site was set up.",
    "The committee met on 2023-02-21 to review the plan.",
    "Both zones are in the top 10 of the national rankings.",
    "The delegation arrived on the 14th and left two days later.",
    "During the 13th Five-Year Plan period, the zone grew steadily.",
    "The A380 and Boeing 737 aircraft are serviced at the hangar.",
    "The two places promoted the projects.",
    "Harbin ramps up childcare services",
])
def test_non_facts(text: str) -> None:
    assert facts(text) == []


def test_the_two_places_resolves_to_named_subject() -> None:
    found = facts("In 2022, the output value of industries in the Harbin Economic Development "
                  "Zone and Pingfang district exceeded 100 billion yuan. The investment in the "
                  "two places increased by 11.8 percent.")
    subject = "Harbin Economic Development Zone and Pingfang district"
    assert [f["subject"] for f in found] == [subject, subject]
    assert found[0]["metric"] == "output value of industries"


@pytest.mark.parametrize(("text", "expected"), [
    ("2022年，开发区实现地区生产总值1075亿元，同比增长6.5%。",
     [(1.075e11, "CNY", "level", "2022", None), (6.5, "percent", "change", "2022",
                                                 "year-on-year")]),
    # 1.3: 全年 alone, published in January-March, is the year just ended (annual reports)
    ("全年完成固定资产投资8 982万元。", [(8.982e7, "CNY", "level", "2022", None)]),
    ("高新技术企业数量占全市三分之一。", [(100 / 3, "percent", "share", None, None)]),
    ("园区新增企业30家。", [(30, "count", "delta", None, None)]),
    ("出口额下降4.5%。", [(-4.5, "percent", "change", None, None)]),
])
def test_chinese(text: str, expected: list[tuple]) -> None:
    found = facts(text)
    got = [(f["value"], f["unit"], f["kind"], f["period"], f["basis"]) for f in found]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g[0] == pytest.approx(e[0])
        assert g[1:] == e[1:]


# -- added in 1.1: phrasings found by the blind set (tests/metrics/blindset.jsonl) ----------

def brief(text: str, published: dt.date = PUB) -> list[tuple]:
    return [(f["value"], f["unit"], f["kind"], f["qualifier"]) for f in facts(text, published)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("The park's revenue surged to RMB5bn.", 5e9, "CNY"),
    ("An investor injected US$2.3m into the startup.", 2.3e6, "USD"),
    ("The province earmarked ¥80 million for the incubator.", 8e7, "CNY"),
    ("The park attracted RMB 300m of private capital.", 3e8, "CNY"),
    ("The fund raised 1.5 mn yuan.", 1.5e6, "CNY"),
    ("The fund raised 3.2 mln yuan.", 3.2e6, "CNY"),
    ("The state put in 2.6bn yuan.", 2.6e9, "CNY"),
    ("The deal is worth ¥3.6bn.", 3.6e9, "CNY"),
    ("A US$500k grant was awarded.", 5e5, "USD"),
])
def test_glued_currency_and_short_magnitudes(text: str, value: float, unit: str) -> None:
    fact = only(text)
    assert (fact["value"], fact["unit"]) == (pytest.approx(value), unit)


@pytest.mark.parametrize("text", [
    "The plant is 5m tall.",          # "m" is a magnitude only next to a currency
    "The team ran a 10k race.",
])
def test_short_magnitudes_need_a_currency(text: str) -> None:
    assert facts(text) == []


@pytest.mark.parametrize(("text", "expected", "period"), [
    ("The zone employed 2000 workers.", [(2000, "count", "level", "exact")], None),
    ("The company has 1998 employees.", [(1998, "count", "level", "exact")], None),
    ("In 2000 the park was farmland.", [], None),
    ("Output doubled by 2025.", [(100, "percent", "change", "exact")], "2025"),
    ("The zone's 2023 budget is 1.2 billion yuan.", [(1.2e9, "CNY", "level", "exact")], "2023"),
    ("The 2021 results were strong.", [], None),
])
def test_bare_years_and_counts(text: str, expected: list[tuple], period: str | None) -> None:
    found = facts(text)
    assert [(f["value"], f["unit"], f["kind"], f["qualifier"]) for f in found] == expected
    if found:
        assert found[0]["period"] == period


@pytest.mark.parametrize(("text", "expected"), [
    ("Some 300 enterprises have settled in the zone.", [(300, "count", "level", "approx")]),
    ("Nearly 40 percent of the land is green.", [(40, "percent", "share", "approx")]),
    ("Exactly 120 firms applied.", [(120, "count", "level", "exact")]),
    ("Altogether 56 projects were signed.", [(56, "count", "level", "exact")]),
    ("Over 60 companies exhibited.", [(60, "count", "level", "more_than")]),
])
def test_capitalised_openers_are_not_labels(text: str, expected: list[tuple]) -> None:
    assert brief(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # documented reading: doubled = +100 %, tripled = +200 %, quadrupled = +300 %, halved = -50 %
    ("Exports to Russia doubled in 2022.", [(100, "percent", "change", "exact")]),
    ("The number of firms tripled.", [(200, "percent", "change", "exact")]),
    ("Sales quadrupled.", [(300, "percent", "change", "exact")]),
    ("Energy use per unit of output was halved.", [(-50, "percent", "change", "exact")]),
    ("Patents more than doubled to 3,400.",
     [(100, "percent", "change", "more_than"), (3400, "count", "level", "exact")]),
    ("Revenue rose three-fold.", [(3, "times", "change", "exact")]),
])
def test_multiplying_verbs(text: str, expected: list[tuple]) -> None:
    assert brief(text) == expected


def test_doubled_refers_to_the_level_it_reached() -> None:
    found = facts("Contracted foreign investment doubled to $400 million.")
    assert found[0]["refers_to"] == 1


@pytest.mark.parametrize(("text", "expected"), [
    # documented reading: a vague plural is a lower bound, twice its base
    ("Dozens of logistics firms opened warehouses.", [(24, "count", "level", "at_least")]),
    ("Hundreds of engineers and thousands of workers are on site.",
     [(200, "count", "level", "at_least"), (2000, "count", "level", "at_least")]),
    ("Tens of thousands of visitors came.", [(20000, "count", "level", "at_least")]),
    ("Hundreds of millions of yuan were invested.", [(2e8, "CNY", "level", "at_least")]),
])
def test_vague_plurals(text: str, expected: list[tuple]) -> None:
    assert brief(text) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("One in five enterprises in the park is foreign-funded.", 20),
    ("Three out of ten graduates stay in the city.", 30),
    ("A third of the new jobs went to graduates.", 100 / 3),
    ("Roughly three-quarters of the revenue came from private firms.", 75),
    ("Almost a quarter of the output comes from biomedicine.", 25),
])
def test_ratios_and_fractions_are_shares(text: str, value: float) -> None:
    fact = only(text)
    assert (fact["unit"], fact["kind"]) == ("percent", "share")
    assert fact["value"] == pytest.approx(value, rel=1e-4)


@pytest.mark.parametrize(("text", "expected"), [
    ("Growth is expected to be between 3 and 5 percent.",
     [(3, "percent", "change", "at_least"), (5, "percent", "change", "at_most")]),
    ("Output will rise 6-8 percent.",
     [(6, "percent", "change", "at_least"), (8, "percent", "change", "at_most")]),
    ("The fund will hold 3–5 billion yuan.",
     [(3e9, "CNY", "level", "at_least"), (5e9, "CNY", "level", "at_most")]),
])
def test_ranges(text: str, expected: list[tuple]) -> None:
    assert brief(text) == expected


@pytest.mark.parametrize("text", [
    "The 14th Five-Year Plan (2021-25) sets the goals.",
    "A COVID-19 testing site was set up.",
    "Call 0451-8234 5678 for details.",
])
def test_dash_pairs_that_are_not_ranges(text: str) -> None:
    assert facts(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The three districts reached 3, 4 and 5 billion yuan respectively.",
     [(3e9, "CNY", "level", "exact"), (4e9, "CNY", "level", "exact"),
      (5e9, "CNY", "level", "exact")]),
    ("Revenue and profit rose 9.1 and 14.3 percent respectively.",
     [(9.1, "percent", "change", "exact"), (14.3, "percent", "change", "exact")]),
    ("Exports and imports grew 12 percent and 8 percent, respectively.",
     [(12, "percent", "change", "exact"), (8, "percent", "change", "exact")]),
    ("Exports and imports fell 3 and 5 percent.",
     [(-3, "percent", "change", "exact"), (-5, "percent", "change", "exact")]),
    ("The rate rose 1.2 percentage points to 68.5 percent.",
     [(1.2, "percent", "change", "exact"), (68.5, "percent", "level", "exact")]),
])
def test_number_lists_share_unit_and_kind(text: str, expected: list[tuple]) -> None:
    assert brief(text) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("Growth in the sector was -2.3 percent.", -2.3),
    ("The growth rate was 5.2 percent in the first quarter.", 5.2),
    ("Year-on-year, exports slid 5.5 percent.", -5.5),
    ("Retail sales edged up 0.4 per cent.", 0.4),
    ("Exports contracted 3.6 pct.", -3.6),
    ("Up 12.5 percent was the number of new firms.", 12.5),
])
def test_more_change_phrasings(text: str, value: float) -> None:
    fact = only(text)
    assert (fact["kind"], fact["value"]) == ("change", value)


@pytest.mark.parametrize(("text", "kinds"), [
    ("About 1,500 jobs will be created.", ["delta"]),
    ("Officials said the 12 projects involve 8.7 billion yuan.", ["level", "level"]),
    ("The five new projects will break ground soon.", ["delta"]),
    ("These three districts will each receive a 20-million-yuan subsidy.", ["level"]),
    ("It took three years to build the center.", []),
])
def test_determiners_durations_and_created(text: str, kinds: list[str]) -> None:
    assert [f["kind"] for f in facts(text)] == kinds


def test_delta_of_a_level_has_basis_and_refers_to() -> None:
    found = facts("Newly registered entities totaled 5,600, an increase of 800 over the "
                  "previous year.")
    assert [(f["value"], f["kind"]) for f in found] == [(5600, "level"), (800, "delta")]
    assert found[1]["basis"] == "year-on-year" and found[1]["refers_to"] == 0


@pytest.mark.parametrize(("text", "published", "periods"), [
    # an event date does not date a later figure; a present-tense marker cuts the carry
    ("The company was founded in 1998 and has 1,998 employees.", dt.date(2019, 1, 1), [None]),
    ("In 2000, the park was farmland; today it hosts 1,900 companies.", dt.date(2020, 4, 4),
     [None]),
    ("A 4.5 billion-yuan fund was set up in 2020.", dt.date(2021, 1, 1), ["2020"]),
    # the forward fallback stays in the clause
    ("The zone has 56 listed companies, 11 of which went public last year.",
     dt.date(2022, 4, 4), [None, "2021"]),
    # a baseline "a year ago" is the same period a year earlier
    ("Revenue in the first half was 4.5 billion yuan, compared with 3.9 billion yuan a year "
     "ago.", dt.date(2019, 8, 8), ["2019-H1", "2018-H1"]),
    # "in January-February" is a range, not "in January"
    ("Output grew 10.2% year on year in January-February.", dt.date(2023, 3, 15),
     ["2023-01..2023-02"]),
    # an English period in a sentence with a Chinese figure
    ("The New Area recorded 1075亿元 in revenue last year.", dt.date(2023, 1, 25), ["2022"]),
    # a future target ("by the end of 2025") dates nothing after it: the quarter is the
    # publication year's
    ("The plant is expected to be completed by the end of 2025. In the first quarter, output "
     "grew by 16.8 percent.", dt.date(2023, 5, 16), ["2023-Q1"]),
    ("Last year, sales reached 3 billion yuan. The zone aims to double them by 2030. During "
     "the same period, exports rose 8 percent.", dt.date(2023, 5, 16),
     ["2022", "2022"]),
])
def test_period_rules_1_1(text: str, published: dt.date, periods: list[str | None]) -> None:
    assert [f["period"] for f in facts(text, published)] == periods


def test_basis_right_after_a_figure_stays_with_it() -> None:
    found = facts("Imports from Japan rose 13 percent month-on-month in October, while those "
                  "from South Korea slid 2.5 percent.", dt.date(2022, 11, 11))
    assert [f["basis"] for f in found] == ["month-on-month", None]


@pytest.mark.parametrize("text", [
    "The office is at No. 1 Hongqi Street, Room 1203.",
    "The company ranked 3rd among private enterprises.",
    "The zone ranks No. 2 in the province and 15th nationwide.",
    "Built in the 1980s, the plant now runs 24/7 and showcases Industry 4.0 technology.",
    "Both parks were founded in the 1990s, and the two places share a rail link.",
])
def test_more_non_facts(text: str) -> None:
    assert facts(text) == []


# -- added in 1.3: money in every currency, growth ranges, baselines, half-years -------------

@pytest.mark.parametrize(("text", "value", "unit"), [
    ("The phone sold for 7,199 Chinese yuan.", 7199, "CNY"),
    ("The fund raised 10.5 million Australian dollars.", 1.05e7, "AUD"),
    ("Global debt hit $US113 trillion.", 1.13e14, "USD"),
    ("The council spent $A2.5 million on roads.", 2.5e6, "AUD"),
    ("The firm invested A$300 million in the park.", 3e8, "AUD"),
    ("Tickets cost 1,200€ each.", 1200, "EUR"),
    ("Sales reached €45 million.", 4.5e7, "EUR"),
    ("Russia pledged 5 billion rubles to the zone.", 5e9, "RUB"),
    ("The deal was worth 3 billion roubles.", 3e9, "RUB"),
    ("The plant cost US$1.2 billion.", 1.2e9, "USD"),
    ("Samsung invested 2 trillion South Korean won.", 2e12, "KRW"),
    ("Exports totalled 500 billion yen.", 5e11, "JPY"),
    ("The bank lent HK$4 billion.", 4e9, "HKD"),
    ("A fine of £3.5 million was paid.", 3.5e6, "GBP"),
    ("The budget was 40 million pounds sterling.", 4e7, "GBP"),
    ("Revenue rose to RM5 million.", 5e6, "MYR"),
    ("It received 2 million Swiss francs.", 2e6, "CHF"),
    ("The deal is worth 5 million AUD.", 5e6, "AUD"),
    ("The fund holds SGD 40 million.", 4e7, "SGD"),
    ("The project cost Rs 300 crore.", 3e9, "INR"),
    ("The park's budget is 12 billion Kazakh tenge.", 1.2e10, "KZT"),
])
def test_money_in_every_currency(text: str, value: float, unit: str) -> None:
    fact = only(text)
    assert (fact["value"], fact["unit"]) == (pytest.approx(value), unit)


def test_investors_list_of_currencies() -> None:
    found = facts("Investors put in C$20 million and S$15 million.")
    assert [(f["value"], f["unit"]) for f in found] == [(2e7, "CAD"), (1.5e7, "SGD")]


@pytest.mark.parametrize(("text", "unit"), [
    ("The engine makes 275 pound-feet of torque.", "count"),   # not pounds sterling
    ("The team won 3 games.", "count"),                        # "won" is the verb
    ("The team won 5 million won.", "count"),                  # bare "won" is not read
])
def test_currency_words_that_are_not_money(text: str, unit: str) -> None:
    assert only(text)["unit"] == unit


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("The economy is expected to grow between 5 and 7 percent this year.", dt.date(2024, 3, 5),
     [(5, "change", "at_least", "2024"), (7, "change", "at_most", "2024")]),
    ("Officials target growth of between 5 and 7 percent in 2024.", dt.date(2024, 3, 5),
     [(5, "change", "at_least", "2024"), (7, "change", "at_most", "2024")]),
    # the baseline of a change is a change of the earlier period
    ("GDP grew 5.2 percent in 2023, compared with 4.9 percent a year earlier.",
     dt.date(2024, 1, 20), [(5.2, "change", "exact", "2023"), (4.9, "change", "exact", "2022")]),
    ("Exports rose 8 percent in the first quarter, compared with 6.1 percent a year ago.",
     dt.date(2024, 4, 20),
     [(8, "change", "exact", "2024-Q1"), (6.1, "change", "exact", "2023-Q1")]),
    ("Net profit rose 12 percent in 1H24.", dt.date(2024, 8, 1),
     [(12, "change", "exact", "2024-H1")]),
    ("Revenue in 2H23 reached 3 billion yuan.", dt.date(2024, 3, 1),
     [(3e9, "level", "exact", "2023-H2")]),
    ("Sales in fiscal H1 climbed 9 percent.", dt.date(2024, 8, 1),
     [(9, "change", "exact", "2024-H1")]),
    ("Output in H1 2024 rose 6 percent.", dt.date(2024, 8, 1),
     [(6, "change", "exact", "2024-H1")]),
    ("Revenue for the six months to September 30 was 4.2 billion yen.", dt.date(2024, 11, 1),
     [(4.2e9, "level", "exact", "2024-04..2024-09")]),
    ("Profit in the nine months ended March 31 fell 3 percent.", dt.date(2024, 5, 1),
     [(-3, "change", "exact", "2023-07..2024-03")]),
    ("Sales in 3Q23 rose 4 percent.", dt.date(2024, 1, 1),
     [(4, "change", "exact", "2023-Q3")]),
])
def test_held_out_kinds_and_periods(text: str, published: dt.date, expected: list) -> None:
    got = [(f["value"], f["kind"], f["qualifier"], f["period"]) for f in facts(text, published)]
    assert got == expected


def test_double_a_past_level_is_a_change_against_it() -> None:
    found = facts("Trade volume this year is nearly double the 2019 level, at 12 billion "
                  "dollars.", dt.date(2024, 5, 1))
    assert [(f["value"], f["unit"], f["kind"], f["qualifier"], f["period"], f["basis"])
            for f in found] == [
        (100, "percent", "change", "approx", "2024", "compared-to-2019"),
        (1.2e10, "USD", "level", "exact", "2024", None)]


def test_hydrogen_h2_is_not_a_half_year() -> None:
    assert only("The plant makes 500 tons of H2 a year.", dt.date(2024, 5, 1))["period"] is None
