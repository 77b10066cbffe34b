"""Full-text search: a query parsed once (archive.search_syntax), run as FTS5 (SQLite, here)
or tsquery (PostgreSQL, archive.search_pg). Both backends index title and text with the same
plain tokenizer (no stemming, no stop words), plus the CJK bigram tokens of each
(search_syntax.cjk_tokens), so a query matches the same articles on either, in English or in
Chinese.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, literal_column, select, table
from sqlalchemy.orm import Session, aliased

from archive import search_pg
from archive.filters import ArticleFilter, apply_filters
from archive.models import Article, Source
from archive.search_pg import HitRow
from archive.search_syntax import (  # noqa: F401 - re-exported: parse, errors, limits
    MAX_QUERY_CHARS,
    WORD_RE,
    And,
    Node,
    Not,
    Or,
    SearchSyntaxError,
    Term,
    filter_words,
    has_cjk,
    parse,
    query_tokens,
    to_fts5,
    to_tsquery,
)

MARK_START, MARK_END = "<mark>", "</mark>"
SNIPPET_WORDS = 24
TITLE_WEIGHT = 4.0  # a word in the title counts as much as four in the text
# articles_fts columns (migration 0007): title, text and their CJK tokens, weighted alike.
FTS5_COLUMNS = ("title", "text", "title_cjk", "text_cjk")
FTS5_WEIGHTS = (TITLE_WEIGHT, 1.0, TITLE_WEIGHT, 1.0)
SNIPPET_CHARS = 120  # CJK snippets (made here, not by the backend): characters shown
# SQLite: the best max(TOP_K, TOP_K_FACTOR × (offset + limit)) matches leave the FTS5 index
# first; pages deeper than TOP_K_DEPTH (and pages the filters starve) rank every match in one
# statement.
TOP_K, TOP_K_FACTOR, TOP_K_DEPTH = 200, 4, 1000
# A query matching more articles than this (counted before the filters) lists its hits newest
# first instead of by rank: its words are in so many articles that relevance cannot order them
# (bm25's idf of a word in over half the documents is clamped to ~0). Both backends.
BROAD_MATCHES = 20_000
BM25_K1, BM25_B = 1.2, 0.75  # FTS5's bm25 constants, for scoring a broad page (_bm25_page)

# ---------------------------------------------------------------- running a search

_fts = table("articles_fts")


@dataclass
class Hit:
    id: int
    url: str
    title: str
    published: date | None
    source: str | None
    section: str | None
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "title": self.title,
                "published": self.published.isoformat() if self.published else None,
                "source": self.source, "section": self.section, "snippet": self.snippet,
                "score": float(f"{self.score:.6g}")}


def _fts_match(node: Node):
    return literal_column("articles_fts").op("MATCH")(to_fts5(node))


def _has_cjk_term(node: Node) -> bool:
    return any(term.cjk for term in _phrases(node))


def _needles(node: Node) -> re.Pattern[str] | None:
    """What the query's terms look like in the original text (CJK words as substrings)."""
    parts = []
    for term in _phrases(node):
        if term.cjk:
            parts.append(re.escape(term.cjk))
        else:
            words = r"\W+".join(re.escape(w) for w in term.words)
            parts.append(rf"(?<![0-9A-Za-z]){words}"
                         + (r"[0-9A-Za-z]*" if term.prefix else r"(?![0-9A-Za-z])"))
    return re.compile("|".join(parts), re.I) if parts else None


def text_snippet(text: str, node: Node, width: int = SNIPPET_CHARS) -> str:
    """A passage of `text` around the first match of the query's terms, matches marked."""
    text = " ".join((text or "").split())
    needles = _needles(node)
    first = needles.search(text) if needles else None
    start = max(0, first.start() - width // 4) if first else 0
    end = min(len(text), start + width)
    marked = needles.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}",
                         text[start:end]) if needles else text[start:end]
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


