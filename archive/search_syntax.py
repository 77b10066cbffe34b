"""Search query syntax: parsed once into a small tree, rendered for FTS5 (SQLite) and for
to_tsquery (PostgreSQL), so malformed input gets one clear message and both backends get
equivalent queries.

Syntax: words (all must match), "exact phrases", AND / OR / NOT (upper case), prefix* and
parentheses. `a b` means `a AND b`; NOT is binary (`a NOT b`); precedence NOT > AND > OR.

Chinese (and Japanese kana) has no spaces between words, so both indexes also hold each
title's and text's CJK runs as overlapping two-character tokens (`cjk_tokens`: 工业园区 →
工业 业园 园区 区), in columns of their own; a query word with CJK characters becomes a phrase
of the same tokens over those columns, so 园区 or 工业园区 is found inside any sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
WORD_RE = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'\s+|"[^"]*"|\(|\)|[^\s"()]+|"')
_OPERATORS = ("AND", "OR", "NOT")


# ---------------------------------------------------------------- CJK tokens (index and query)

CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana, Han, compat.
_HAS_CJK = re.compile(f"[{CJK_CHARS}]")
_CJK_WORD = re.compile(f"[0-9A-Za-z{CJK_CHARS}]+")
_CJK_PIECE = re.compile(f"[{CJK_CHARS}]+|[0-9A-Za-z]+")
SQLITE_CJK_FUNCTION = "parkwatch_cjk"  # called by the FTS5 triggers and view (migration 0007)


def has_cjk(text: str) -> bool:
    return bool(_HAS_CJK.search(text))


def filter_words(text: str | None) -> list[str]:
    """The words of a metric / subject filter, lower-cased (each starts a word it matches)."""
    return [w.lower() for w in WORD_RE.findall(text or "")]


def _pieces(word: str) -> list[str]:
    """A word's CJK runs and ASCII letter/digit runs, in order (ASCII lower-cased)."""
    return [p if _HAS_CJK.match(p) else p.lower() for p in _CJK_PIECE.findall(word)]


def _run_tokens(run: str) -> list[str]:
    """A CJK run as overlapping bigrams plus its last character (so one character is found
    as the start of a token)."""
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def cjk_tokens(text: str | None) -> str | None:
    """The tokens of the words of `text` that hold CJK characters, space-separated (None when
    there are none): CJK runs as bigrams + last character, ASCII runs glued to them as words.
    PostgreSQL's parkwatch_cjk() (migration 0007) computes the same; a test compares them."""
    if not text or not _HAS_CJK.search(text):
        return None
    out: list[str] = []
    for word in _CJK_WORD.findall(text):
        if _HAS_CJK.search(word):
            for piece in _pieces(word):
                out.extend(_run_tokens(piece) if _HAS_CJK.match(piece) else [piece])
    return " ".join(out)


def register_sqlite_functions(dbapi_connection) -> None:
    """Give a SQLite connection the function the full-text triggers call (migration 0007)."""
    dbapi_connection.create_function(SQLITE_CJK_FUNCTION, 1, cjk_tokens, deterministic=True)


def query_tokens(word: str, prefix: bool = False) -> tuple[tuple[str, ...], bool]:
    """A query word with CJK characters as index tokens (a phrase) and whether its last token
    is a prefix: a final run of two or more characters drops its last-character token (the
    text's run may go on), a final single character matches any token it starts."""
    tokens: list[str] = []
    pieces = _pieces(word)
    for position, piece in enumerate(pieces):
        last = position == len(pieces) - 1
        if not _HAS_CJK.match(piece):
            tokens.append(piece)
        elif last and len(piece) > 1:
            tokens.extend(_run_tokens(piece)[:-1])
            prefix = False
        else:
            tokens.extend(_run_tokens(piece))
            prefix = prefix if not last else True
    return tuple(tokens), prefix


class SearchSyntaxError(ValueError):
    """The search query cannot be parsed; the message says what to fix, in one line."""


