"""Full-text search on PostgreSQL: tsqueries over articles.search_vector, whether a query is
broad (from the statistics, a sample or a bounded pass), its ranked or newest-first page, and
the words and names that metric / subject filters are matched through (fact_terms,
fact_names). archive.search chooses this module for a PostgreSQL session."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Select, case, false, func, literal_column, null, select, true
from sqlalchemy.orm import Session

from archive.filters import ARTICLE_ORDER, apply_filters, has_topic, section_names
from archive.models import Article, Source
from archive.search_syntax import And, Node, Or, Term, has_cjk, query_tokens, to_tsquery

PG_CONFIG = "simple"  # to_tsvector/to_tsquery configuration; must match 0002_fulltext
# ts_rank weights {D, C, B, A}: A title, B text (ts_rank's defaults), C / D their CJK tokens.
PG_WEIGHTS = "{0.4, 1.0, 0.4, 1.0}"
# Memory for the bitmap of a statement that reads many GIN entries. With the server's usual
# 4 MB, the matches of a common word among a million rows make the bitmap lossy, and every
# row of a lossy page is then read and checked again.
PG_BITMAP_WORK_MEM = "64MB"
BROAD_SIGMAS = 5.0  # see surely_broad: a word under the threshold passes it by odds < 1e-6
PG_WALK, PG_WALK_FACTOR = 2000, 50  # rows walked newest first for a broad page (page_broad)
PG_PASS_FACTOR = 2  # see page: how far past the threshold a filtered query's pass reads
# sampled_broad: about PG_SAMPLE_ROWS articles from whole pages (TABLESAMPLE SYSTEM, the same
# pages each time), then PG_SAMPLE_MORE when that is not enough to tell, trusted only from
# PG_SAMPLE_MIN rows; a query is called broad only when its share in a sample, less
# PG_SAMPLE_SIGMAS standard errors, is still past PG_SAMPLE_MARGIN × the broad threshold.
PG_SAMPLE_ROWS, PG_SAMPLE_MORE, PG_SAMPLE_MIN = 1000, 8000, 500
# Three sigmas, not five: a wrong "broad" only lists a query near the threshold newest first
# instead of ranked, while an undecided one counts 20,001 matches (200-400 ms at a million).
PG_SAMPLE_SIGMAS, PG_SAMPLE_MARGIN = 3.0, 1.0
# A prefix of a metric / subject word (`indust`) is looked up in fact_terms and searched as
# the words it starts, when it starts at most this many (GIN reads a prefix's every entry).
PG_PREFIX_EXPANSION = 32

_VECTOR = literal_column("articles.search_vector")


def tsquery(node: Node):
    return func.to_tsquery(literal_column(f"'{PG_CONFIG}'"), to_tsquery(node))


def rank(node: Node):
    return func.ts_rank(literal_column(f"'{PG_WEIGHTS}'::float4[]"), _VECTOR, tsquery(node))


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


# ---------------------------------------------------------------- is the query broad?


def surely_broad(session: Session, node: Node, broad_matches: int) -> bool:
    """Whether PostgreSQL's statistics of search_vector (the share of ANALYZE's sample
    holding each of its most common words) surely put the query past broad_matches articles:
    its share less BROAD_SIGMAS standard errors of that sample (300 × the column's statistics
    target rows, 1,000 since migration 0014), times the table's rows (see _lower_share)."""
    if not _lower_bound_words(node):
        return False
    row = session.connection().exec_driver_sql(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples, "
        "coalesce(nullif(a.attstattarget, -1), "
        "current_setting('default_statistics_target')::int) "
        "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
        "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s.schemaname) "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname "
        "WHERE s.tablename = 'articles' AND s.attname = 'search_vector' "
        "AND s.schemaname = current_schema()").first()
    if row is None or not row[0] or not row[2] or row[2] <= 0:
        return False
    return broad_by_statistics(node, dict(zip(row[0], row[1], strict=False)), row[2], row[3],
                               broad_matches)  # zip: the last freqs are min, max, nulls


def broad_by_statistics(node: Node, shares: dict[str, float], rows: float, target: int,
                        broad_matches: int) -> bool:
    """surely_broad's verdict from the statistics: {word: share of ANALYZE's sample}, the
    table's rows and the column's statistics target."""
    sampled = min(rows, 300 * max(1, target))  # ANALYZE's rows: at least this column's
    # the standard error of a share in `sampled` of `rows` rows drawn without replacement
    # (nothing when the sample is the whole table)
    finite = math.sqrt(max(0.0, rows - sampled) / max(1.0, rows - 1))
    lower = {word: max(0.0, share - BROAD_SIGMAS * finite
                       * math.sqrt(share * (1 - share) / sampled))
             for word, share in shares.items()}
    return _lower_share(node, lower) * rows > broad_matches