def _snippets(session: Session, node: Node, ids: list[int], postgres: bool) -> dict[int, str]:
    """Highlighted passages of the text, computed for one page of hits only (by the backend,
    or here when the query has CJK words: both backends index those as bigrams)."""
    if not ids:
        return {}
    if _has_cjk_term(node):
        rows = session.execute(select(Article.id, Article.text).where(Article.id.in_(ids)))
        return {row.id: text_snippet(row.text, node) for row in rows}
    if postgres:
        return search_pg.headlines(session, node, ids, SNIPPET_WORDS, (MARK_START, MARK_END))
    rowid = literal_column("articles_fts.rowid")
    snippet = func.snippet(literal_column("articles_fts"), 1, MARK_START, MARK_END, "…",
                           SNIPPET_WORDS)
    stmt = select(rowid, snippet).select_from(_fts).where(_fts_match(node), rowid.in_(ids))
    return {row[0]: row[1] or "" for row in session.execute(stmt)}


def _match_count(session: Session, node: Node) -> int:
    """SQLite: how many articles the query matches, before filters (FTS5 only walks the
    doclists)."""
    stmt = select(func.count()).select_from(_fts).where(_fts_match(node))
    return session.scalar(stmt) or 0


def _phrases(node: Node) -> list[Term]:
    """The query's phrases in FTS5's order (NOT'ed ones included, repeats kept)."""
    if isinstance(node, Term):
        return [node]
    items = (node.keep, node.drop) if isinstance(node, Not) else node.items
    return [term for item in items for term in _phrases(item)]


def _counted(node: Node, present: list[bool], start: int = 0) -> tuple[bool, set[int], int]:
    """Which phrases (by index) FTS5 counts in a row: it clears the hits of every AND or NOT
    node that does not match the row, so `ice` in a row of `a NOT (ice AND dairy)` counts
    nothing. Returns (node matches, phrases counted, next phrase index)."""
    if isinstance(node, Term):
        return present[start], ({start} if present[start] else set()), start + 1
    if isinstance(node, Not):
        keep, kept, after = _counted(node.keep, present, start)
        drop, _, after = _counted(node.drop, present, after)
        return (True, kept, after) if keep and not drop else (False, set(), after)
    results, after = [], start
    for item in node.items:
        matched, kept, after = _counted(item, present, after)
        results.append((matched, kept))
    matched = (all if isinstance(node, And) else any)(m for m, _ in results)
    kept = set().union(*(k for _, k in results))
    return (matched, kept, after) if matched else (False, set(), after)


def _varints(blob: bytes) -> list[int]:
    """SQLite/FTS5 varints (big-endian, 7 bits a byte, a 9th byte of 8 bits)."""
    values, value, size = [], 0, 0
    for byte in blob:
        size += 1
        if size == 9:
            value, size = (value << 8) | byte, 0
            values.append(value)
            value = 0
            continue
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            values.append(value)
            value, size = 0, 0
    return values


def _bm25_page(session: Session, node: Node, ids: list[int], count: int) -> dict[int, float]:
    """-bm25(articles_fts, *FTS5_WEIGHTS) of a few rows, as FTS5 computes it.

    FTS5's bm25() first counts the documents of every phrase through a callback per match
    (~0.35 µs each: 30 ms for a word in 83,000 articles), even for one row. Here those counts
    are `count(*)` walks of the doclists (~10× faster), the row and index sizes come from the
    FTS5 docsize and averages records, and each phrase's hits per column from highlight()."""
    if not ids:
        return {}
    conn = session.connection()
    totals = _varints(conn.exec_driver_sql(
        "SELECT block FROM articles_fts_data WHERE id = 1").scalar_one())
    rows, avgdl = totals[0], sum(totals[1:]) / max(totals[0], 1)
    marks = ", ".join(f"length(coalesce(highlight(articles_fts, {col}, char(1), ''), '')) - "
                      f"length(coalesce(articles_fts.{name}, ''))"
                      for col, name in enumerate(FTS5_COLUMNS))
    in_ids = ", ".join(str(int(i)) for i in ids)
    sizes = {row[0]: sum(_varints(row[1])) for row in conn.exec_driver_sql(
        f"SELECT id, sz FROM articles_fts_docsize WHERE id IN ({in_ids})")}
    phrases, stats = _phrases(node), {}
    for term in phrases:
        match = to_fts5(term)
        if match not in stats:
            found = count if len(phrases) == 1 else session.scalar(
                select(func.count()).select_from(_fts).where(
                    literal_column("articles_fts").op("MATCH")(match)))
            idf = math.log((rows - found + 0.5) / (found + 0.5))
            freq = {row[0]: sum(w * n for w, n in zip(FTS5_WEIGHTS, row[1:], strict=True))
                    for row in conn.exec_driver_sql(
                f"SELECT rowid, {marks} FROM articles_fts WHERE articles_fts MATCH ? "
                f"AND rowid IN ({in_ids})", (match,))}
            stats[match] = (idf if idf > 0 else 1e-6, freq)
    per_phrase = [stats[to_fts5(term)] for term in phrases]
    scores = {}
    for row_id in ids:
        freqs = [freq.get(row_id, 0.0) for _, freq in per_phrase]
        _, counted, _ = _counted(node, [f > 0 for f in freqs])
        norm = BM25_K1 * (1 - BM25_B + BM25_B * sizes.get(row_id, 0) / avgdl)
        scores[row_id] = sum(per_phrase[i][0] * freqs[i] * (BM25_K1 + 1) / (freqs[i] + norm)
                             for i in sorted(counted))
    return scores


