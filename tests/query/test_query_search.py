"""Full-text search on both backends: syntax, ranking, filters, snippets, index kept in sync."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from archive.db import session_scope
from archive.filters import ArticleFilter
from archive.models import Article
from archive.search import SearchSyntaxError, parse, search, to_fts5, to_tsquery
from archive.store import save_article


def ids(url: str, query: str, **filters) -> set[int]:
    with session_scope(url) as session:
        return {hit.id for hit in search(session, query, ArticleFilter(**filters), limit=100)}


SYNTAX_CASES = [
    ("park", ["songbei", "tourism", "robots"]),
    ("PARK", ["songbei", "tourism", "robots"]),
    ('"industrial park"', ["songbei", "robots"]),
    ("industrial park", ["songbei", "robots"]),
    ("park NOT tourists", ["songbei", "robots"]),
    ("robot*", ["robots"]),
    ("songbei OR hulan", ["songbei", "dairy"]),
    ("(dairy OR robotics) AND processing", ["dairy"]),
    ("park AND (tourists OR robot*)", ["tourism", "robots"]),
    ('"high-tech industrial"', ["songbei"]),
    ("nothingmatches", []),
]


def test_query_syntax_matches_the_same_articles_on_both_backends(archive) -> None:
    for query, keys in SYNTAX_CASES:
        assert ids(archive.url, query) == archive.id_set(*keys), query


def test_filters_narrow_the_hits(archive) -> None:
    assert ids(archive.url, "park", since=date(2023, 1, 1)) == archive.id_set("songbei",
                                                                              "tourism")
    assert ids(archive.url, "park", until=date(2022, 12, 31)) == archive.id_set("robots")
    assert ids(archive.url, "park", section="companies") == archive.id_set("robots")
    assert ids(archive.url, "park", topic="tourism") == archive.id_set("tourism")
    assert ids(archive.url, "park", source="e-my399") == archive.id_set("songbei", "tourism",
                                                                         "robots")
    assert ids(archive.url, "park", source="elsewhere") == set()
    assert ids(archive.url, "reprint", with_duplicates=True) == archive.id_set("reprint")
    assert ids(archive.url, "reprint") == set()  # near-duplicates are left out by default


def test_title_matches_rank_first_with_highlighted_snippets(archive) -> None:
    with session_scope(archive.url) as session:
        hits = search(session, "park", limit=10)
    # in the title beats twice in the text beats once in the text
    assert [h.id for h in hits] == [archive.ids[k] for k in ("songbei", "tourism", "robots")]
    assert hits[0].score > hits[1].score > hits[2].score > 0
    tourism = hits[1].as_dict()
    assert "<mark>Park</mark>" in tourism["snippet"]
    assert tourism["published"] == "2023-01-10" and tourism["source"] == "e-my399"
    assert set(tourism) >= {"id", "url", "title", "published", "snippet", "score"}


def test_paging_with_limit_and_offset(archive) -> None:
    with session_scope(archive.url) as session:
        everything = [h.id for h in search(session, "park", limit=10)]
        page = [h.id for h in search(session, "park", limit=1, offset=1)]
    assert page == everything[1:2]


def test_the_index_follows_updates_and_deletes(archive) -> None:
    with session_scope(archive.url) as session:
        new_text = "Dairy farms now make cheese near the Hulan wetland."
        data = {"canonical_url": "http://e.my399.com/system/dairy.shtml",
                "url": "http://e.my399.com/system/dairy.shtml",
                "title": "Cheese from Hulan", "text": new_text,
                "text_hash": hashlib.sha1(new_text.encode()).hexdigest()}
        status, _ = save_article(session, 1, data, [], "test")
        assert status == "updated"
    assert ids(archive.url, "cheese") == archive.id_set("dairy")
    assert ids(archive.url, "soybean") == set()
    with session_scope(archive.url) as session:
        session.execute(delete(Article).where(Article.id == archive.ids["robots"]))
    assert ids(archive.url, "robot*") == set()


@pytest.mark.parametrize(("query", "message"), [
    ('"industrial park', "unbalanced quote"),
    ("park AND", "needs a term after it"),
    ("AND park", "needs a term on both sides"),
    ("OR", "needs a term on both sides"),
    ("NOT park", "NOT is binary"),
    ("(park", "missing ')'"),
    ("park)", "unexpected ')'"),
    ("()", "empty parentheses"),
    ("", "empty search query"),
    ("   ", "empty search query"),
    ('"" park', "no letters or digits"),
    ("pa*rk", "'*' only goes at the end"),
    ("***", "no letters or digits"),
    ("x" * 1001, "longer than"),
])
def test_malformed_queries_give_one_clear_line(query, message) -> None:
    with pytest.raises(SearchSyntaxError) as info:
        parse(query)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_both_renderings_of_one_tree() -> None:
    node = parse('"industrial park" OR zone* NOT tourism harbin')
    assert to_fts5(node) == '("industrial park" OR (("zone"* NOT "tourism") AND "harbin"))'
    assert to_tsquery(node) == "(('industrial' <-> 'park') | (('zone':* & !'tourism') & 'harbin'))"


def test_operator_words_in_lower_case_are_plain_words() -> None:
    assert parse("park and zone") == parse("park AND and AND zone")
    assert parse("e-my399") == parse('"e my399"')  # punctuation splits words, as in the index


def test_any_input_is_either_refused_by_our_parser_or_accepted_by_the_backend(archive) -> None:
    """Hostile and random queries: never a database syntax error, only SearchSyntaxError."""
    pieces = st.sampled_from(['"', "(", ")", "*", " ", "AND", "OR", "NOT", "park", "x", "-",
                              "é", "中", "_", ":", "'", "!", "&", "|", "<->", "\\", "\x00"])
    queries = st.lists(pieces, max_size=12).map("".join) | st.text(max_size=20)
    refused = 0
    with session_scope(archive.url) as session:

        @given(queries)
        @settings(max_examples=200, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(query: str) -> None:
            nonlocal refused
            try:
                search(session, query, limit=5)
            except SearchSyntaxError:
                refused += 1

        run()
    assert refused > 0
