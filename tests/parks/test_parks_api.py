"""The API's parks (/parks, /parks/{id}, /series?park=&measure=), every fact's link in the
article API and the exports, and the /park/ID page — in process, over a small archive written
by the real storage functions."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from archive.db import session_scope
from archive.export import FACT_COLUMNS, write_csv, write_jsonl
from archive.filters import ArticleFilter
from foundation.settings import load_settings
from parkwatch.api import create_app
from tests.docs.sandbox import in_process

from .stored import build


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("parks-api")
    url = f"sqlite:///{root / 'archive.db'}"
    build(url)
    return url


@pytest.fixture(scope="module")
def client(archive_url, tmp_path_factory):
    config = tmp_path_factory.mktemp("cfg") / "parkwatch.toml"
    config.write_text("")
    settings = load_settings(config).model_copy(update={"database_url": archive_url})
    with TestClient(create_app(settings)) as client:
        yield client


def test_parks_and_one_park(client) -> None:
    items = client.get("/parks").json()["items"]
    ids = [p["id"] for p in items]
    assert ids[0] == "etdz:harbin" and "htz:daqing" in ids
    park = client.get("/parks/etdz:harbin").json()
    assert park["kind"] == "etdz" and park["name_zh"] and park["name_en"]
    assert park["parent"]["id"] == park["parent_id"]
    assert {a["language"] for a in park["articles"]} == {"zh", "en"}
    assert client.get("/parks/nope:none").status_code == 404


def test_series_by_park_and_measure_never_mixes_parks(client) -> None:
    got = client.get("/series", params={"park": "etdz:harbin",
                                        "measure": "industrial_output_value"}).json()
    assert got["series"] and all(s["entity_id"] == "etdz:harbin" for s in got["series"])
    kinds = {(s["kind"], s["unit"]) for s in got["series"]}
    assert ("level", "CNY") in kinds and ("change", "percent") in kinds
    level = next(s for s in got["series"] if s["kind"] == "level")
    assert [p["period"] for p in level["points"]] == ["2023-Q1", "2023-H1"]
    assert len(level["points"][1]["sources"]) == 2  # zh and en: one point, two sources
    by_measure = client.get("/series", params={"measure": "industrial_output_value"}).json()
    assert {s["entity_id"] for s in by_measure["series"]} == {"etdz:harbin", "htz:daqing"}
    assert client.get("/series", params={"metric": "output value"}).status_code == 200
    assert client.get("/series").status_code == 422
    assert client.get("/series", params={"park": "nope:none"}).status_code == 404


def test_every_fact_carries_its_entity_measure_and_series(client, archive_url) -> None:
    first = client.get("/articles", params={"limit": 50}).json()["items"]
    facts = [f for a in first for f in a["facts"]]
    assert facts and all({"entity", "measure", "series_id", "status"} <= set(f) for f in facts)
    daqing = next(f for f in facts if f["value"] == 41_030_000_000)
    assert daqing["entity"]["id"] == "htz:daqing" and daqing["entity"]["name_zh"]
    assert daqing["series_id"].startswith("htz:daqing|industrial_output_value|level|")
    listed = client.get("/facts", params={"limit": 50}).json()["items"]
    assert all("series_id" in f and "entity" in f for f in listed)
    with session_scope(archive_url) as session:
        lines = io.StringIO()
        write_jsonl(session, lines, ArticleFilter(with_duplicates=True))
        rows, facts_csv = io.StringIO(), io.StringIO()
        write_csv(session, rows, ArticleFilter(with_duplicates=True), facts_csv)
    exported = [f for line in lines.getvalue().splitlines() for f in json.loads(line)["facts"]]
    assert all(f["series_id"] == daqing["series_id"] for f in exported
               if f["value"] == 41_030_000_000)
    table = list(csv.DictReader(io.StringIO(facts_csv.getvalue())))
    assert {"entity_id", "entity_name_zh", "measure", "series_id"} <= set(FACT_COLUMNS)
    row = next(r for r in table if r["value"] in ("41030000000", "41030000000.0"))
    assert row["entity_id"] == "htz:daqing" and row["entity_name_zh"]


def test_articles_show_and_list_json_carry_the_links(archive_url, tmp_path) -> None:
    config = tmp_path / "parkwatch.toml"
    config.write_text("")
    env = {"PARKWATCH_DATABASE_URL": archive_url, "PARKWATCH_CONFIG": str(config),
           "PARKWATCH_HOME": str(tmp_path), "NO_COLOR": "1"}
    shown = json.loads(in_process(["articles", "show", "1", "--json"], env, tmp_path).stdout)
    assert shown["facts"][0]["entity"]["id"] == "etdz:harbin"
    assert shown["facts"][0]["measure"] == "industrial_output_value"
    listed = json.loads(in_process(["articles", "list", "--json"], env, tmp_path).stdout)
    assert all(f["series_id"] for a in listed for f in a["facts"] if f["kind"] == "level")


def test_the_park_page(client) -> None:
    page = client.get("/park/etdz:harbin")
    assert page.status_code == 200
    html = page.text
    assert "哈尔滨经开区一季度经济运行情况" in html and "Harbin ETDZ grows in first half" in html
    assert "大庆高新区上半年经济运行情况" not in html  # another park's story
    charts = json.loads(html.split('id="series-data">', 1)[1].split("</script>", 1)[0])
    assert charts and all(c["series_id"].startswith("etdz:harbin|") for c in charts)
    assert client.get("/park/nope:none").status_code == 404


def test_facets_list_measures_and_parks(client) -> None:
    facets = client.get("/facets").json()
    measures = {m["name"]: m["count"] for m in facets["measures"]}
    assert measures["industrial_output_value"] == 8  # 4 levels and 4 changes
    parks = {p["name"]: p for p in facets["parks"]}
    assert parks["etdz:harbin"]["count"] == 6 and parks["htz:daqing"]["count"] == 2
    assert "哈尔滨" in parks["etdz:harbin"]["example"]


def test_the_article_page_links_each_figure_to_its_park(client) -> None:
    html = client.get("/article/4").text  # the Daqing story
    assert 'href="/park/htz:daqing"' in html