def _page_broad(session: Session, node: Node, filters: Any, limit: int, offset: int,
                count: int) -> list[HitRow]:
    """SQLite: one page of a broad query's hits, newest first (undated last, then highest id).

    Walks the `published` index and keeps the rows in the match set (built once from the FTS5
    doclists) that pass the filters, checked per row by a correlated EXISTS so the planner
    cannot trade the walk for another index and a sort. Scores are computed for the page's
    rows only (PostgreSQL's walk: search_pg.page_broad)."""

    walk = aliased(Article, name="walk")
    owner = aliased(Source)
    source = select(owner.name).where(owner.id == walk.source_id).scalar_subquery()
    matches = select(literal_column("rowid")).select_from(_fts).where(_fts_match(node))
    # `+ 0`: the match set is probed per walked row, never used to look rows up and sort.
    stmt = (select(walk.id, walk.url, walk.title, walk.published, walk.section,
                   source.label("source"))
            .where((walk.id + 0).in_(matches),
                   exists(apply_filters(select(Article.id).where(Article.id == walk.id),
                                        filters))))
    if filters.since:  # repeated outside the EXISTS so the walk starts / stops at the dates
        stmt = stmt.where(walk.published >= filters.since)
    if filters.until:
        stmt = stmt.where(walk.published <= filters.until)
    stmt = (stmt.order_by(walk.published.desc().nulls_last(), walk.id.desc())
            .limit(limit).offset(offset))
    rows = session.execute(stmt).all()
    scores = _bm25_page(session, node, [row.id for row in rows], count)
    return [HitRow(*row, score=scores.get(row.id, 0.0)) for row in rows]


def _hit_order(row: Any) -> tuple:
    """Best first: score, then newest (undated last), then highest id — as in the SQL order."""
    published = row.published
    return (-row.score, published is None, -published.toordinal() if published else 0,
            -row.id)


def _page_sqlite(session: Session, node: Node, filters: Any, limit: int,
                 offset: int) -> list[HitRow]:
    """SQLite: one page of hits, ranked inside the FTS5 index first.

    bm25 is computed by FTS5 for every match (that part is unavoidable), but only the best
    `k` rowids leave the index and are joined to `articles` for the filters, instead of
    every match being joined, filtered and sorted. The page is exact when the filtered rows
    scoring strictly better than the k-th match fill it, since every match left out scores
    no better than the k-th (ties at the k-th score are not trusted). When they do not (a
    deep page, or filters that drop most matches), the whole ranking runs in one statement
    with the filters inside, which SQLite plans well for selective filters."""

    wanted = offset + limit
    bm25 = func.bm25(literal_column("articles_fts"), *FTS5_WEIGHTS).label("bm25")
    rowid = literal_column("articles_fts.rowid").label("id")
    owner = aliased(Source)
    source = select(owner.name).where(owner.id == Article.source_id).scalar_subquery()
    columns = (Article.id, Article.url, Article.title, Article.published, Article.section,
               source.label("source"))
    if wanted <= TOP_K_DEPTH:
        k = max(TOP_K, TOP_K_FACTOR * wanted)
        ranked = session.execute(select(rowid, bm25).select_from(_fts)
                                 .where(_fts_match(node)).order_by(bm25).limit(k)).all()
        complete = len(ranked) < k
        worst = ranked[-1].bm25 if ranked else 0.0
        scores = {row.id: -row.bm25 for row in ranked if complete or row.bm25 < worst}
        stmt = apply_filters(select(*columns).where(Article.id.in_(list(scores))), filters)
        rows = [HitRow(*row, score=scores[row.id]) for row in session.execute(stmt)]
        if complete or len(rows) >= wanted:
            rows.sort(key=_hit_order)
            return rows[offset:wanted]
    score = (-bm25).label("score")
    ranked_all = apply_filters(
        select(*columns, score).select_from(_fts)
        .join(Article, Article.id == literal_column("articles_fts.rowid"))
        .where(_fts_match(node)), filters)
    ranked_all = ranked_all.order_by(score.desc(), Article.published.desc().nulls_last(),
                                     Article.id.desc()).limit(limit).offset(offset)
    return [HitRow(*row) for row in session.execute(ranked_all)]


