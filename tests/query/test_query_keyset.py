"""Keyset pagination of article lists (`list_articles(after=ID)`, `articles list --after`,
`/articles?after=`, the web list's "more" link) on SQLite and PostgreSQL: pages walked by
`after` hold every article of the list once, in the list's order, whatever the filters."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from archive.db import ensure_schema, session_scope
from archive.filters import ArticleFilter
from archive.queries import list_articles
from foundation.settings import Settings
from parkwatch.api import create_app
from tests.query.conftest import Archive, fill, insert

SECTIONS = ("news", "business/parks", "companies")


def rows(n: int = 41):
    """Articles with many ties on the date (every date held by up to four articles), some
    undated ones among them, near-duplicates and three sections."""
    out = []
    for i in range(n):
        published = None if i % 7 == 3 else date(2023, 1, 1) + timedelta(days=(i * 5) % 11)
        dup = "k0" if i % 9 == 8 else None
        out.append((f"k{i}", f"Article {i}", f"Text of article {i} about parks.", published,
                    SECTIONS[i % 3], ["industrial-parks"] if i % 2 else [], dup))
    return out


@pytest.fixture(scope="module")
def many(module_db_url: str) -> Archive:
    """The archive, written once per backend: the tests that take it only read it."""
    return fill(module_db_url, rows(), None)


@pytest.fixture
def many_to_write(db_url: str) -> Archive:
    return fill(db_url, rows(), None)


def expected(filters: ArticleFilter) -> list[int]:
    """The list's order worked out here: newest first, undated last, then higher id first."""
    kept = []
    for key, _title, _text, published, section, topics, dup in rows():
        if dup and not filters.with_duplicates:
            continue
        if filters.section and section != filters.section:
            continue
        if filters.topic and filters.topic not in topics:
            continue
        if filters.since and (published is None or published < filters.since):
            continue
        if filters.until and (published is None or published > filters.until):
            continue
        kept.append((key, published))
    return [key for key, _ in kept]


def walk(url: str, filters: ArticleFilter, limit: int) -> list[list[int]]:
    pages, after = [], None
    with session_scope(url) as session:
        while True:
            page = [a.id for a in list_articles(session, filters, limit=limit, after=after)]
            if not page:
                return pages
            pages.append(page)
            after = page[-1]
            assert len(pages) < 100, "the walk does not end"


FILTERS = [ArticleFilter(), ArticleFilter(with_duplicates=True),
           ArticleFilter(section="business/parks"), ArticleFilter(topic="industrial-parks"),
           ArticleFilter(since=date(2023, 1, 4), until=date(2023, 1, 9)),
           ArticleFilter(section="news", topic="industrial-parks", with_duplicates=True)]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(
    f"{k}={v}" for k, v in vars(f).items() if v not in (None, False, ())) or "none")
@pytest.mark.parametrize("limit", [1, 3, 8])
def test_pages_by_after_cover_the_list_once_in_its_order(many, filters, limit) -> None:
    with session_scope(many.url) as session:
        everything = [a.id for a in list_articles(session, filters, limit=1000)]
        by_offset = [a.id for o in range(0, len(everything) + limit, limit)
                     for a in list_articles(session, filters, limit=limit, offset=o)]
    by_key = {v: k for k, v in many.ids.items()}
    assert [by_key[i] for i in everything] == _sorted(many, expected(filters))
    pages = walk(many.url, filters, limit)
    flat = [i for page in pages for i in page]
    assert flat == everything == by_offset  # no duplicates, no holes, same order
    assert all(len(page) == limit for page in pages[:-1])


def _sorted(archive: Archive, keys: list[str]) -> list[str]:
    published = {key: p for key, _t, _x, p, *_ in rows()}
    return sorted(keys, key=lambda k: (published[k] is None,
                                       -(published[k] or date.min).toordinal(),
                                       -archive.ids[k]))


def test_after_an_undated_article_lists_the_older_undated_ones(many) -> None:
    undated = sorted((many.ids[k] for k, _t, _x, p, _s, _tp, d in rows() if p is None
                      and d is None), reverse=True)
    with session_scope(many.url) as session:
        page = [a.id for a in list_articles(session, ArticleFilter(), limit=50,
                                            after=undated[0])]
        last = [a.id for a in list_articles(session, ArticleFilter(), limit=50,
                                            after=undated[-1])]
    assert page == undated[1:]
    assert last == []


def test_after_an_article_the_filters_leave_out(many) -> None:
    """The cursor is a position in the order, so any article marks it, listed or not."""
    reprint = many.ids["k8"]  # a near-duplicate: not in the default list
    with session_scope(many.url) as session:
        everything = [a.id for a in list_articles(session, ArticleFilter(with_duplicates=True),
                                                  limit=1000)]
        page = [a.id for a in list_articles(session, ArticleFilter(), limit=1000,
                                            after=reprint)]
    rest = everything[everything.index(reprint) + 1:]
    duplicates = {many.ids[k] for k, *_r, d in rows() if d}
    assert page == [i for i in rest if i not in duplicates]