def _lower_share(node: Node, shares: dict[str, float]) -> float:
    """A share of the articles the query surely matches, from each word's (`shares`: their
    lower bounds; a prefix: that of the most common word it starts): the largest of an OR's,
    and for an AND what its parts must have in common (shares a + b − 1). NOTs and phrases:
    nothing sure."""
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


def sampled_broad(session: Session, node: Node, broad_matches: int) -> bool:
    """Whether samples of whole table pages show the query matching more articles than
    broad_matches, for what the statistics cannot tell (phrases, ANDs of common words, NOTs, words
    of a few percent of the articles).

    About PG_SAMPLE_ROWS rows are checked first (TABLESAMPLE SYSTEM with a fixed seed: the same
    pages while the table keeps its size, so they stay cached), and PG_SAMPLE_MORE more only when
    the first sample's share is itself past the threshold but not surely so — instead of counting
    20,001 matches, each a heap row read. A query is called broad when its share in a sample less
    PG_SAMPLE_SIGMAS standard errors still puts it past PG_SAMPLE_MARGIN × broad_matches: a query
    with as many matches as the threshold passes that by chance with odds of about 1 in 740
    (three sigmas), one with 80 % of it about 1 in 100,000 (rows of one page are not independent,
    which widens the odds for a query just under the threshold, whose order then differs only in
    being newest first), and it is otherwise counted exactly, as before."""
    rows = session.connection().exec_driver_sql(
        "SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass").scalar() or 0
    if rows < PG_SAMPLE_MIN or PG_SAMPLE_MARGIN * broad_matches >= rows:
        return False
    for size, seed in ((PG_SAMPLE_ROWS, 7), (PG_SAMPLE_MORE, 8)):
        percent = min(100.0, 100.0 * size / rows)
        stmt = (select(func.count(), func.count().filter(_VECTOR.op("@@")(tsquery(node))))
                .select_from(Article.__table__.tablesample(
                    func.system(percent), name="articles", seed=literal_column(str(seed)))))
        with pg_settings(session, jit="off"):
            sampled, matched = session.execute(stmt).one()
        if sampled < PG_SAMPLE_MIN:
            return False
        share = matched / sampled
        low = share - PG_SAMPLE_SIGMAS * math.sqrt(share * (1 - share) / sampled)
        if low * rows > PG_SAMPLE_MARGIN * broad_matches:
            return True
        high = share + PG_SAMPLE_SIGMAS * math.sqrt(max(share, 1 / sampled) / sampled)
        if high * rows <= PG_SAMPLE_MARGIN * broad_matches:
            return False  # surely under it: a larger sample would not tell otherwise
    return False


# ---------------------------------------------------------------- pages


def page(session: Session, node: Node, filters: Any, limit: int, offset: int,
         broad_matches: int) -> list[HitRow]:
    """One page of hits: best first, or newest first when the query matches more than broad_matches
    articles (before the filters).

    A query the statistics (far past it) or a sample (surely past it) call broad goes straight to
    the newest-first walk (page_broad). Any other is read in one pass (_one_pass) that takes each
    match's score, date and filter verdict together and counts the matches on the way: up to
    broad_matches + 1 of them, or PG_PASS_FACTOR × broad_matches when filters might starve the
    walk (topic, language, ids; a source or a section too: its walk starts in its own index, but
    may still hold few matches). When the pass holds every match,
    the page comes from it, ranked or (past the threshold) newest first; when it stopped at its cap,
    the query is broad and the walk reads the page."""
    if surely_broad(session, node, broad_matches) or sampled_broad(session, node,
                                                                   broad_matches):
        return page_broad(session, node, filters, limit, offset)
    cap = broad_matches
    if any((filters.source, filters.section, filters.sections, filters.topic,
            filters.language, filters.min_id is not None, filters.max_id is not None)):
        cap = PG_PASS_FACTOR * broad_matches
    total, scores = _one_pass(session, node, filters, limit, offset, broad_matches, cap)
    if total > cap:
        return page_broad(session, node, filters, limit, offset)
    return _rows(session, node, scores)


