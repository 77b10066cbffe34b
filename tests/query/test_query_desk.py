"""Figures ready for analysis, through the CLI and the API: one unit vocabulary (`%` is
`percent`), comparisons never rival values, grouping keys for metric and subject (filled on
insert and by the migration), `--section` by path or name, facets, xlsx export."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from archive.db import ensure_schema, session_scope, upgrade
from archive.keys import grouping_key
from archive.models import Fact
from archive.queries import FactFilter, metric_series
from foundation.settings import Settings, load_settings
from parkwatch.api import create_app
from pipelines.metrics.units import canonical_unit
from tests.query.conftest import fact, fill, insert


@pytest.mark.parametrize(("typed", "stored"), [
    ("%", "percent"), ("pct", "percent"), ("Percent", "percent"), ("per cent", "percent"),
    ("yuan", "CNY"), ("RMB", "CNY"), ("cny", "CNY"), ("$", "USD"), ("US dollars", "USD"),
    ("sq km", "km2"), ("square kilometers", "km2"), ("tonnes", "ton"), (" percent ", "percent"),
    ("billion yuan", "billion yuan"),  # not a unit facts store: left as typed
])
def test_user_units_map_to_stored_units(typed: str, stored: str) -> None:
    assert canonical_unit(typed) == stored


@pytest.mark.parametrize(("written", "key"), [
    ("Harbin’s Pingfang district", "harbin pingfang district"),
    ("Harbin's Pingfang District", "harbin pingfang district"),
    ("the Pingfang District", "pingfang district"),
    ('"Regional GDP"', "regional gdp"), ("The  city’s  average", "city average"),
    ("the", ""), ("thermal output", "thermal output"), (None, None),
])
def test_grouping_keys(written, key) -> None:
    assert grouping_key(written) == key


COMPARED = [("gdp", "Pingfang GDP grows", "Pingfang's GDP grew 5.8 percent, 1.2 percentage "
             "points above the city.", date(2023, 7, 1), "Industrial Parks", [], None),
            ("gdp2", "Pingfang GDP again", "Harbin’s Pingfang district grew 5.8 percent.",
             date(2023, 7, 2), "news", [], None)]


def compared_archive(url: str) -> None:
    ensure_schema(url)
    h1 = {"period_start": date(2023, 1, 1), "period_end": date(2023, 6, 30)}
    facts = {
        "gdp": [dict(fact(5.8, "percent", "2023-H1", "GDP", "Harbin's Pingfang district",
                          kind="change"), basis="year-on-year", **h1),
                dict(fact(1.2, "percent", "2023-H1", "GDP", "Harbin's Pingfang district",
                          kind="change"), basis="percentage-points", **h1)],
        "gdp2": [dict(fact(5.8, "percent", "2023-H1", "The GDP", "Harbin’s Pingfang District",
                           kind="change"), basis="year-on-year", **h1)],
    }
    insert(url, COMPARED, {}, facts)


def test_comparisons_are_not_conflicts_and_subjects_group(db_url: str) -> None:
    compared_archive(db_url)
    with session_scope(db_url) as session:
        points = metric_series(session, FactFilter(metric="gdp", unit="percent"))
        keys = set(session.execute(text("SELECT metric_key, subject_key FROM facts")).all())
    assert keys == {("gdp", "harbin pingfang district")}
    (point,) = points
    assert point["conflict"] is False
    main, compared = point["values"]
    assert (main["value"], main["comparison"], len(main["sources"])) == (5.8, False, 2)
    assert (compared["value"], compared["comparison"], compared["basis"]) == (
        1.2, True, "percentage-points")


def test_the_migration_backfills_the_keys(sqlite_url: str) -> None:
    upgrade(sqlite_url, "0004")
    with session_scope(sqlite_url, write=True) as session:
        session.execute(text("INSERT INTO sources (id, name, created_at) VALUES "
                             "(1, 's', '2024-01-01')"))
        session.execute(text(
            "INSERT INTO articles (id, source_id, url, canonical_url, title, text, text_hash, "
            "topics, topic_terms, first_seen, last_fetched) VALUES (1, 1, 'u', 'u', 't', 'x', "
            f"'{hashlib.sha1(b'x').hexdigest()}', '[]', '{{}}', '2024-01-01', '2024-01-01')"))
        session.execute(text(
            "INSERT INTO facts (article_id, position, extractor_version, value, unit, kind, "
            "qualifier, metric, subject, sentence, start_offset, end_offset) VALUES "
            "(1, 0, 'v', 1, 'percent', 'level', 'exact', 'The Zone’s Output', "
            "'the \"Songbei\" District', 's', 0, 1)"))
    upgrade(sqlite_url)
    with session_scope(sqlite_url) as session:
        row = session.query(Fact.metric_key, Fact.subject_key).one()
    assert tuple(row) == ("zone output", "songbei district")


@pytest.fixture
def filled(workspace):
    fill(workspace.database_url)
    compared_archive(workspace.database_url)
    return workspace


def test_cli_units_sections_and_facets(filled) -> None:
    series = json.loads(filled.run("metrics", "series", "output", "--unit", "%", "--json",
                                   check=True).stdout)
    assert [p["values"][0]["unit"] for p in series] == ["percent"]
    shown = filled.run("metrics", "series", "gdp", "--unit", "pct", check=True).stdout
    assert "(vs)" in shown and "≠" not in shown
    for section in ("/business/parks", "industrial parks"):  # more spellings: the API test
        listed = json.loads(filled.run("articles", "list", "--json", "--section", section,
                                       check=True).stdout)
        assert {a["title"] for a in listed} == {"Songbei industrial park signs 12 projects",
                                                "Pingfang GDP grows"}, section
        hits = json.loads(filled.run("search", "pingfang OR songbei", "--section", section,
                                     "--json", check=True).stdout)
        assert {h["title"] for h in hits} == {a["title"] for a in listed}, section
    facets = json.loads(filled.run("facets", "--json", check=True).stdout)
    assert {"name": "percent", "count": 4} in facets["units"]
    parks = next(s for s in facets["sections"] if s["name"] == "Industrial Parks")
    assert parks == {"name": "Industrial Parks", "count": 1, "path": "business/parks"}
    assert {"name": "industrial-parks", "count": 3} in facets["topics"]
    gdp = next(m for m in facets["metrics"] if m["name"] == "gdp")
    assert gdp["count"] == 8  # "GDP", "gdp" and "The GDP" are one metric
    text_out = filled.run("facets", check=True).stdout
    assert "units" in text_out and "percent" in text_out


def test_api_units_sections_and_facets(archive, tmp_path: Path) -> None:
    compared_archive(archive.url)
    config = load_settings(None).model_copy(update={"database_url": archive.url,
                                                    "home": tmp_path})
    client = TestClient(create_app(config))
    body = client.get("/series", params={"metric": "output", "unit": "%"}).json()
    assert body["unit"] == "percent" and len(body["points"]) == 1
    facts = client.get("/facts", params={"metric": "gdp", "unit": "%"}).json()["items"]
    assert {f["unit"] for f in facts} == {"percent"} and len(facts) == 3
    for section in ("INDUSTRIAL PARKS", "Industrial Parks", "business/parks", "Business/Parks/"):
        items = client.get("/articles", params={"section": section}).json()["items"]
        assert {a["title"] for a in items} == {"Songbei industrial park signs 12 projects",
                                               "Pingfang GDP grows"}, section
        hits = client.get("/search", params={"q": "pingfang OR songbei",
                                             "section": section}).json()["items"]
        assert {h["title"] for h in hits} == {a["title"] for a in items}, section
    facets = client.get("/facets").json()
    assert client.get("/api/facets").json() == facets
    assert {"name": "percent", "count": 4} in facets["units"]
    schema = client.get("/openapi.json").json()
    for path in ("/articles", "/search", "/series", "/facets", "/facts"):
        ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert "$ref" in ok["schema"], path


def test_xlsx_export_streams_both_sheets(filled, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "archive.xlsx"
    proc = filled.run("export", "--format", "xlsx", "-o", str(out), check=True)
    assert "sheets: articles, facts" in proc.stderr
    book = load_workbook(out, read_only=True)
    articles = list(book["articles"].iter_rows(values_only=True))
    facts = list(book["facts"].iter_rows(values_only=True))
    assert articles[0][:3] == ("id", "source", "url") and len(articles) == 1 + 8
    assert facts[0][:3] == ("article_id", "position", "value") and len(facts) == 1 + 11
    titles = [row[4] for row in articles[1:]]
    assert '=HYPERLINK("http://evil.example/","click")' in titles  # text, not a formula
    sheet = load_workbook(out)["articles"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    parks = tmp_path / "parks.xlsx"
    filled.run("export", "--format", "xlsx", "-o", str(parks), "--section", "business/parks",
               check=True)
    assert len(list(load_workbook(parks, read_only=True)["articles"].values)) == 1 + 2
    needs_file = filled.run("export", "--format", "xlsx")
    assert needs_file.returncode == 2 and "-o FILE.xlsx" in needs_file.stderr


def test_settings_without_profiles_still_take_section_names(archive, tmp_path) -> None:
    client = TestClient(create_app(Settings(database_url=archive.url, home=tmp_path)))
    items = client.get("/articles", params={"section": "Business/Parks"}).json()["items"]
    assert [a["title"] for a in items] == ["Songbei industrial park signs 12 projects"]
