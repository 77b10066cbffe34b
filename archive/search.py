"""Full-text search: a query parsed once (archive.search_syntax), run as FTS5 (SQLite) or
tsquery (PostgreSQL). Both backends index title and text with the same plain tokenizer (no
stemming, no stop words), plus the CJK bigram tokens of each (search_syntax.cjk_tokens), so a
query matches the same articles on either, in English or in Chinese.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, false, func, literal_column, select, table
from sqlalchemy.orm import Session, aliased

from archive.models import Article, Source
from archive.search_syntax import (  # noqa: F401 - re-exported: parse, errors, limits
    MAX_QUERY_CHARS,
    WORD_RE,
    And,
    Node,
    Not,
    Or,
    SearchSyntaxError,
    Term,
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
PG_CONFIG = "simple"  # to_tsvector/to_tsquery configuration; must match 0002_fulltext
# ts_rank weights {D, C, B, A}: A title, B text (ts_rank's defaults), C / D their CJK tokens.
PG_WEIGHTS = "{0.4, 1.0, 0.4, 1.0}"
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
# PostgreSQL: memory for the bitmap of a statement that reads many GIN entries. With the
# server's usual 4 MB, the matches of a common word among a million rows make the bitmap lossy,
# and every row of a lossy page is then read and checked again.
PG_BITMAP_WORK_MEM = "64MB"
BROAD_CERTAIN = 10  # see _surely_broad
PG_WALK, PG_WALK_FACTOR = 2000, 50  # rows walked newest first for a broad page (_page_broad)
# A prefix of a metric / subject word (`indust`) is looked up in fact_terms and searched as
# the words it starts, when it starts at most this many (GIN reads a prefix's every entry).
PG_PREFIX_EXPANSION = 32

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


def _pg_query(node: Node):
    return func.to_tsquery(literal_column(f"'{PG_CONFIG}'"), to_tsquery(node))


def _pg_rank(node: Node):
    vector = literal_column("articles.search_vector")
    return func.ts_rank(literal_column(f"'{PG_WEIGHTS}'::float4[]"), vector, _pg_query(node))


def _ranked(node: Node) -> Select:
    """PostgreSQL: article ids and scores (higher is better) of every match, before filters."""
    vector = literal_column("articles.search_vector")
    return (select(Article.id, _pg_rank(node).label("score"))
            .where(vector.op("@@")(_pg_query(node))))


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
        headline = func.ts_headline(
            literal_column(f"'{PG_CONFIG}'"), Article.text, _pg_query(node),
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
            "MinWords=12, ShortWord=0, MaxFragments=1")
        stmt = select(Article.id, headline).where(Article.id.in_(ids))
    else:
        rowid = literal_column("articles_fts.rowid")
        snippet = func.snippet(literal_column("articles_fts"), 1, MARK_START, MARK_END, "…",
                               SNIPPET_WORDS)
        stmt = select(rowid, snippet).select_from(_fts).where(_fts_match(node), rowid.in_(ids))
    return {row[0]: row[1] or "" for row in session.execute(stmt)}


@contextmanager
def pg_settings(session: Session, **settings: str) -> Iterator[None]:
    """PostgreSQL settings for the statements run inside (this transaction only), put back
    afterwards. After an error the transaction is over, and the settings with it."""
    conn = session.connection()
    names = ", ".join(f"current_setting('{name}')" for name in settings)
    before = conn.exec_driver_sql(f"SELECT {names}").one()
    _set(conn, settings)
    yield
    _set(conn, dict(zip(settings, before, strict=True)))


def _set(conn, settings: dict[str, str]) -> None:
    calls = ", ".join(f"set_config('{name}', %({name})s, true)" for name in settings)
    conn.exec_driver_sql(f"SELECT {calls}", settings)


def _match_count(session: Session, node: Node, postgres: bool) -> int:
    """How many articles the query matches, before filters (FTS5 only walks the doclists).
    PostgreSQL stops counting past BROAD_MATCHES: only "is it broad?" is asked there, and
    each match counted is a heap row read; a query the statistics show to be far past it is
    not counted at all (_surely_broad)."""
    if postgres:
        if _surely_broad(session, node):
            return BROAD_MATCHES + 1
        vector = literal_column("articles.search_vector")
        matches = (select(literal_column("1")).select_from(Article)
                   .where(vector.op("@@")(_pg_query(node))).limit(BROAD_MATCHES + 1)
                   .subquery())
        with pg_settings(session, work_mem=PG_BITMAP_WORK_MEM, jit="off"):
            return session.scalar(select(func.count()).select_from(matches)) or 0
    stmt = select(func.count()).select_from(_fts).where(_fts_match(node))
    return session.scalar(stmt) or 0


def _surely_broad(session: Session, node: Node) -> bool:
    """Whether PostgreSQL's statistics of search_vector (the share of ANALYZE's sample
    holding each of its most common words) put the query's matches at BROAD_CERTAIN ×
    BROAD_MATCHES articles or more (see _lower_share). That far past BROAD_MATCHES, the
    sample's error (±0.3 % of the rows a word) cannot matter."""
    if not _lower_bound_words(node):
        return False
    row = session.connection().exec_driver_sql(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
        "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
        "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s.schemaname) "
        "WHERE s.tablename = 'articles' AND s.attname = 'search_vector' "
        "AND s.schemaname = current_schema()").first()
    if row is None or not row[0] or not row[2] or row[2] <= 0:
        return False
    elems, freqs, rows = row
    shares = dict(zip(elems, freqs, strict=False))  # the last freqs are min, max, nulls
    return _lower_share(node, shares) * rows >= BROAD_CERTAIN * BROAD_MATCHES


