"""`parkwatch search`, `metrics series`, `export` and `api` as a user runs them (child process)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.query.conftest import fill


@pytest.fixture
def filled(workspace):
    fill(workspace.database_url)
    return workspace


def one_line_error(proc, text: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("parkwatch: error:") and text in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr


def test_search_as_json_csv_and_text(filled) -> None:
    hits = json.loads(filled.run("search", "park NOT tourists", "--json", check=True).stdout)
    assert [h["title"] for h in hits][:1] == ["Songbei industrial park signs 12 projects"]
    assert {"id", "url", "title", "published", "snippet", "score"} <= set(hits[0])
    rows = list(csv.DictReader(io.StringIO(
        filled.run("search", "park", "--since", "2023-01-01", "--csv", check=True).stdout)))
    assert {r["published"] for r in rows} == {"2023-03-01", "2023-01-10"}
    shown = filled.run("search", "robot*", "--section", "companies", check=True).stdout
    assert "Robotics makers gather in Daoli" in shown and "1 result(s)" in shown


def test_malformed_search_is_one_line_and_exit_2(filled) -> None:
    one_line_error(filled.run("search", '"industrial park'), "unbalanced quote")
    one_line_error(filled.run("search", "park OR"), "needs a term after it")
    one_line_error(filled.run("search", "park", "--json", "--csv"), "choose one")


def test_series_json_and_table(filled) -> None:
    points = json.loads(filled.run("metrics", "series", "GDP", "--subject", "Songbei",
                                   "--json", check=True).stdout)
    assert [p["period"] for p in points] == ["2021", "2022", "2023-Q1"]
    assert points[1]["conflict"] and len(points[1]["values"][0]["sources"]) == 2
    table = filled.run("metrics", "series", "gdp", "--subject", "songbei", check=True).stdout
    # conflicting values stand on their own rows, each marked, never averaged
    assert "120.5 billion yuan  ≠" in table and "118 billion yuan  ≠" in table
    assert "119.25" not in table and "not averaged" in table


def test_export_files_and_jsonl_to_stdout(filled) -> None:
    out, facts = filled.root / "articles.csv", filled.root / "facts.csv"
    proc = filled.run("export", "--format", "csv", "-o", str(out), "--facts", str(facts),
                      check=True)
    assert "exported 6 article(s)" in proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 6 and any(r["title"].startswith("'=HYPERLINK") for r in rows)
    assert len(list(csv.DictReader(facts.open(encoding="utf-8", newline="")))) == 8
    lines = filled.run("export", "--format", "jsonl", "--topic", "tourism", check=True).stdout
    assert [json.loads(x)["title"] for x in lines.splitlines()] == [
        "Harbin tourism booms in winter"]
    one_line_error(filled.run("export", "--format", "jsonl", "--facts", str(facts)),
                   "--facts goes with --format csv")


def test_api_refuses_a_public_host_without_a_token(filled) -> None:
    one_line_error(filled.run("api", "--host", "0.0.0.0"), "needs an API token")
