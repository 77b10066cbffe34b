"""Robustness: empty, numberless, garbage and huge inputs; offsets; the to_dict contract."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.metrics import EXTRACTOR_VERSION, Fact
from pipelines.metrics.extract import extract_facts

FIELDS = ["value", "unit", "kind", "qualifier", "period", "basis", "metric", "subject",
          "share_of", "refers_to", "conversion", "sentence", "start", "end"]
SAMPLE = ("In 2022, the zone's output exceeded 100 billion yuan ($14.93 million), a year-on-year "
          "increase of 6.5 percent. The zone added 30 enterprises, accounting for one-fifth of "
          "the city's total. ")


def test_version_is_a_string() -> None:
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


@pytest.mark.parametrize("text", ["", " ", "\n\n", "No numbers here at all.", ".", "()$%",
                                  "yuan percent billion", "\u00a0\u00a0"])
def test_nothing_to_find(text: str) -> None:
    assert extract_facts(text) == []
    assert extract_facts(text, dt.date(2023, 1, 1)) == []


@pytest.mark.timeout(30)
def test_random_bytes_do_not_crash() -> None:
    rng = random.Random(1234)
    for _ in range(50):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
        for fact in extract_facts(blob.decode("utf-8", errors="replace"), dt.date(2020, 1, 1)):
            assert isinstance(fact, Fact)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.%$()-yuanpercentbillionof\u00a0"
                                             "Thezonerose12345678年亿元同比增长"))))
def test_fuzzed_text_keeps_offsets_valid(text: str) -> None:
    for fact in extract_facts(text, dt.date(2021, 6, 1)):
        assert 0 <= fact.start < fact.end <= len(text)
        assert any(ch.isdigit() or ch.isalpha() for ch in text[fact.start:fact.end])
        json.dumps(fact.to_dict())


@pytest.mark.timeout(30)
def test_one_megabyte_paragraph_returns() -> None:
    text = (SAMPLE * (1_000_000 // len(SAMPLE) + 1))[:1_000_000].replace(". ", "; ")
    facts = extract_facts(text, dt.date(2023, 2, 21))
    assert len(facts) > 1000
    for fact in facts[:50]:
        assert len(fact.sentence) <= 2100


@pytest.mark.timeout(30)
def test_one_megabyte_without_punctuation_or_numbers_returns() -> None:
    assert extract_facts("lorem ipsum " * 85_000) == []
    # One absurd 1 MB "number": no fact (not finite / not a plausible figure), and no crash.
    assert extract_facts("9" * 1_000_000) == []


@pytest.mark.timeout(30)
def test_one_megabyte_paragraph_is_bounded() -> None:
    """A 1 MB paragraph with no line breaks, in the site's phrasings: well under 3 s."""
    import time

    unit = SAMPLE.replace(". ", ", and ")
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    start = time.process_time()
    facts = extract_facts(text, dt.date(2023, 2, 21))
    assert time.process_time() - start < 3.0
    assert len(facts) > 1000


@pytest.mark.parametrize("shift", range(0, 40, 3))
def test_long_paragraph_never_splits_a_figure(shift: int) -> None:
    """Chunks of an over-long sentence are cut at clause marks or whitespace, never inside
    "7.5 billion yuan": every figure keeps its value and unit whatever the alignment."""
    filler = "x" * shift + " " + "and the zone kept growing steadily " * 55
    piece = "its output reached 7.5 billion yuan and 12,345.6 square meters were built "
    text = filler + piece * 60
    facts = extract_facts(text, dt.date(2023, 2, 21))
    got = {(f.value, f.unit) for f in facts}
    assert got == {(7.5e9, "CNY"), (12345.6, "sqm")}
    assert len(facts) == 120


def test_chunk_cut_without_spaces_keeps_digits_together() -> None:
    from pipelines.metrics.sentences import MAX_SENTENCE, split_sentences

    text = ("ab" * (MAX_SENTENCE // 2 - 3)) + "1234567" + "cd" * 600
    spans = split_sentences(text)
    assert all(b - a <= MAX_SENTENCE for a, b in spans)
    assert not any(text[a - 1].isdigit() and text[a].isdigit() for a, _ in spans[1:])


def test_offsets_point_at_the_number_with_nbsp() -> None:
    text = "Its output\u00a0reached 7.5\u00a0billion\u00a0yuan, up 3\u00a0percent."
    facts = extract_facts(text, dt.date(2023, 1, 1))
    assert [text[f.start:f.end] for f in facts] == ["7.5\u00a0billion\u00a0yuan", "3\u00a0percent"]


def test_to_dict_contract() -> None:
    facts = extract_facts(SAMPLE, dt.date(2023, 2, 21))
    assert [f.value for f in facts] == [100_000_000_000, 6.5, 30, 20]
    d = facts[0].to_dict()
    assert list(d) == FIELDS
    assert isinstance(d["value"], int) and isinstance(facts[1].to_dict()["value"], float)
    assert list(d["conversion"]) == ["value", "unit", "consistent", "implied_rate"]
    assert json.loads(json.dumps(d)) == d
    assert SAMPLE[d["start"]:d["end"]] == "100 billion yuan"
    assert d["sentence"].startswith("In 2022") and d["period"] == "2022"
    assert facts[1].to_dict()["refers_to"] == 0 and facts[3].to_dict()["refers_to"] == 2


def test_refers_to_indexes_the_whole_list() -> None:
    text = SAMPLE * 3
    facts = extract_facts(text, dt.date(2023, 2, 21))
    assert [f.refers_to for f in facts] == [None, 0, None, 2, None, 4, None, 6, None, 8, None, 10]


ZH_SAMPLE = ("2023年上半年，园区实现营业收入1075亿元，同比增长6.5%，增速比一季度提高1.2个百分点；"
             "新增企业一千二百家，占全市的比重为27.5%。")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("punctuated", [True, False])
def test_large_chinese_text_returns_with_valid_offsets(punctuated: bool) -> None:
    text = (ZH_SAMPLE * (300_000 // len(ZH_SAMPLE) + 1))[:300_000]
    if not punctuated:
        text = text.replace("。", "").replace("，", "").replace("；", "")
    facts = extract_facts(text, dt.date(2023, 7, 20))
    assert len(facts) > 10_000
    for fact in facts[:200]:
        assert 0 <= fact.start < fact.end <= len(text) and len(fact.sentence) <= 2100


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,%-—至到一二两三四五六七八九十百千万亿"
                                             "元美家个户项人次月季度上下半年前全去今比较同增长下降"
                                             "回落提高个百分点占的比重为成翻番分之余多约近超过以上"))))
def test_fuzzed_chinese_keeps_offsets_valid(text: str) -> None:
    for fact in extract_facts(text, dt.date(2023, 7, 20)):
        assert 0 <= fact.start < fact.end <= len(text)
        json.dumps(fact.to_dict())