def _lower_share(node: Node, shares: dict[str, float]) -> float:
    """A share of the articles the query surely matches: a word's share (a prefix: that of
    the most common word it starts), the largest of an OR's, and for an AND what its parts
    must have in common (shares a + b − 1). NOTs and phrases: nothing sure."""
    if isinstance(node, Term):
        if len(node.words) != 1 or node.cjk:
            return 0.0
        word = node.words[0]
        if not node.prefix:
            return shares.get(word, 0.0)
        return max((v for k, v in shares.items() if k.startswith(word)), default=0.0)
    if isinstance(node, Or):
        return max(_lower_share(item, shares) for item in node.items)
    if isinstance(node, And):
        parts = [_lower_share(item, shares) for item in node.items]
        return max(0.0, sum(parts) - (len(parts) - 1))
    return 0.0


def _lower_bound_words(node: Node) -> bool:
    """Whether the query has a plain word (or prefix) that _lower_share can count on."""
    if isinstance(node, Term):
        return len(node.words) == 1 and not node.cjk
    if isinstance(node, Or | And):
        return any(_lower_bound_words(item) for item in node.items)
    return False


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
                postgres: bool, count: int) -> list[Any]:
    """One page of a broad query's hits, newest first (undated last, then highest id).

    Both backends walk the articles newest first and keep the matches that pass the filters.
    PostgreSQL walks the newest PG_WALK rows (or PG_WALK_FACTOR × the rows wanted) down
    ix_articles_published_id, checking each; only when they do not fill the page are all
    the matches filtered and sorted (the planner, misled by a filter's estimate such as a
    topic's LIKE, would choose that every time). SQLite walks the `published` index and
    keeps the rows in the match set (built once from the FTS5 doclists) that pass the filters,
    checked per row by a correlated EXISTS so the planner cannot trade the walk for another
    index and a sort. Scores are computed for the page's rows only."""
    from archive.queries import ARTICLE_ORDER, apply_filters

    if postgres:
        vector = literal_column("articles.search_vector")
        matching = apply_filters(select(Article.id).where(vector.op("@@")(_pg_query(node))),
                                 filters)
        # The newest `steps` rows (in the date range) first: enough when they hold the page.
        steps = max(PG_WALK, PG_WALK_FACTOR * (offset + limit))
        walk = select(Article.id)
        if filters.since:
            walk = walk.where(Article.published >= filters.since)
        if filters.until:
            walk = walk.where(Article.published <= filters.until)
        walk = walk.order_by(*ARTICLE_ORDER).limit(steps).subquery()
        page = (matching.join(walk, walk.c.id == Article.id).order_by(*ARTICLE_ORDER)
                .limit(limit).offset(offset))
        with pg_settings(session, enable_bitmapscan="off", jit="off"):
            ids = list(session.scalars(page))
        if len(ids) < limit:  # the filters starve the walk: every match, filtered and sorted
            with pg_settings(session, work_mem=PG_BITMAP_WORK_MEM, jit="off"):
                ids = list(session.scalars(matching.order_by(*ARTICLE_ORDER)
                                           .limit(limit).offset(offset)))
        stmt = (select(Article.id, Article.url, Article.title, Article.published,
                       Article.section, Source.name.label("source"),
                       _pg_rank(node).label("score"))
                .join(Source, Source.id == Article.source_id)
                .where(Article.id.in_(ids)).order_by(*ARTICLE_ORDER))
        return list(session.execute(stmt).all()) if ids else []
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
    return [_Row(*row, score=scores.get(row.id, 0.0)) for row in rows]


