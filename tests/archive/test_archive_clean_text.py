"""Migration 0018 cleans an archive stored before text was cleaned at reading: titles,
sections, bylines and bodies of articles and revisions come out as the reader stores them now,
facts still point at their figures, body hashes are storage's, search still finds the words;
clean rows are left untouched. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, MetaData, Table, insert, select

from archive.db import session_scope, upgrade
from archive.keys import grouping_key
from archive.models import Article, Revision
from archive.search import search
from foundation.cleantext import is_clean
from pipelines.storage import text_hash

# No NUL or lone surrogate: neither PostgreSQL text nor SQLite's UTF-8 can hold them.
DIRTY_TEXT = ("The Songbei\x08 park\u2009said on Monday\x1b[31m that its\x0b output\x7f "
              "rose.\r\n\r\n  Its output value exceeded 100 billion yuan\ufffe in 2023.\u2028"
              "Growth\x85continues.  ")
FIGURE = "100 billion yuan"
CLEAN_TEXT = "Harbin's parks signed 12 projects worth 3.5 billion yuan."


NOW = datetime(2024, 3, 2, tzinfo=UTC)


def _article(source_id: int, key: str, title: str, text: str,
             **more: str) -> dict[str, object]:
    return dict(source_id=source_id, url=f"http://s/{key}", canonical_url=f"http://s/{key}",
                title=title, text=text, text_hash=text_hash(text), published=date(2024, 3, 1),
                topics=[], topic_terms={}, first_seen=NOW, last_fetched=NOW, **more)


def _fact(article_id: int, text: str, figure: str) -> dict[str, object]:
    start = text.index(figure)
    return dict(article_id=article_id, position=0, extractor_version="1", value=1e11,
                unit="CNY", kind="level", qualifier="exact", period="2023",
                metric="output value", subject="Songbei park",
                metric_key=grouping_key("output value"), subject_key=grouping_key("Songbei park"),
                sentence=f"Its output\x08 value exceeded {figure}.", start_offset=start,
                end_offset=start + len(figure))


def _insert(connection: Connection, table: str, row: dict[str, object]) -> int:
    """A row written as 0016's schema has it (reflected), whatever later migrations add."""
    reflected = Table(table, MetaData(), autoload_with=connection)
    return int(connection.execute(insert(reflected).values(row)
                                  .returning(reflected.c.id)).scalar_one())


def test_0018_cleans_stored_text_and_keeps_facts_on_their_figures(db_url: str) -> None:
    upgrade(db_url, "0016")
    with session_scope(db_url, write=True) as session:  # its engine has the CJK function
        connection = session.connection()
        source_id = _insert(connection, "sources", {"name": "s", "created_at": NOW})
        dirty_id = _insert(connection, "articles", _article(
            source_id, "dirty", "Songbei\x08 park\x1b[2J \u202edoubles\u202c output",
            DIRTY_TEXT, section="Parks\x0c", author="Wang\x1b]0;x\x07 Li",
            byline_source="e.my399.com\u2066"))
        clean_row = _article(source_id, "clean", "Harbin parks sign 12 projects",
                             CLEAN_TEXT, section="Parks", author="Li Na")
        clean_id = _insert(connection, "articles", clean_row)
        _insert(connection, "facts", _fact(dirty_id, DIRTY_TEXT, FIGURE))
        _insert(connection, "facts", _fact(clean_id, CLEAN_TEXT, "3.5 billion yuan"))
        _insert(connection, "revisions", dict(
            article_id=dirty_id, title="Old\x07 title", text="Old\x08 text.",
            text_hash="x", fetched_at=datetime(2024, 1, 1, tzinfo=UTC)))
    ids = dirty_id, clean_id
    before = {c: clean_row[c] for c in ("title", "text", "text_hash", "section")}
    upgrade(db_url)  # 0018 and anything after it
    with session_scope(db_url) as session:
        dirty, clean = (session.get_one(Article, i) for i in ids)
        assert dirty.title == "Songbei park doubles output"
        assert dirty.text == ("The Songbei park said on Monday that its\noutput rose.\n"
                              "Its output value exceeded 100 billion yuan in 2023.\n"
                              "Growth\ncontinues.")
        assert (dirty.section, dirty.author, dirty.byline_source) == ("Parks", "Wang Li",
                                                                        "e.my399.com")
        assert dirty.text_hash == text_hash(dirty.text)
        for field in ("title", "section", "author", "byline_source"):
            assert is_clean(getattr(dirty, field), field)
        fact = dirty.facts[0]
        assert dirty.text[fact.start:fact.end] == FIGURE
        assert fact.sentence == "Its output value exceeded 100 billion yuan."
        assert {c: getattr(clean, c) for c in before} == before
        assert clean.text[clean.facts[0].start:clean.facts[0].end] == "3.5 billion yuan"
        revision = session.scalars(select(Revision).where(Revision.article_id == dirty.id)).one()
        assert (revision.title, revision.text) == ("Old title", "Old text.")
        assert revision.text_hash == text_hash("Old text.")
        assert [hit.id for hit in search(session, "continues")] == [dirty.id]
