"""The fast paths give the answers of the slow ones: SQLite's rank-in-the-index-first search
(ties, filters, deep pages) and the facts' prefix index (words shorter or longer than it)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from archive import search as search_module
from archive.db import ensure_schema, session_scope
from archive.filters import ArticleFilter
from archive.queries import FactFilter, metric_series
from archive.search import search
from archive.store import get_or_create_source, save_article
from tests.query.conftest import fact


def _fill_many(url: str) -> None:
    """60 articles: many with equal bm25 scores (same text shape), title hits, sections,
    dates (some missing) and near-duplicates, so that ties and filters decide pages."""
    ensure_schema(url)
    with session_scope(url) as session:
        source = get_or_create_source(session, "e-my399")
        session.flush()
        first = None
        for n in range(60):
            title = f"Park report {n}" if n % 7 == 0 else f"Report {n}"
            text = ("The park grew. " * (1 + n % 3)) + ("Harbin zone news. " * (n % 4))
            data = {"canonical_url": f"http://e.my399.com/system/{n}.shtml",
                    "url": f"http://e.my399.com/system/{n}.shtml", "title": title,
                    "text": text + f" Item {n}.",
                    "text_hash": hashlib.sha1(f"{n}{text}".encode()).hexdigest(),
                    "published": None if n % 11 == 0 else date(2015 + n % 9, 1 + n % 12, 1),
                    "section": "business/parks" if n % 3 == 0 else "news",
                    "topics": ["industrial-parks"] if n % 2 else [],
                    "duplicate_of": first if n % 13 == 5 else None}
            _, article = save_article(session, source.id, data, [], "test")
            session.flush()
            first = first or article.id


def _pages(url: str) -> list[list[tuple[int, float]]]:
    pages = []
    with session_scope(url) as session:
        for query in ("park", "park OR harbin", "zone NOT grew", "report*", "nothing"):
            for filters in (None, ArticleFilter(section="business/parks"),
                            ArticleFilter(since=date(2019, 1, 1)),
                            ArticleFilter(with_duplicates=True), ArticleFilter(source="x")):
                for limit, offset in ((5, 0), (3, 4), (10, 7), (20, 40)):
                    hits = search(session, query, filters, limit=limit, offset=offset)
                    pages.append([(h.id, round(h.score, 9)) for h in hits])
    return pages


def test_ranking_in_the_index_first_gives_the_full_rankings_pages(sqlite_url,
                                                                  monkeypatch) -> None:
    _fill_many(sqlite_url)
    monkeypatch.setattr(search_module, "TOP_K_DEPTH", -1)  # always rank every match
    expected = _pages(sqlite_url)
    assert sum(len(p) for p in expected) > 300  # the cases are not empty
    monkeypatch.setattr(search_module, "TOP_K_DEPTH", 1000)
    for top_k, factor in ((1, 1), (3, 1), (8, 1), (12, 2), (200, 4)):
        # small k: the cut-off falls inside runs of equal scores, and filters starve pages
        monkeypatch.setattr(search_module, "TOP_K", top_k)
        monkeypatch.setattr(search_module, "TOP_K_FACTOR", factor)
        assert _pages(sqlite_url) == expected, (top_k, factor)


@pytest.mark.parametrize("metric, found", [
    ("s", True),  # shorter than the prefix index's 2..12 characters
    ("semiconductorizat", True),  # longer
    ("semiconductorization exp", True),
    ("semiconductorizationx", False),
    ("emiconductor", False),  # not a word start
])
def test_prefix_words_of_any_length_match(archive, metric, found) -> None:
    with session_scope(archive.url) as session:
        source = get_or_create_source(session, "e-my399")
        data = {"canonical_url": "http://e.my399.com/system/chips.shtml",
                "url": "http://e.my399.com/system/chips.shtml", "title": "Chips",
                "text": "Chip exports grew.", "text_hash": "chips", "published": None,
                "section": "news", "topics": []}
        save_article(session, source.id, data, [
            fact(7, "billion yuan", "2022", "semiconductorization exports", "Zone",
                 start=date(2022, 1, 1), end=date(2022, 12, 31))], "test")
    with session_scope(archive.url) as session:
        points = metric_series(session, FactFilter(metric=metric, subject="zone"))
    assert bool(points) is found