def search(session: Session, query: str, filters: Any = None, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Hits for a query in our syntax, narrowed by an ArticleFilter: best first, or newest
    first when the query matches more than BROAD_MATCHES articles (scores still given)."""

    node = parse(query)
    filters = filters or ArticleFilter()
    postgres = session.get_bind().dialect.name == "postgresql"
    if limit <= 0:
        return []
    if postgres:
        rows = search_pg.page(session, node, filters, limit, offset, BROAD_MATCHES)
    elif (count := _match_count(session, node)) > BROAD_MATCHES:
        rows = _page_broad(session, node, filters, limit, offset, count)
    else:
        rows = _page_sqlite(session, node, filters, limit, offset)
    snippets = _snippets(session, node, [row.id for row in rows], postgres)
    return [Hit(id=row.id, url=row.url, title=row.title, published=row.published,
                source=row.source, section=row.section, snippet=snippets.get(row.id, ""),
                score=float(row.score or 0.0)) for row in rows]


# ---------------------------------------------------------------- facts by metric / subject


def _fact_term(column: str, word: str) -> str:
    """SQLite: one word of a metric / subject filter as an FTS5 term over facts_fts: a Latin
    word starts a word of the column; a word with CJK characters is found anywhere in it,
    through its CJK tokens (PostgreSQL's: search_pg.fact_term)."""
    if not has_cjk(word):
        return f'{column} : "{word}"*'
    tokens, prefix = query_tokens(word)
    return f'{column}_cjk : "{" ".join(tokens)}"' + ("*" if prefix else "")


def _filter_words(metric: str | None, subject: str | None) -> dict[str, list[str]]:
    """{"metric": words, "subject": words} of a fact filter; SearchSyntaxError when a text
    given has no letters or digits."""
    wanted = {"metric": filter_words(metric), "subject": filter_words(subject)}
    for name, text in (("metric", metric), ("subject", subject)):
        if text is not None and text.strip() and not wanted[name]:
            raise SearchSyntaxError(f"{name} {text!r} has no letters or digits")
    return wanted


def fact_match(metric: str | None, subject: str | None, postgres: bool,
               session: Session | None = None):
    """A condition on facts: every word given starts a word of the fact's metric (subject),
    any case (a Chinese word: is in it) — through the facts_fts index (SQLite) or
    facts.search_vector (PostgreSQL, search_pg.fact_condition). None when nothing is asked;
    SearchSyntaxError when the text has no letters or digits."""
    wanted = _filter_words(metric, subject)
    if not wanted["metric"] and not wanted["subject"]:
        return None
    if postgres:
        return search_pg.fact_condition(wanted, session)
    terms = [_fact_term(name, w) for name, words in wanted.items() for w in words]
    rowids = (select(literal_column("rowid")).select_from(table("facts_fts"))
              .where(literal_column("facts_fts").op("MATCH")(" AND ".join(terms))))
    return literal_column("facts.id").in_(rowids)


def fact_names_matching(session: Session, metric: str | None,
                        subject: str | None) -> dict[str, list[str]]:
    """PostgreSQL: {field: the names in fact_names that field's words match} for "metric"
    and "subject", each only when words are given for it (search_pg.fact_names_matching).
    SearchSyntaxError as fact_match."""
    return search_pg.fact_names_matching(session, _filter_words(metric, subject))
