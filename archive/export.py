"""Streamed export of the archive: CSV (plus a facts CSV) or JSON lines, in bounded memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.filters import ArticleFilter, apply_filters
from archive.models import Article, Fact
from archive.queries import fact_dict, source_names

BATCH = 500
ARTICLE_COLUMNS = [
    "id", "source", "url", "canonical_url", "title", "published", "url_date", "section",
    "author", "byline_source", "language", "topics", "duplicate_of", "similarity",
    "first_seen", "last_fetched", "updated_at", "text",
]
FACT_COLUMNS = [
    "article_id", "position", "value", "unit", "kind", "qualifier", "period", "period_start",
    "period_end", "basis", "metric", "subject", "share_of", "refers_to", "conversion_value",
    "conversion_unit", "conversion_consistent", "conversion_rate", "sentence", "start", "end",
    "extractor_version", "entity_id", "entity_name_zh", "entity_name_en", "measure", "series_id",
    "status",
]
# What a spreadsheet may read as the start of a formula (OWASP's list, a line break, and the
# full-width forms an East Asian spreadsheet also accepts), after any leading spaces.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_SELECTED = [getattr(Article, name) for name in ARTICLE_COLUMNS if name != "source"]


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def _fact_value(fact: Fact, name: str) -> Any:
    """A fact's export column: its own, or its entity's names (entity_name_zh, _en)."""
    if name.startswith("entity_name_"):
        return getattr(fact.entity, name.removeprefix("entity_"), None) if fact.entity else None
    return getattr(fact, name)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def iter_articles(session: Session, filters: ArticleFilter | None = None,
                  with_facts: bool = True) -> Iterator[tuple[dict[str, Any], list[Fact]]]:
    """Every matching article (oldest id first) with its facts, a batch at a time: rows are
    streamed (`yield_per`, a server-side cursor on PostgreSQL) and the session let go of each
    batch, so memory stays flat however large the archive."""
    filters = filters or ArticleFilter(with_duplicates=True)
    names = source_names(session)
    stmt = apply_filters(select(Article.source_id, *_SELECTED), filters).order_by(Article.id)
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    for rows in result.partitions():
        facts: dict[int, list[Fact]] = {}
        if with_facts:
            ids = [row.id for row in rows]
            for fact in session.scalars(select(Fact).where(Fact.article_id.in_(ids))
                                        .order_by(Fact.article_id, Fact.position)):
                facts.setdefault(fact.article_id, []).append(fact)
        for row in rows:
            data = {name: _plain(getattr(row, name, None)) for name in ARTICLE_COLUMNS}
            data["source"] = names.get(row.source_id)
            data["topics"] = list(row.topics or [])
            yield data, facts.get(row.id, [])
        session.expunge_all()


def write_jsonl(session: Session, out: TextIO, filters: ArticleFilter | None = None) -> int:
    """One JSON object per line: the article, its text and its facts. Returns the count."""
    count = 0
    for data, facts in iter_articles(session, filters):
        data["facts"] = [{**fact_dict(f), "period_start": _plain(f.period_start),
                          "period_end": _plain(f.period_end)} for f in facts]
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(session: Session, out: TextIO, filters: ArticleFilter | None = None,
              facts_out: TextIO | None = None) -> int:
    """One row per article (topics joined by ';'); facts to a second CSV when asked."""
    writer = csv.writer(out)
    writer.writerow(ARTICLE_COLUMNS)
    fact_writer = csv.writer(facts_out) if facts_out is not None else None
    if fact_writer:
        fact_writer.writerow(FACT_COLUMNS)
    count = 0
    for data, facts in iter_articles(session, filters, with_facts=fact_writer is not None):
        data["topics"] = ";".join(data["topics"])
        writer.writerow([safe_cell(data[name]) for name in ARTICLE_COLUMNS])
        if fact_writer:
            for fact in facts:
                fact_writer.writerow([safe_cell(_plain(_fact_value(fact, name)))
                                      for name in FACT_COLUMNS])
        count += 1
    return count


def write_xlsx(session: Session, path, filters: ArticleFilter | None = None) -> int:
    """An xlsx workbook with an `articles` sheet and a `facts` sheet, written by XlsxWriter in
    constant_memory mode (each row is flushed to disk as written: memory stays flat). Text
    is written as strings, never as formulas. Returns the article count."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "remove_timezone": True})
    try:
        articles = book.add_worksheet("articles")
        fact_sheet = book.add_worksheet("facts")
        bold = book.add_format({"bold": True})
        articles.write_row(0, 0, ARTICLE_COLUMNS, bold)
        fact_sheet.write_row(0, 0, FACT_COLUMNS, bold)
        articles.freeze_panes(1, 0)
        fact_sheet.freeze_panes(1, 0)
        count = fact_row = 0
        for data, facts in iter_articles(session, filters):
            count += 1
            data["topics"] = ";".join(data["topics"])
            articles.write_row(count, 0, [_cell(data[name]) for name in ARTICLE_COLUMNS])
            for fact in facts:
                fact_row += 1
                fact_sheet.write_row(fact_row, 0, [_cell(_plain(_fact_value(fact, name)))
                                                   for name in FACT_COLUMNS])
    finally:
        book.close()
    return count


_XLSX_MAX_CELL = 32_767  # Excel's limit on one cell's characters


def _cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _XLSX_MAX_CELL:
        return value[:_XLSX_MAX_CELL - 1] + "…"
    return value
