"""One vocabulary per phrasing family: the prefilter stems cover every word of the family,
units and currency signs are read from their tables, kinds and qualifiers are one enum."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.metrics import Fact, Kind, Qualifier
from pipelines.metrics import extract as ex
from pipelines.metrics import phrasings as ph
from pipelines.metrics import units as un
from pipelines.metrics.extract import extract_facts
from pipelines.metrics.hints import Prefilter, first_chars, literal_stem

FAMILIES = {
    "change": ph.CHANGE_BEFORE_RE, "share": ph.SHARE_BEFORE_RE, "delta": ph.DELTA_BEFORE_RE,
    "share word": ph.SHARE_WORD_RE, "present": ph.PRESENT_RE, "phone": ph.PHONE_BEFORE_RE,
    "baseline": ex._BASELINE_BEFORE_RE,
}
FRAGMENTS = [(name, word) for name, family in FAMILIES.items()
             for words in family.vocabulary.values() for word in words]


def test_every_family_is_built_from_a_vocabulary() -> None:
    for name, family in FAMILIES.items():
        assert family.vocabulary, name
        derived = {literal_stem(w) for ws in family.vocabulary.values() for w in ws}
        assert set(family.stems) <= derived, name


@pytest.mark.parametrize(("name", "fragment"), FRAGMENTS)
def test_stems_cover_every_word_of_the_vocabulary(name: str, fragment: str) -> None:
    """Every string a vocabulary word matches holds one of its family's stems (sampled)."""
    stems = FAMILIES[name].stems
    pattern = re.compile(fragment, FAMILIES[name].pattern.flags)

    @settings(max_examples=40, deadline=None, database=None)
    @given(st.from_regex(pattern, fullmatch=True))
    def check(word: str) -> None:
        assert any(stem in word.lower() for stem in stems), (word, stems)

    check()


@pytest.mark.parametrize(("fragment", "stem"), [
    ("increase[ds]?", "increase"), (r"an?\s+additional", "additional"),
    (r"slipp?(?:ed)?", "slip"), (r"(?:an?\s+)?increase\s+of", "increase"), ("up", "up"),
])
def test_literal_stem(fragment: str, stem: str) -> None:
    assert literal_stem(fragment) == stem


def test_a_word_without_literal_text_is_refused() -> None:
    with pytest.raises(ValueError, match="no literal text"):
        Prefilter.from_vocabulary(r"\b(?:{w})$", w=(r"\w+",))


def test_first_chars_gate_every_unit() -> None:
    """The first-character buckets hold every unit that can start with that character."""
    for pattern, unit, _ in un._SUFFIXES:
        firsts = first_chars(pattern, re.IGNORECASE)
        assert firsts, unit
        for ch in firsts:
            assert un._SUFFIXES.index((pattern, unit, _)) in un._BUCKET_MEMBERS[ch]


@pytest.mark.parametrize("code", sorted(un.CURRENCIES))
def test_every_currency_code_is_read_before_and_after_a_number(code: str) -> None:
    for text in (f"The fund holds {code} 40 million.", f"The fund holds 40 million {code}."):
        found = [f.to_dict() for f in extract_facts(text)]
        assert [(f["value"], f["unit"]) for f in found] == [(4e7, code)], text


@pytest.mark.parametrize(("sign", "code"), sorted(un.PREFIX_CURRENCY.items()))
def test_every_currency_sign_is_read(sign: str, code: str) -> None:
    found = [f.to_dict() for f in extract_facts(f"The fund raised {sign}40 million.")]
    assert [(f["value"], f["unit"]) for f in found] == [(4e7, code)]


def test_prefix_reading_agrees_with_the_prefix_pattern() -> None:
    for left in ("cost US$", "RMB ", "FORM ", "$A", "A$", "worth $US", "to RM", "x€", "NT$",
                 "the ", "raised CHF ", "a HK$"):
        m = un.PREFIX_CURRENCY_RE.search(left[-8:])
        want = None if m is None else (un.PREFIX_CURRENCY[m.group(0).strip()], len(m.group(0)))
        assert un.match_prefix_currency(left) == want, left


def test_kinds_and_qualifiers_are_one_enum() -> None:
    assert {k.value for k in Kind} == {"level", "delta", "change", "share"}
    assert {q.value for q in Qualifier} == set(ph._QUALIFIER_OF.values()) | {"exact"}
    fact = Fact(1.0, "count", Kind.LEVEL, Qualifier.EXACT, None, None, None, None, None, None,
                None, "1 x", 0, 1)
    assert type(fact.kind) is str and type(fact.to_dict()["qualifier"]) is str
    with pytest.raises(ValueError):
        Fact(1.0, "count", "levels", "exact", None, None, None, None, None, None, None, "", 0, 1)