def _one_pass(session: Session, node: Node, filters: Any, limit: int, offset: int,
              broad_matches: int, cap: int) -> tuple[int, dict[int, float]]:
    """(matches before the filters, counted up to cap + 1; {id: score} of the page's rows in
    page order) from one statement reading each match's row once: its score, date and
    whether it passes the filters are taken together, then the count and the page are made
    from those few columns — best first, or newest first when the count passes
    broad_matches (the page is then only right when the count is within the cap)."""

    condition = apply_filters(select(Article.id), filters).whereclause
    passes = func.coalesce(condition, false()) if condition is not None else true()
    matches = (select(Article.id, rank(node).label("score"), Article.published,
                      passes.label("passes"))
               .join(Source, Source.id == Article.source_id)
               .where(_VECTOR.op("@@")(tsquery(node))).limit(cap + 1)
               .cte("matches"))
    counted = select(func.count().label("total")).select_from(matches).subquery("counted")

    def order(rows):  # a broad query's first key is NULL throughout: newest first
        ranked = case((counted.c.total > broad_matches, null()), else_=rows.score)
        return (ranked.desc().nulls_last(), rows.published.desc().nulls_last(),
                rows.id.desc())

    best = (select(matches.c.id, matches.c.score, matches.c.published)
            .where(matches.c.passes).order_by(*order(matches.c))
            .limit(limit).offset(offset).lateral("best"))
    stmt = (select(counted.c.total, best.c.id, best.c.score)
            .select_from(counted.outerjoin(best, true())).order_by(*order(best.c)))
    with pg_settings(session, work_mem=PG_BITMAP_WORK_MEM, jit="off"):
        rows = session.execute(stmt).all()
    total = rows[0].total if rows else 0
    return total, {row.id: row.score for row in rows if row.id is not None}


class HitRow(NamedTuple):
    """One hit of a page before its snippet (both backends' pages make these)."""

    id: int
    url: str
    title: str
    published: date | None
    section: str | None
    source: str | None
    score: float


def _rows(session: Session, node: Node, scores: dict[int, float] | None,
          ids: list[int] | None = None) -> list[HitRow]:
    """The page's rows in the order of `scores` (from _one_pass), or of `ids` with their
    scores computed here."""
    wanted = list(scores) if scores is not None else ids or []
    if not wanted:
        return []
    stmt = (select(Article.id, Article.url, Article.title, Article.published, Article.section,
                   Source.name.label("source"),
                   (rank(node) if scores is None else literal_column("0.0")).label("score"))
            .join(Source, Source.id == Article.source_id).where(Article.id.in_(wanted)))
    found = {row.id: HitRow(*row) for row in session.execute(stmt)}
    if scores is None:
        return [found[i] for i in wanted if i in found]
    return [found[i]._replace(score=score) for i, score in scores.items() if i in found]


def page_broad(session: Session, node: Node, filters: Any, limit: int,
               offset: int) -> list[HitRow]:
    """One page of a broad query's hits, newest first (undated last, then highest id).

    The newest PG_WALK rows (or PG_WALK_FACTOR × the rows wanted) are walked down
    ix_articles_published_id — or, with a source or a single section as filter, that
    source's or section's newest rows down its index (migration 0015) — and each checked;
    only when they do not fill the page are all the matches filtered and sorted (the planner,
    misled by a filter's estimate such as a topic's LIKE, would choose that every time).
    Scores are computed for the page's rows."""

    matching = apply_filters(select(Article.id).where(_VECTOR.op("@@")(tsquery(node))),
                             filters)
    # The newest `steps` rows (in the date range) first: enough when they hold the page.
    steps = max(PG_WALK, PG_WALK_FACTOR * (offset + limit))
    walk = walk_rows(filters).limit(steps).subquery()
    page_: Select = (matching.join(walk, walk.c.id == Article.id).order_by(*ARTICLE_ORDER)
                     .limit(limit).offset(offset))
    with pg_settings(session, enable_bitmapscan="off", jit="off"):
        ids = list(session.scalars(page_))
    if len(ids) < limit:  # the filters starve the walk: every match, filtered and sorted
        with pg_settings(session, work_mem=PG_BITMAP_WORK_MEM, jit="off"):
            ids = list(session.scalars(every_match(node, filters).order_by(*ARTICLE_ORDER)
                                       .limit(limit).offset(offset)))
    return _rows(session, node, None, ids)


def every_match(node: Node, filters: Any) -> Select:
    """The ids of the query's matches that pass the filters. With a topic, the words and the
    topic are asked of the search index alone first (one GIN scan, migration 0016), and the
    other filters are checked on what it returns: left to itself, the planner, which cannot
    know that few of the word's matches hold the topic, walks the date index instead, or adds
    a date bitmap of half the archive."""

    words = _VECTOR.op("@@")(tsquery(node))
    if not filters.topic:
        return apply_filters(select(Article.id).where(words), filters)
    indexed = (select(Article.id).where(words, has_topic(Article.topics, filters.topic))
               .cte("indexed").prefix_with("MATERIALIZED"))
    return apply_filters(select(Article.id).join(indexed, indexed.c.id == Article.id),
                         replace(filters, topic=None))