# ---------------------------------------------------------------- the query's tree


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or several for a phrase (CJK: the index's tokens)
    prefix: bool = False
    cjk: str | None = None  # the query's CJK word, searched in the CJK token columns


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    keep: Node
    drop: Node


Node = Term | And | Or | Not


def _words(text: str, shown: str) -> tuple[str, ...]:
    words = tuple(w.lower() for w in WORD_RE.findall(text))
    if not words:
        raise SearchSyntaxError(f"search term {shown} has no letters or digits")
    return words


def _tokens(query: str) -> list[str]:
    tokens = [t for t in _TOKEN.findall(query) if not t.isspace()]
    if '"' in tokens:
        raise SearchSyntaxError("unbalanced quote in search query (close the phrase with \")")
    return tokens


class _Parser:
    """Recursive descent: or := and (OR and)*; and := not (AND? not)*; not := atom (NOT atom)*."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.pos, self.terms = tokens, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise SearchSyntaxError("empty search query")
        node = self.parse_or()
        if self.peek() is not None:
            raise SearchSyntaxError(f"unexpected {self.peek()!r} in search query "
                                    "(unbalanced parenthesis?)")
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_not()]
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_not(self) -> Node:
        node = self.parse_atom()
        while self.peek() == "NOT":
            self.take()
            node = Not(node, self.parse_atom())
        return node

    def parse_atom(self) -> Node:
        token = self.peek()
        if token is None:
            previous = self.tokens[self.pos - 1] if self.pos else ""
            raise SearchSyntaxError(f"operator {previous} needs a term after it"
                                    if previous in _OPERATORS else
                                    "search query ends too early (unbalanced parenthesis?)")
        if token in _OPERATORS:
            raise SearchSyntaxError(f"operator {token} needs a term before it "
                                    "(NOT is binary: a NOT b)" if token == "NOT" else
                                    f"operator {token} needs a term on both sides")
        if token == ")":
            raise SearchSyntaxError("unexpected ')' in search query (unbalanced parenthesis?)")
        self.take()
        if token == "(":
            if self.peek() == ")":
                raise SearchSyntaxError("empty parentheses in search query")
            node = self.parse_or()
            if self.peek() != ")":
                raise SearchSyntaxError("unbalanced parenthesis in search query (missing ')')")
            self.take()
            return node
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise SearchSyntaxError(f"search query has more than {MAX_TERMS} terms")
        prefix = token.endswith("*") and not token.startswith('"')
        if token.startswith('"'):
            return _cjk_term(Term(_words(token[1:-1], token)))
        body = token.rstrip("*")
        if "*" in body:
            raise SearchSyntaxError(f"'*' only goes at the end of a word: {token}")
        words = _words(body, repr(token))
        if prefix and len(words) > 1:
            raise SearchSyntaxError(f"prefix search needs a single word: {token}")
        return _cjk_term(Term(words, prefix))


def _cjk_term(term: Term) -> Node:
    """A term with CJK words as terms over the CJK token columns: one word is a phrase of its
    tokens; in a phrase of several words, each word must match (AND)."""
    if not any(_HAS_CJK.search(w) for w in term.words):
        return term
    items: list[Node] = []
    for position, word in enumerate(term.words):
        prefix = term.prefix and position == len(term.words) - 1
        if _HAS_CJK.search(word):
            tokens, prefix = query_tokens(word, prefix)
            items.append(Term(tokens, prefix, cjk=word))
        else:
            items.append(Term((word,), prefix))
    return items[0] if len(items) == 1 else And(tuple(items))


def parse(query: str) -> Node:
    """The user's query as a tree; SearchSyntaxError (one line) when it is malformed."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchSyntaxError(f"search query longer than {MAX_QUERY_CHARS} characters")
    return _Parser(_tokens(query)).parse()


# ---------------------------------------------------------------- rendering


FTS5_CJK_COLUMNS = "{title_cjk text_cjk}"  # articles_fts columns of CJK tokens (0007)
PG_CJK_WEIGHTS = "CD"  # search_vector weights of the CJK tokens of title (C) and text (D)


def to_fts5(node: Node) -> str:
    """SQLite FTS5 MATCH syntax (words are quoted strings, so no bareword is an operator)."""
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.words) + '"' + ("*" if node.prefix else "")
        return f"{FTS5_CJK_COLUMNS} : {phrase}" if node.cjk else phrase
    if isinstance(node, Not):
        return f"({to_fts5(node.keep)} NOT {to_fts5(node.drop)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_fts5(item) for item in node.items) + ")"


def to_tsquery(node: Node) -> str:
    """PostgreSQL to_tsquery syntax: & | ! and <-> for phrases, :* for prefixes."""
    if isinstance(node, Term):
        weights = PG_CJK_WEIGHTS if node.cjk else ""
        lexemes = [f"'{w}'" + (f":{weights}" if weights else "") for w in node.words]
        if node.prefix:
            lexemes[-1] = f"'{node.words[-1]}':*{weights}"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"
    if isinstance(node, Not):
        return f"({to_tsquery(node.keep)} & !{to_tsquery(node.drop)})"
    joiner = " & " if isinstance(node, And) else " | "
    return "(" + joiner.join(to_tsquery(item) for item in node.items) + ")"
