"""A small archive with known articles and facts, written through archive.store on a real DB."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import pytest

from archive.db import ensure_schema, session_scope
from archive.store import get_or_create_source, save_article

ARTICLES = [  # (key, title, text, published, section, topics, duplicate_of key)
    ("songbei", "Songbei industrial park signs 12 projects",
     "The Songbei High-tech Industrial Development Zone signed 12 projects worth 3.5 billion "
     "yuan on Monday. Its industrial output rose 8 percent.", date(2023, 3, 1),
     "business/parks", ["industrial-parks"], None),
    ("tourism", "Harbin tourism booms in winter",
     "Sun Island and Zhaolin Park drew tourists from across the country. The park area "
     "hosted the ice festival.", date(2023, 1, 10), "news", ["tourism"], None),
    ("robots", "Robotics makers gather in Daoli",
     "Robot manufacturers and robotics startups opened plants in the Daoli industrial park "
     "this spring.", date(2022, 6, 1), "companies", ["industrial-parks"], None),
    ("dairy", "Dairy processing expands in Hulan",
     "Dairy and soybean processing firms in Hulan expanded output in the first quarter.",
     date(2021, 4, 2), "business/industries", ["industrial-parks"], None),
    ("reprint", "Songbei industrial park signs 12 projects (reprint)",
     "The Songbei High-tech Industrial Development Zone signed 12 projects worth 3.5 billion "
     "yuan on Monday, a reprint.", date(2023, 3, 2), "news", ["industrial-parks"], "songbei"),
    ("formula", '=HYPERLINK("http://evil.example/","click")',
     "+cmd|' /C calc'!A0 and -2+3 and @SUM(A1) hidden in a harmless sentence.",
     date(2020, 1, 1), "news", [], None),
]


def fact(value, unit, period, metric, subject, kind="level", start=None, end=None) -> dict:
    return {"value": value, "unit": unit, "kind": kind, "qualifier": "exact",
            "period": period, "period_start": start, "period_end": end, "metric": metric,
            "subject": subject, "sentence": f"{subject} {metric} was {value} {unit}.",
            "start": 0, "end": 10}


FACTS = {
    "songbei": [fact(120.5, "billion yuan", "2022", "GDP", "Songbei district",
                     start=date(2022, 1, 1), end=date(2022, 12, 31)),
                fact(110, "billion yuan", "2021", "regional GDP", "Songbei district",
                     start=date(2021, 1, 1), end=date(2021, 12, 31)),
                fact(8, "percent", "2022", "industrial output", "Songbei district", kind="change",
                     start=date(2022, 1, 1), end=date(2022, 12, 31))],
    "robots": [fact(120.5, "billion yuan", "2022", "GDP", "the Songbei District",
                    start=date(2022, 1, 1), end=date(2022, 12, 31))],
    "dairy": [fact(118, "billion yuan", "2022", "gdp", "Songbei district",
                   start=date(2022, 1, 1), end=date(2022, 12, 31)),
              fact(30, "billion yuan", "2023-Q1", "GDP", "Songbei district",
                   start=date(2023, 1, 1), end=date(2023, 3, 31)),
              fact(2.5, "billion yuan", "2022", "GDP", "Hulan district",
                   start=date(2022, 1, 1), end=date(2022, 12, 31))],
    "tourism": [fact(5, "million", "2022", "tourist visits", "Harbin",
                     start=date(2022, 1, 1), end=date(2022, 12, 31))],
}


@dataclass
class Archive:
    url: str
    ids: dict[str, int]

    def id_set(self, *keys: str) -> set[int]:
        return {self.ids[k] for k in keys}


def insert(url: str, rows, ids: dict[str, int], facts: dict | None = None) -> None:
    """Store (key, title, text, published, section, topics, duplicate-of key) rows; their ids
    go into `ids` by key."""
    with session_scope(url) as session:
        source = get_or_create_source(session, "e-my399")
        session.flush()
        for key, title, text, published, section, topics, dup in rows:
            data = {"canonical_url": f"http://e.my399.com/system/{key}.shtml",
                    "url": f"http://e.my399.com/system/{key}.shtml", "title": title,
                    "text": text, "text_hash": hashlib.sha1(text.encode()).hexdigest(),
                    "published": published, "section": section, "topics": topics,
                    "duplicate_of": ids.get(dup) if dup else None}
            _, article = save_article(session, source.id, data, (facts or {}).get(key, []),
                                      "test")
            session.flush()
            ids[key] = article.id


def fill(url: str, rows=ARTICLES, facts: dict | None = FACTS) -> Archive:
    """An archive at the newest schema holding these rows (the small archive by default)."""
    ensure_schema(url)
    ids: dict[str, int] = {}
    insert(url, rows, ids, facts)
    return Archive(url, ids)


def series_both_ways(url: str, monkeypatch, **filters) -> tuple[list, list]:
    """The series the fast way (PostgreSQL: by exact names) and the plain way, to compare."""
    from archive import queries
    from archive.queries import FactFilter, metric_series

    with session_scope(url) as session:
        fast = metric_series(session, FactFilter(**filters))
    with monkeypatch.context() as m:
        m.setattr(queries, "_series_rows_by_name", lambda session, filters: None)
        with session_scope(url) as session:
            plain = metric_series(session, FactFilter(**filters))
    return fast, plain


@pytest.fixture
def archive(db_url: str) -> Archive:
    """The small archive, on SQLite and on PostgreSQL."""
    return fill(db_url)


@pytest.fixture
def sqlite_archive(sqlite_url: str) -> Archive:
    return fill(sqlite_url)
