"""`metric_series` and `list_facts` on both backends: merged sources, conflicts, filters."""

from __future__ import annotations

import pytest

from archive.db import session_scope
from archive.queries import FactFilter, list_facts, metric_series
from archive.search import SearchSyntaxError


def series(url: str, **filters) -> list[dict]:
    with session_scope(url) as session:
        return metric_series(session, FactFilter(**filters))


def test_one_point_per_period_with_merged_sources_and_conflicts(archive) -> None:
    points = series(archive.url, metric="gdp", subject="songbei")
    assert [p["period"] for p in points] == ["2021", "2022", "2023-Q1"]
    y2021, y2022, q1 = points
    assert [v["value"] for v in y2021["values"]] == [110] and not y2021["conflict"]
    # 120.5 reported by two articles ("Songbei district" / "the Songbei District") is one
    # value with both sources; 118 from a third article stands beside it, not averaged.
    assert [v["value"] for v in y2022["values"]] == [120.5, 118]
    assert y2022["conflict"] is True
    sources = y2022["values"][0]["sources"]
    assert {s["article_id"] for s in sources} == archive.id_set("songbei", "robots")
    assert all(s["url"].startswith("http://e.my399.com/") for s in sources)
    assert y2022["period_start"] == "2022-01-01" and y2022["period_end"] == "2022-12-31"
    assert q1["values"][0]["value"] == 30 and q1["period_start"] == "2023-01-01"


def test_metric_words_match_word_starts_in_any_case(archive) -> None:
    assert {p["period"] for p in series(archive.url, metric="GDP")} == {"2021", "2022",
                                                                       "2023-Q1"}
    assert series(archive.url, metric="regional gdp")[0]["values"][0]["value"] == 110
    assert series(archive.url, metric="indust outp")[0]["values"][0]["unit"] == "percent"
    assert series(archive.url, metric="dp") == []  # not a word start
    assert series(archive.url, metric="gdp", subject="nowhere") == []


def test_subjects_of_one_period_are_told_apart(archive) -> None:
    y2022 = next(p for p in series(archive.url, metric="gdp") if p["period"] == "2022")
    assert {(v["value"], v["subject"]) for v in y2022["values"]} >= {(2.5, "Hulan district")}
    hulan = series(archive.url, metric="gdp", subject="hulan")
    assert [[v["value"] for v in p["values"]] for p in hulan] == [[2.5]]
    assert hulan[0]["conflict"] is False


def test_unit_filter(archive) -> None:
    assert series(archive.url, metric="output", unit="billion yuan") == []
    assert len(series(archive.url, metric="output", unit="percent")) == 1


def test_list_facts_filters(archive) -> None:
    with session_scope(archive.url) as session:
        rows = list_facts(session, FactFilter(metric="gdp", period="2022"))
        by_article = list_facts(session, FactFilter(article_id=archive.ids["dairy"]))
    assert sorted(r["value"] for r in rows) == [2.5, 118, 120.5, 120.5]
    assert {r["article_id"] for r in by_article} == archive.id_set("dairy")
    assert len(by_article) == 3 and by_article[0]["url"].endswith("dairy.shtml")


def test_text_without_words_is_refused(archive) -> None:
    with session_scope(archive.url) as session, pytest.raises(SearchSyntaxError):
        metric_series(session, FactFilter(metric="%%"))


def test_series_built_side_by_side_leave_the_collector_as_they_found_it() -> None:
    """Two threads' series overlapping (the API builds them side by side): the collector is
    off while either runs and on again once both are done, whichever ends first."""
    import gc
    import threading

    from archive.queries import _collector_paused

    assert gc.isenabled()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with _collector_paused():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with _collector_paused():
            second_in.set()
            first_out.wait(10)
            seen.append(gc.isenabled())  # the first one has left: still off for this one

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [False]
    assert gc.isenabled()
