"""Quality gates of page reading: body F1 and date accuracy on the dev set (the fixture sites)
and on the blind set (tests/parsing/blind/, markups written after the rules were frozen),
against trafilatura run as today's fallback ran it. Figures: bench/score_reading.py."""

from __future__ import annotations

import warnings
from statistics import mean

import pytest
import trafilatura

from crawler.parsing.article import parse_article
from crawler.parsing.decode import decode_html
from tests.support.reading import blind_cases, dev_cases, f1, gold_date, profile_for

SETS = {"dev": (dev_cases, 0.99), "blind": (blind_cases, 0.95)}


def _trafilatura(case) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.extract(decode_html(case.body, case.encoding), url=case.url,
                                   favor_recall=True, include_tables=True,
                                   deduplicate=False) or ""


@pytest.mark.parametrize("name", list(SETS))
def test_reader_beats_trafilatura_and_dates_are_right(name: str) -> None:
    cases, floor = SETS[name]
    ours, theirs, wrong_dates = [], [], []
    for case in cases():
        gold = "\n".join(case.gold["text"])
        article = parse_article(case.body, case.url, profile_for(case), case.encoding)
        ours.append(f1(article.text, gold))
        theirs.append(f1(_trafilatura(case), gold))
        if article.published != gold_date(case):
            wrong_dates.append(case.name)
    assert len(ours) >= 18
    assert mean(ours) >= floor, (mean(ours), floor)
    assert mean(ours) >= mean(theirs) + 0.1, (mean(ours), mean(theirs))
    assert wrong_dates == []
