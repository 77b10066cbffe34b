"""Search in Chinese on both backends: words inside sentences, mixed queries, snippets, the
CJK tokens of the two backends alike, and archives from before migration 0007."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from archive.db import ensure_schema, session_scope, upgrade
from archive.queries import FactFilter, list_facts
from archive.search import parse, search, text_snippet, to_fts5, to_tsquery
from archive.search_syntax import cjk_tokens
from foundation.settings import Settings
from parkwatch.api import create_app
from tests.query.conftest import Archive, fact, fill, insert
from tests.reliability.test_archive_db import copy_into_read_only
from tests.reliability.test_archive_db import read_only_dir as ro_dir

ZH = [  # (key, title, text, published, section, topics, duplicate_of key)
    ("zone", "松北区招商引资再创新高",
     "今年以来，哈尔滨松北区依托工业园区加快项目建设，新签约项目12个，总投资35亿元。开发区"
     "industrial output同比增长8.5%，2023年GDP突破千亿元。", date(2023, 5, 8), "zones",
     ["industrial-parks"], None),
    ("ftz", "自贸试验区哈尔滨片区发布新政策",
     "中国（黑龙江）自由贸易试验区哈尔滨片区发布支持企业发展的十条措施，园区内企业可享受"
     "租金减免。", date(2023, 6, 1), "zones", ["industrial-parks"], None),
    ("park", "太阳岛公园迎来赏花季",
     "周末，市民和游客来到太阳岛公园和湿地公园赏花拍照，园内游人如织。", date(2023, 4, 20),
     "city", [], None),
    ("english", "Harbin development zone output rises",
     "Output of the Harbin development zone rose 8 percent in the first quarter.",
     date(2023, 4, 2), "business/parks", ["industrial-parks"], None),
]


ZH_FACTS = {"zone": [fact(8.5, "%", "2023", "规模以上工业增加值", "哈尔滨经开区", kind="change"),
                     fact(35, "CNY", "2023", "总投资", "松北区新签约项目"),
                     fact(12, "count", "2023", "industrial output", "松北区")]}


@pytest.fixture(scope="module")
def zh_archive(module_db_url: str) -> Archive:
    """Written once per backend: the tests that take it only read it."""
    return fill(module_db_url, ZH, ZH_FACTS)


@pytest.fixture
def zh_archive_to_write(db_url: str) -> Archive:
    return fill(db_url, ZH, ZH_FACTS)


def test_facts_by_chinese_metric_and_subject(zh_archive) -> None:
    def values(**filters) -> list[float]:
        with session_scope(zh_archive.url) as session:
            return sorted(f["value"] for f in list_facts(session, FactFilter(**filters)))

    assert values(metric="工业增加值") == [8.5]  # inside the metric, not only at its start
    assert values(metric="增加值", subject="经开区") == [8.5]
    assert values(subject="松北区") == [12, 35]
    assert values(metric="industrial", subject="松北") == [12]
    assert values(metric="投") == [35]
    assert values(metric="增加值", subject="松北区") == []


def found(url: str, query: str) -> set[int]:
    with session_scope(url) as session:
        return {hit.id for hit in search(session, query, limit=100)}


CASES = [
    ("工业园区", ["zone"]),
    ("园区", ["zone", "ftz"]),  # two characters: below a trigram index's reach
    ("园", ["zone", "ftz", "park"]),
    ("自由贸易试验区", ["ftz"]),
    ("哈尔滨", ["zone", "ftz"]),
    ("公园", ["park"]),
    ("湿地公园 OR 工业园区", ["zone", "park"]),
    ("园区 NOT 公园", ["zone", "ftz"]),
    ("开发区 AND output", ["zone"]),
    ("output", ["zone", "english"]),  # an English word inside Chinese text
    ("2023年GDP", ["zone"]),
    ("gdp", ["zone"]),
    ('"园区内企业"', ["ftz"]),
    ('"工业 园区"', ["zone"]),  # CJK words in a phrase must each match
    ("development zone", ["english"]),
    ("工业园", ["zone"]),
    ("园区建设", []),  # not a substring of any text
]


@pytest.mark.parametrize(("query", "keys"), CASES, ids=[q for q, _ in CASES])
def test_chinese_words_are_found_inside_sentences(zh_archive, query, keys) -> None:
    assert found(zh_archive.url, query) == zh_archive.id_set(*keys)


def test_chinese_hits_are_ranked_and_their_snippets_marked(zh_archive) -> None:
    with session_scope(zh_archive.url) as session:
        hits = search(session, "哈尔滨", limit=10)
        mixed = search(session, "开发区 AND output", limit=10)
    # 哈尔滨 is in the title of the free-trade zone story, in the text of the other one
    assert [h.id for h in hits] == [zh_archive.ids["ftz"], zh_archive.ids["zone"]]
    assert hits[0].score > hits[1].score > 0
    assert "<mark>哈尔滨</mark>" in hits[1].snippet
    assert "<mark>开发区</mark>" in mixed[0].snippet and "<mark>output</mark>" in mixed[0].snippet


def test_the_chinese_index_follows_updates_and_deletes(zh_archive_to_write) -> None:
    zh_archive = zh_archive_to_write
    with session_scope(zh_archive.url) as session:
        session.execute(text("UPDATE articles SET text = '综合保税区今年开工建设。' "
                             "WHERE id = :id"), {"id": zh_archive.ids["park"]})
    assert found(zh_archive.url, "综合保税区") == zh_archive.id_set("park")
    assert found(zh_archive.url, "湿地公园") == set()
    with session_scope(zh_archive.url) as session:
        session.execute(text("DELETE FROM articles WHERE id = :id"),
                        {"id": zh_archive.ids["park"]})
    assert found(zh_archive.url, "保税") == set()


SAMPLES = ["哈尔滨工业园区", "2023年GDP增长6.5%", "園區 and 区", "松北区，开发区。", "園",
           "Output ABC 中文x9y日本語のテキスト", "no cjk here", "a中b", "経済特区ＧＤＰ"]


def test_postgresql_and_python_make_the_same_cjk_tokens(postgres_url: str) -> None:
    ensure_schema(postgres_url)
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            for sample in SAMPLES:
                made = conn.execute(text("SELECT parkwatch_cjk(:s)"), {"s": sample}).scalar()
                assert made == cjk_tokens(sample), sample
    finally:
        engine.dispose()
    assert cjk_tokens("工业园区") == "工业 业园 园区 区"
    assert cjk_tokens("2023年GDP增长") == "2023 年 gdp 增长 长"
    assert cjk_tokens("English only") is None


def test_query_renderings_of_chinese_words() -> None:
    node = parse("开发区 AND output")
    assert to_fts5(node) == '({title_cjk text_cjk} : "开发 发区" AND "output")'
    assert to_tsquery(node) == "(('开发':CD <-> '发区':CD) & 'output')"
    assert to_fts5(parse("园")) == '{title_cjk text_cjk} : "园"*'
    assert to_fts5(parse("park")) == '"park"'  # English queries are rendered as before


def test_snippet_window_around_the_first_match() -> None:
    body = "前文" * 100 + "哈尔滨工业园区今年新签约项目" + "后文" * 100
    snippet = text_snippet(body, parse("工业园区"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>工业园区</mark>" in snippet and len(snippet) < 160


OLD_ARTICLE = ("INSERT INTO articles (id, source_id, url, canonical_url, title, text, "
               "text_hash, topics, topic_terms, first_seen, last_fetched) VALUES "
               "(:id, 1, :url, :url, :title, :text, 'h', '[]', '{}', :now, :now)")


@pytest.mark.parametrize("revision", ["0011", "0004", "0002"])
def test_an_archive_from_before_0007_becomes_searchable_in_chinese(db_url: str,
                                                                   revision: str) -> None:
    upgrade(db_url, revision)
    engine = create_engine(db_url)  # a plain engine, as an older parkwatch had
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO sources (id, name, created_at) VALUES "
                              "(1, 'old', :now)"), {"now": "2023-01-01 00:00:00+00:00"})
            for n, (title, body) in enumerate([("旧文章", "哈尔滨新区的工业园区扩建完成。"),
                                               ("Old story", "The old park output.")], 1):
                conn.execute(text(OLD_ARTICLE), {"id": n, "url": f"http://x/{n}",
                                                 "title": title, "text": body,
                                                 "now": "2023-01-01 00:00:00+00:00"})
    finally:
        engine.dispose()
    ensure_schema(db_url)
    assert found(db_url, "工业园区") == {1}
    assert found(db_url, "新区") == {1}
    assert found(db_url, "output") == {2}


@pytest.fixture
def zh_workspace(workspace):
    ensure_schema(workspace.database_url)
    insert(workspace.database_url, ZH, {})
    return workspace


def test_cli_search_in_chinese(zh_workspace) -> None:
    hits = json.loads(zh_workspace.run("search", "工业园区", "--json", check=True).stdout)
    assert [h["title"] for h in hits] == ["松北区招商引资再创新高"]
    assert "<mark>工业园区</mark>" in hits[0]["snippet"]
    shown = zh_workspace.run("search", "开发区 AND output", check=True).stdout
    assert "松北区招商引资再创新高" in shown and "1 result(s)" in shown


def test_cli_search_in_chinese_on_postgresql(zh_workspace, postgres_url: str) -> None:
    ensure_schema(postgres_url)
    insert(postgres_url, ZH, {})
    proc = zh_workspace.run("search", "园区", "--json", check=True,
                            PARKWATCH_DATABASE_URL=postgres_url)
    assert {h["title"] for h in json.loads(proc.stdout)} == {"松北区招商引资再创新高",
                                                             "自贸试验区哈尔滨片区发布新政策"}


def test_api_search_in_chinese(zh_archive, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(database_url=zh_archive.url, home=tmp_path)))
    items = client.get("/search", params={"q": "工业园区"}).json()["items"]
    assert [h["id"] for h in items] == [zh_archive.ids["zone"]]
    assert "<mark>工业园区</mark>" in items[0]["snippet"]
    items = client.get("/search", params={"q": "开发区 AND output"}).json()["items"]
    assert [h["id"] for h in items] == [zh_archive.ids["zone"]]


read_only_dir = ro_dir  # the fixture: a folder on a read-only mount


def test_search_on_a_read_only_copy(tmp_path: Path, read_only_dir: Path) -> None:  # noqa: F811
    """Snippets read the FTS5 view, which calls parkwatch_cjk(): read-only engines have it."""
    import sqlite3

    from archive.db import get_engine
    from tests.support.workspace import Workspace

    original = tmp_path / "original.db"
    ensure_schema(f"sqlite:///{original}")
    insert(f"sqlite:///{original}", ZH, {})
    get_engine(f"sqlite:///{original}").dispose()
    with sqlite3.connect(original) as conn:  # the copy must not need the -wal file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy_into_read_only(original, read_only_dir)
    workspace = Workspace(tmp_path, f"sqlite:///{read_only_dir / 'archive.db'}")
    for query, title in (("工业园区", "松北区招商引资再创新高"),
                         ("rises", "Harbin development zone output rises")):
        proc = workspace.run("search", query, "--json")
        assert proc.returncode == 0, proc.stderr
        assert [h["title"] for h in json.loads(proc.stdout)] == [title]
