"""The read-only HTTP API (in-process ASGI client) on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from archive.db import session_scope
from archive.models import CrawlRun
from foundation.settings import Settings
from parkwatch.api import create_app, read_only_engine
from parkwatch.api_params import MAX_LIMIT


def client_for(url: str, tmp_path: Path, token: str | None = None) -> TestClient:
    return TestClient(create_app(Settings(database_url=url, home=tmp_path, api_token=token)))


@pytest.fixture
def client(archive, tmp_path: Path) -> TestClient:
    with session_scope(archive.url) as session:
        session.add(CrawlRun(source_id=1, trigger="cli", status="succeeded", pages=7, new=6))
    return client_for(archive.url, tmp_path)


def test_articles_list_paging_and_filters(client, archive) -> None:
    assert client.get("/health").json()["articles"] == len(archive.ids)
    body = client.get("/articles", params={"limit": 2}).json()
    assert len(body["items"]) == 2 and body["next_offset"] == 2
    assert "text" not in body["items"][0]
    ids = [a["id"] for a in client.get("/articles", params={"limit": 100}).json()["items"]]
    assert archive.ids["reprint"] not in ids and len(ids) == len(archive.ids) - 1
    parks = client.get("/articles", params={"topic": "industrial-parks", "since": "2022-01-01"})
    assert {a["id"] for a in parks.json()["items"]} == archive.id_set("songbei", "robots")


def test_one_article_with_facts_and_unknown_ids(client, archive) -> None:
    dairy = client.get(f"/articles/{archive.ids['dairy']}").json()
    assert dairy["title"].startswith("Dairy") and len(dairy["facts"]) == 3
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/articles/0").status_code == 422
    assert client.get(f"/articles/{2**70}").status_code == 422
    assert client.get("/articles/abc").status_code == 422


def test_search_facts_series_runs_sources(client, archive) -> None:
    hits = client.get("/search", params={"q": "park NOT tourists"}).json()["items"]
    assert {h["id"] for h in hits} == archive.id_set("songbei", "robots")
    bad = client.get("/search", params={"q": '"unbalanced'})
    assert bad.status_code == 400 and "unbalanced quote" in bad.json()["detail"]
    facts = client.get("/facts", params={"metric": "gdp", "period": "2022"}).json()["items"]
    assert len(facts) == 4
    points = client.get("/series", params={"metric": "gdp", "subject": "songbei"}).json()
    assert [p["period"] for p in points["points"]] == ["2021", "2022", "2023-Q1"]
    runs = client.get("/runs").json()["items"]
    assert runs[0]["status"] == "succeeded" and runs[0]["source"] == "e-my399"
    sources = client.get("/sources").json()["items"]
    assert sources[0]["name"] == "e-my399" and sources[0]["articles"] == len(archive.ids)


def test_absurd_limits_and_hostile_text_are_4xx(client) -> None:
    assert client.get("/articles", params={"limit": MAX_LIMIT + 1}).status_code == 422
    assert client.get("/articles", params={"limit": 0}).status_code == 422
    assert client.get("/articles", params={"offset": -1}).status_code == 422
    assert client.get("/articles", params={"since": "yesterday"}).status_code == 422
    assert client.get("/search", params={"q": "x\x00y"}).status_code == 422
    assert client.get("/search", params={"q": "a" * 5000}).status_code == 422
    injection = client.get("/articles", params={"source": "x' OR '1'='1"})
    assert injection.status_code == 200 and injection.json()["items"] == []
    hits = client.get("/search", params={"q": "park' OR 1=1; DROP TABLE articles"})
    assert hits.status_code == 200 and len(hits.json()["items"]) == 3  # just words
    assert client.get("/search", params={"q": "park; --"}).status_code == 400
    assert client.get("/health").json()["articles"] > 0


def test_every_other_method_is_refused(client) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD"):
        for path in ("/articles", "/articles/1", "/search?q=park", "/nowhere", "/docs"):
            response = client.request(method, path, json={"title": "x"})
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == "GET"
    assert client.get("/health").json()["articles"] > 0


def test_the_api_session_cannot_write(archive) -> None:
    engine = read_only_engine(archive.url)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text("DELETE FROM facts"))
    finally:
        engine.dispose()


def test_bearer_token_when_configured(sqlite_archive, tmp_path: Path) -> None:
    client = client_for(sqlite_archive.url, tmp_path, token="s3cret")
    assert client.get("/articles").status_code == 401
    wrong = client.get("/articles", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    ok = client.get("/articles", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json()["items"]
    assert client.get("/health").status_code == 200
    assert client.get("/openapi.json").json()["components"]["securitySchemes"]