def _hit_order(row: Any) -> tuple:
    """Best first: score, then newest (undated last), then highest id — as in the SQL order."""
    published = row.published
    return (-row.score, published is None, -published.toordinal() if published else 0,
            -row.id)


def _page_sqlite(session: Session, node: Node, filters: Any, limit: int,
                 offset: int) -> list[Any]:
    """One page of hits, ranked inside the FTS5 index first.

    bm25 is computed by FTS5 for every match (that part is unavoidable), but only the best
    `k` rowids leave the index and are joined to `articles` for the filters, instead of
    every match being joined, filtered and sorted. The page is exact when the filtered rows
    scoring strictly better than the k-th match fill it, since every match left out scores
    no better than the k-th (ties at the k-th score are not trusted). When they do not (a
    deep page, or filters that drop most matches), the whole ranking runs in one statement
    with the filters inside, which SQLite plans well for selective filters."""
    from archive.queries import apply_filters

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
        rows = [_Row(*row, score=scores[row.id]) for row in session.execute(stmt)]
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
    return [_Row(*row) for row in session.execute(ranked_all)]


@dataclass
class _Row:
    id: int
    url: str
    title: str
    published: date | None
    section: str | None
    source: str | None
    score: float


def search(session: Session, query: str, filters: Any = None, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Hits for a query in our syntax, narrowed by an ArticleFilter: best first, or newest
    first when the query matches more than BROAD_MATCHES articles (scores still given)."""
    from archive.queries import ArticleFilter, apply_filters

    node = parse(query)
    filters = filters or ArticleFilter()
    postgres = session.get_bind().dialect.name == "postgresql"
    if limit <= 0:
        return []
    count = _match_count(session, node, postgres)
    if count > BROAD_MATCHES:
        rows = _page_broad(session, node, filters, limit, offset, postgres, count)
    elif postgres:
        # The page is chosen from (id, score) alone; only its rows are joined for the rest.
        ranked = apply_filters(_ranked(node), filters)
        score = ranked.selected_columns.score
        page = (ranked.order_by(score.desc(), Article.published.desc().nulls_last(),
                                Article.id.desc())
                .limit(limit).offset(offset).subquery())
        stmt = (select(Article.id, Article.url, Article.title, Article.published,
                       Article.section, Source.name.label("source"), page.c.score)
                .join(page, page.c.id == Article.id)
                .join(Source, Source.id == Article.source_id)
                .order_by(page.c.score.desc(), Article.published.desc().nulls_last(),
                          Article.id.desc()))
        rows = session.execute(stmt).all()
    else:
        rows = _page_sqlite(session, node, filters, limit, offset)
    snippets = _snippets(session, node, [row.id for row in rows], postgres)
    return [Hit(id=row.id, url=row.url, title=row.title, published=row.published,
                source=row.source, section=row.section, snippet=snippets.get(row.id, ""),
                score=float(row.score or 0.0)) for row in rows]


# ---------------------------------------------------------------- facts by metric / subject


def _prefix_words(text: str | None) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text or "")]


def _fact_term(column: str, word: str, postgres: bool,
               expansions: dict[str, list[str]] | None = None) -> str:
    """One word of a metric / subject filter: a Latin word starts a word of the column; a
    word with CJK characters is found anywhere in it, through its CJK tokens. On PostgreSQL
    `expansions` may list the words a Latin prefix starts (see _expand)."""
    weight = {"metric": ("A", "C"), "subject": ("B", "D")}[column]
    if not has_cjk(word):
        if not postgres:
            return f'{column} : "{word}"*'
        words = (expansions or {}).get(word)
        if words is None:
            return f"'{word}':*{weight[0]}"
        return "(" + " | ".join(f"'{_quoted(w)}':{weight[0]}" for w in words) + ")"
    tokens, prefix = query_tokens(word)
    if postgres:
        lexemes = [f"'{t}':{weight[1]}" for t in tokens]
        if prefix:
            lexemes[-1] = f"'{tokens[-1]}':*{weight[1]}"
        return "(" + " <-> ".join(lexemes) + ")"
    return f'{column}_cjk : "{" ".join(tokens)}"' + ("*" if prefix else "")


def _quoted(lexeme: str) -> str:
    return lexeme.replace("\\", "\\\\").replace("'", "''")


def _expand(session: Session, words: set[str]) -> dict[str, list[str]]:
    """{prefix: the words of fact_terms it starts} for the prefixes starting at most
    PG_PREFIX_EXPANSION (an empty list: no fact has such a word). fact_terms holds every word
    of facts.search_vector (migration 0010, kept by a trigger), so `'indust':*` and
    `'industrial' | 'industry'` match the same facts; the second reads two GIN entries, the
    first every entry from `indust` on, into a bitmap of every fact they hold."""
    if not words:
        return {}
    rows = session.connection().exec_driver_sql(
        "SELECT p.word, t.term FROM unnest(%(words)s::text[]) AS p(word) "
        "CROSS JOIN LATERAL (SELECT term FROM fact_terms WHERE term >= p.word "
        "AND term < p.word || chr(1114111) ORDER BY term LIMIT %(cap)s) AS t",
        {"words": sorted(words), "cap": PG_PREFIX_EXPANSION + 1}).all()
    found: dict[str, list[str]] = {word: [] for word in words}
    for word, term in rows:
        found[word].append(term)
    return {word: terms for word, terms in found.items() if len(terms) <= PG_PREFIX_EXPANSION}


def fact_match(metric: str | None, subject: str | None, postgres: bool,
               session: Session | None = None):
    """A condition on facts: every word given starts a word of the fact's metric (subject),
    any case (a Chinese word: is in it) — through the facts_fts index (SQLite) or
    facts.search_vector (PostgreSQL; given the session, prefixes are looked up in fact_terms
    first, see _expand). None when nothing is asked; SearchSyntaxError when the text has no
    letters or digits."""
    wanted = {"metric": _prefix_words(metric), "subject": _prefix_words(subject)}
    for name, text in (("metric", metric), ("subject", subject)):
        if text is not None and text.strip() and not wanted[name]:
            raise SearchSyntaxError(f"{name} {text!r} has no letters or digits")
    if not wanted["metric"] and not wanted["subject"]:
        return None
    expansions = None
    if postgres and session is not None:
        expansions = _expand(session, {w for words in wanted.values() for w in words
                                       if not has_cjk(w)})
        if any(not terms for terms in expansions.values()):
            return false()  # a word no fact has: nothing matches
    terms = [_fact_term(name, w, postgres, expansions)
             for name, words in wanted.items() for w in words]
    if postgres:
        return literal_column("facts.search_vector").op("@@")(
            func.to_tsquery(literal_column(f"'{PG_CONFIG}'"), " & ".join(terms)))
    rowids = (select(literal_column("rowid")).select_from(table("facts_fts"))
              .where(literal_column("facts_fts").op("MATCH")(" AND ".join(terms))))
    return literal_column("facts.id").in_(rowids)


def fact_names_matching(session: Session, metric: str | None,
                        subject: str | None) -> dict[str, list[str]]:
    """PostgreSQL: {field: the names in fact_names (migration 0012) that field's words match}
    for "metric" and "subject", each only when words are given for it. A name matches as
    fact_match would match a fact with that metric (subject): fact_names.search_vector is
    made as that part of facts.search_vector, and the words become the same tsquery terms.
    SearchSyntaxError as fact_match."""
    wanted = {"metric": _prefix_words(metric), "subject": _prefix_words(subject)}
    for name, text in (("metric", metric), ("subject", subject)):
        if text is not None and text.strip() and not wanted[name]:
            raise SearchSyntaxError(f"{name} {text!r} has no letters or digits")
    expansions = _expand(session, {w for words in wanted.values() for w in words
                                   if not has_cjk(w)})
    found: dict[str, list[str]] = {}
    for name, words in wanted.items():
        if not words:
            continue
        if any(not expansions.get(w, True) for w in words):
            found[name] = []  # a word no fact has
            continue
        query = " & ".join(_fact_term(name, w, True, expansions) for w in words)
        found[name] = sorted(session.connection().exec_driver_sql(
            f"SELECT name FROM fact_names WHERE field = %(field)s AND search_vector @@ "
            f"to_tsquery('{PG_CONFIG}', %(query)s)", {"field": name, "query": query}).scalars())
    return found
