"""Streamed export on both backends: every article once, facts attached, spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from archive import export
from archive.db import session_scope
from archive.filters import ArticleFilter
from archive.store import save_article


def test_jsonl_has_every_article_with_its_facts(archive) -> None:
    buffer = io.StringIO()
    with session_scope(archive.url) as session:
        count = export.write_jsonl(session, buffer)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert count == len(lines) == len(archive.ids)
    by_id = {line["id"]: line for line in lines}
    dairy = by_id[archive.ids["dairy"]]
    assert dairy["published"] == "2021-04-02" and dairy["source"] == "e-my399"
    assert [f["value"] for f in dairy["facts"]] == [118, 30, 2.5]
    assert dairy["facts"][1]["period"] == "2023-Q1"
    assert dairy["facts"][1]["period_start"] == "2023-01-01"
    assert by_id[archive.ids["reprint"]]["duplicate_of"] == archive.ids["songbei"]


def test_filters_apply_to_the_export(archive) -> None:
    buffer = io.StringIO()
    with session_scope(archive.url) as session:
        export.write_jsonl(session, buffer, ArticleFilter(
            since=date(2022, 1, 1), until=date(2023, 1, 31), topic="industrial-parks",
            with_duplicates=True))
    assert [json.loads(x)["id"] for x in buffer.getvalue().splitlines()] == [
        archive.ids["robots"]]


def test_csv_cells_cannot_start_a_formula(archive) -> None:
    articles, facts = io.StringIO(), io.StringIO()
    with session_scope(archive.url) as session:
        count = export.write_csv(session, articles, facts_out=facts)
    rows = list(csv.DictReader(io.StringIO(articles.getvalue())))
    assert count == len(rows) == len(archive.ids)
    evil = next(r for r in rows if r["id"] == str(archive.ids["formula"]))
    assert evil["title"].startswith("'=HYPERLINK")
    assert evil["text"].startswith("'+cmd")
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    fact_rows = list(csv.DictReader(io.StringIO(facts.getvalue())))
    assert len(fact_rows) == 8
    assert {r["article_id"] for r in fact_rows} == {
        str(archive.ids[k]) for k in ("songbei", "robots", "dairy", "tourism")}
    assert "120.5" in {r["value"] for r in fact_rows}


def test_safe_cell_keeps_numbers_and_plain_text() -> None:
    assert export.safe_cell(-2.5) == -2.5
    assert export.safe_cell("-2.5") == "'-2.5"
    assert export.safe_cell("\tx") == "'\tx"
    assert export.safe_cell("  =1+1") == "'  =1+1"  # leading spaces do not hide a formula
    assert export.safe_cell("\uff1dSUM(A1)") == "'\uff1dSUM(A1)"  # nor a full-width sign
    assert export.safe_cell("\n=cmd") == "'\n=cmd"
    assert export.safe_cell("Harbin") == "Harbin"


def test_export_streams_in_batches(archive, monkeypatch) -> None:
    """More articles than one batch: each comes out once, in id order, facts with their own
    article (on PostgreSQL through a server-side cursor)."""
    monkeypatch.setattr(export, "BATCH", 7)
    with session_scope(archive.url) as session:
        for n in range(40):
            save_article(session, 1, {
                "canonical_url": f"http://e.my399.com/system/bulk{n}.shtml",
                "url": f"http://e.my399.com/system/bulk{n}.shtml", "title": f"Bulk {n}",
                "text": f"bulk article {n}", "text_hash": f"h{n}"},
                [{"value": n, "unit": "yuan", "kind": "level", "qualifier": "exact",
                  "sentence": "s", "start": 0, "end": 1}], "test")
    with session_scope(archive.url) as session:
        seen = [(data["id"], data["title"], [f.value for f in facts])
                for data, facts in export.iter_articles(session)]
    assert [i for i, _, _ in seen] == sorted({i for i, _, _ in seen})
    assert len(seen) == len(archive.ids) + 40
    bulk = [(title, values) for _, title, values in seen if title.startswith("Bulk")]
    assert bulk == [(f"Bulk {n}", [n]) for n in range(40)]
