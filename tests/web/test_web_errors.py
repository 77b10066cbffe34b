"""Errors on the web pages are pages: 404, 422, 400, 401 and 500 answer HTML in the site's
layout with one sentence and a link home, the requested text shown inert and no traceback; the
API's routes answer the same errors in JSON, and the feeds and the CSV keep theirs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from foundation.settings import Settings
from parkwatch.api import create_app
from tests.query.conftest import fill

SENTENCE = re.compile(r'<p class="sentence">(.*?)</p>', re.S)
HOME = '<a href="/">Back to the latest articles</a>'
PAYLOAD = "<script>window.pwn()</script>"


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory) -> str:
    return fill(f"sqlite:///{tmp_path_factory.mktemp('errors') / 'archive.db'}").url


@pytest.fixture(scope="module")
def client(archive_url, tmp_path_factory) -> TestClient:
    app = create_app(Settings(database_url=archive_url, home=tmp_path_factory.mktemp("home")))
    return TestClient(app, raise_server_exceptions=False)


def page_sentence(response, status: int) -> str:
    """The error page's one sentence, after checking it is a page of the site's layout."""
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    assert body.startswith("<!DOCTYPE html>") and '<header class="top">' in body
    assert HOME in body
    assert "Traceback" not in body and '"detail"' not in body
    sentences = SENTENCE.findall(body)
    assert len(sentences) == 1
    return sentences[0]


@pytest.mark.parametrize(("path", "status", "sentence"), [
    ("/article/99999", 404, "No article with id 99999."),
    ("/nosuch/page", 404, "There is no page at “/nosuch/page”."),
    ("/article/abc", 422,
     "This address is not valid: article_id should be a whole number, not “abc”."),
    ("/?after=abc", 422, "This address is not valid: after should be a whole number, not “abc”."),
    ("/?since=garbage", 422,
     "This address is not valid: since: not a date (YYYY-MM-DD): garbage."),
    ("/metric", 422, "This address is not valid: m is missing."),
    ("/?offset=-1", 422, "This address is not valid: offset should be greater than or equal "
                         "to 0, not “-1”."),
])
def test_page_errors_are_pages(client, path, status, sentence) -> None:
    assert page_sentence(client.get(path), status) == sentence


def test_a_search_syntax_error_is_a_page_with_the_form(client) -> None:
    response = client.get("/", params={"q": '"unclosed'})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert 'role="search"' in response.text and "Traceback" not in response.text


def test_requested_text_is_shown_inert(client) -> None:
    for response in (client.get("/" + PAYLOAD), client.get("/", params={"since": PAYLOAD}),
                     client.get("/", params={"after": PAYLOAD})):
        body = response.text
        assert response.status_code in (404, 422)
        assert PAYLOAD not in body and "<script>window" not in body
        assert "&lt;script&gt;window.pwn()&lt;/script&gt;" in page_sentence(
            response, response.status_code)


def test_a_long_requested_path_is_cut(client) -> None:
    sentence = page_sentence(client.get("/" + "x" * 5000), 404)
    assert len(sentence) < 200 and sentence.endswith("…”.")


def test_api_errors_stay_json(client) -> None:
    for path, status in (("/articles/99999", 404), ("/articles/abc", 422),
                         ("/articles?after=abc", 422), ("/series", 422),
                         ("/search?q=%22unclosed", 400), ("/articles/1/more", 404),
                         ("/feeds/nowhere.atom", 404), ("/metric.csv", 422)):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/json", path
        assert "detail" in response.json()


def test_an_unknown_path_asked_for_json_answers_json(client) -> None:
    response = client.get("/nosuch", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert client.get("/nosuch", headers={"Accept": "text/html,*/*"}).headers[
        "content-type"].startswith("text/html")


def test_token_required_is_a_page_with_a_token_form(archive_url, tmp_path) -> None:
    token = "s3cret-Token-1"
    app = create_app(Settings(database_url=archive_url, home=tmp_path, api_token=token))
    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/", "/status", "/article/1", "/?token=wrong"):
        response = client.get(path)
        assert page_sentence(response, 401).startswith("This server needs its token")
        assert response.headers["www-authenticate"] == "Bearer"
        assert '<input type="password" name="token"' in response.text
        assert "action=" not in response.text.split('class="filters"')[1].split(">")[0]
        assert token not in response.text
    api = client.get("/articles")
    assert api.status_code == 401 and api.json() == {"detail": "missing or wrong bearer token"}
    assert client.get("/", params={"token": token}).status_code == 200


def test_an_internal_error_is_a_page_without_a_traceback(client, monkeypatch) -> None:
    import parkwatch.api
    import scheduler.history

    def broken(*_args, **_kwargs):
        raise RuntimeError("password=hunter2 in a stack the user must not see")

    monkeypatch.setattr(scheduler.history, "source_status", broken)
    monkeypatch.setattr(parkwatch.api, "source_names", broken)
    response = client.get("/status")
    assert page_sentence(response, 500) == ("Something went wrong on the server; the error "
                                            "has been logged.")
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    api = client.get("/articles")
    assert api.status_code == 500 and api.json() == {"detail": "internal server error"}
    assert "hunter2" not in api.text