def test_unknown_cursor_and_cursor_with_offset_are_refused(many) -> None:
    with session_scope(many.url) as session:
        with pytest.raises(LookupError, match="no article with id 999999"):
            list_articles(session, ArticleFilter(), after=999999)
        with pytest.raises(ValueError, match="not both"):
            list_articles(session, ArticleFilter(), offset=2, after=many.ids["k1"])
        # Past a 32-bit id (PostgreSQL's column refused it: a 503 the API fuzzing found).
        with pytest.raises(LookupError, match="no article with id 1000000000000"):
            list_articles(session, ArticleFilter(), after=10**12)


def test_a_cursor_past_any_id_is_a_client_error(many, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(database_url=many.url, home=tmp_path)))
    assert client.get("/articles", params={"after": 10**12}).status_code == 422
    assert client.get("/", params={"after": 10**12}).status_code == 422
    assert client.get("/articles", params={"after": 2**31 - 1}).status_code == 422  # unknown


def test_api_pages_by_next_after(many, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(database_url=many.url, home=tmp_path)))
    everything = [a["id"] for a in client.get("/articles", params={"limit": 500}).json()
                  ["items"]]
    seen, params = [], {"limit": 4}
    while True:
        body = client.get("/articles", params=params).json()
        assert body.get("after") == params.get("after")
        seen += [a["id"] for a in body["items"]]
        if body["next_after"] is None:
            break
        assert body["next_after"] == body["items"][-1]["id"]
        if "after" in params:
            assert body["next_offset"] is None  # an offset means nothing after a cursor
        params = {"limit": 4, "after": body["next_after"]}
    assert seen == everything and len(everything) > 8
    first = client.get("/articles", params={"limit": 4}).json()
    assert first["next_offset"] == 4 and "after" not in first  # offsets work as before
    assert client.get("/articles", params={"after": 999999}).status_code == 422
    both = client.get("/articles", params={"after": everything[0], "offset": 4})
    assert both.status_code == 422
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ArticlePage"]
    assert "next_after" in schema["properties"]


def test_web_list_links_the_next_page_by_after(many_to_write, tmp_path: Path) -> None:
    from parkwatch.web.routes import PAGE

    many = many_to_write
    ids: dict[str, int] = {}
    insert(many.url, [(f"w{i}", f"More {i}", "Filler text.", date(2024, 1, 1), "news", [],
                       None) for i in range(PAGE)], ids)
    client = TestClient(create_app(Settings(database_url=many.url, home=tmp_path)))
    with session_scope(many.url) as session:
        first = [a.id for a in list_articles(session, ArticleFilter(), limit=PAGE)]
        second = [a.id for a in list_articles(session, ArticleFilter(), limit=PAGE,
                                              after=first[-1])]
    page = client.get("/", params={"section": "news"})
    assert page.status_code == 200
    assert f"after={_listed(client, {'section': 'news'})[-1]}" in page.text
    listed = _listed(client, {"after": first[-1]})
    assert listed == second
    assert "← newest" in client.get("/", params={"after": first[-1]}).text
    assert client.get("/", params={"after": 999999}).status_code == 422


def _listed(client: TestClient, params: dict) -> list[int]:
    import re

    html = client.get("/", params=params).text
    return [int(i) for i in dict.fromkeys(re.findall(r'href="/article/(\d+)"', html))]


def test_cli_after(workspace) -> None:
    ensure_schema(workspace.database_url)
    insert(workspace.database_url, rows(), {})
    full = [a["id"] for a in json.loads(workspace.run("articles", "list", "--json", "--limit",
                                                      "1000", check=True).stdout)]
    page = json.loads(workspace.run("articles", "list", "--json", "--limit", "5", "--after",
                                    str(full[4]), check=True).stdout)
    assert [a["id"] for a in page] == full[5:10]
    bad = workspace.run("articles", "list", "--after", "999999")
    assert bad.returncode == 2 and "no article with id 999999" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_postgresql_reads_the_first_page_in_index_order(postgres_url: str) -> None:
    """The list's order comes from ix_articles_published_id (no sort of every row)."""
    ensure_schema(postgres_url)
    insert(postgres_url, rows(), {})
    with session_scope(postgres_url) as session:
        session.execute(text("ANALYZE articles"))
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_bitmapscan = off"))
        stmt = ("EXPLAIN SELECT id FROM articles WHERE duplicate_of IS NULL "
                "ORDER BY published DESC NULLS LAST, id DESC LIMIT 20")
        plan = "\n".join(session.execute(text(stmt)).scalars())
        assert "ix_articles_published_id" in plan and "Sort" not in plan, plan
        keyset = ("EXPLAIN SELECT id FROM articles WHERE (published, id) < ('2023-01-05', 9) "
                  "ORDER BY published DESC NULLS LAST, id DESC LIMIT 20")
        plan = "\n".join(session.execute(text(keyset)).scalars())
        assert "Index Cond" in plan and "Sort" not in plan, plan