def walk_rows(filters: Any) -> Select:
    """The ids page_broad walks, newest first: of the filter's source, or of its one section,
    when it names them (each read down its own index), within its dates."""

    walk = select(Article.id)
    if filters.source:
        walk = walk.where(Article.source_id == select(Source.id).where(
            Source.name == filters.source).scalar_subquery())
    sections = section_names(filters)
    if len(sections) == 1:
        walk = walk.where(func.lower(Article.section) == sections[0])
    if filters.since:
        walk = walk.where(Article.published >= filters.since)
    if filters.until:
        walk = walk.where(Article.published <= filters.until)
    return walk.order_by(*ARTICLE_ORDER)


def headlines(session: Session, node: Node, ids: list[int], words: int, marks: tuple[str, str]
              ) -> dict[int, str]:
    """{id: ts_headline of the text} for one page's rows: the passage around the matches."""
    start, stop = marks
    headline = func.ts_headline(
        literal_column(f"'{PG_CONFIG}'"), Article.text, tsquery(node),
        f"StartSel={start}, StopSel={stop}, MaxWords={words}, "
        "MinWords=12, ShortWord=0, MaxFragments=1")
    stmt = select(Article.id, headline).where(Article.id.in_(ids))
    return {row[0]: row[1] or "" for row in session.execute(stmt)}


# ---------------------------------------------------------------- facts by metric / subject


def fact_term(column: str, word: str, expansions: dict[str, list[str]] | None = None) -> str:
    """One word of a metric / subject filter as a tsquery term over facts.search_vector: a
    Latin word starts a word of the column (or is one of the words `expansions` lists for
    it, see expand); a word with CJK characters is a phrase of its CJK tokens."""
    weight = {"metric": ("A", "C"), "subject": ("B", "D")}[column]
    if not has_cjk(word):
        words = (expansions or {}).get(word)
        if words is None:
            return f"'{word}':*{weight[0]}"
        return "(" + " | ".join(f"'{_quoted(w)}':{weight[0]}" for w in words) + ")"
    tokens, prefix = query_tokens(word)
    lexemes = [f"'{t}':{weight[1]}" for t in tokens]
    if prefix:
        lexemes[-1] = f"'{tokens[-1]}':*{weight[1]}"
    return "(" + " <-> ".join(lexemes) + ")"


def _quoted(lexeme: str) -> str:
    return lexeme.replace("\\", "\\\\").replace("'", "''")


def expand(session: Session, words: set[str]) -> dict[str, list[str]]:
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


def fact_condition(wanted: dict[str, list[str]], session: Session | None = None):
    """facts.search_vector matching every word of {"metric": words, "subject": words} (given
    the session, prefixes are looked up in fact_terms first, see expand)."""
    expansions = None
    if session is not None:
        expansions = expand(session, {w for words in wanted.values() for w in words
                                      if not has_cjk(w)})
        if any(not terms for terms in expansions.values()):
            return false()  # a word no fact has: nothing matches
    terms = [fact_term(name, w, expansions) for name, words in wanted.items() for w in words]
    return literal_column("facts.search_vector").op("@@")(
        func.to_tsquery(literal_column(f"'{PG_CONFIG}'"), " & ".join(terms)))


def fact_names_matching(session: Session,
                        wanted: dict[str, list[str]]) -> dict[str, list[str]]:
    """{field: the names in fact_names (migration 0012) that field's words match} for
    "metric" and "subject", each only when words are given for it. A name matches as
    fact_condition would match a fact with that metric (subject): fact_names.search_vector is
    made as that part of facts.search_vector, and the words become the same tsquery terms."""
    expansions = expand(session, {w for words in wanted.values() for w in words
                                  if not has_cjk(w)})
    found: dict[str, list[str]] = {}
    for name, words in wanted.items():
        if not words:
            continue
        if any(not expansions.get(w, True) for w in words):
            found[name] = []  # a word no fact has
            continue
        query = " & ".join(fact_term(name, w, expansions) for w in words)
        found[name] = sorted(session.connection().exec_driver_sql(
            f"SELECT name FROM fact_names WHERE field = %(field)s AND search_vector @@ "
            f"to_tsquery('{PG_CONFIG}', %(query)s)", {"field": name, "query": query}).scalars())
    return found
