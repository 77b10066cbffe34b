"""Search query syntax: parsed once into a small tree, rendered for FTS5 (SQLite) and for
to_tsquery (PostgreSQL), so malformed input gets one clear message and both backends get
equivalent queries.

Syntax: words (all must match), "exact phrases", AND / OR / NOT (upper case), prefix* and
parentheses. `a b` means `a AND b`; NOT is binary (`a NOT b`); precedence NOT > AND > OR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
WORD_RE = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'\s+|"[^"]*"|\(|\)|[^\s"()]+|"')
_OPERATORS = ("AND", "OR", "NOT")


class SearchSyntaxError(ValueError):
    """The search query cannot be parsed; the message says what to fix, in one line."""


# ---------------------------------------------------------------- the query's tree


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or several for a phrase
    prefix: bool = False


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
            return Term(_words(token[1:-1], token))
        body = token.rstrip("*")
        if "*" in body:
            raise SearchSyntaxError(f"'*' only goes at the end of a word: {token}")
        words = _words(body, repr(token))
        if prefix and len(words) > 1:
            raise SearchSyntaxError(f"prefix search needs a single word: {token}")
        return Term(words, prefix)


def parse(query: str) -> Node:
    """The user's query as a tree; SearchSyntaxError (one line) when it is malformed."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchSyntaxError(f"search query longer than {MAX_QUERY_CHARS} characters")
    return _Parser(_tokens(query)).parse()


# ---------------------------------------------------------------- rendering


def to_fts5(node: Node) -> str:
    """SQLite FTS5 MATCH syntax (words are quoted strings, so no bareword is an operator)."""
    if isinstance(node, Term):
        return '"' + " ".join(node.words) + '"' + ("*" if node.prefix else "")
    if isinstance(node, Not):
        return f"({to_fts5(node.keep)} NOT {to_fts5(node.drop)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_fts5(item) for item in node.items) + ")"


def to_tsquery(node: Node) -> str:
    """PostgreSQL to_tsquery syntax: & | ! and <-> for phrases, :* for prefixes."""
    if isinstance(node, Term):
        lexemes = [f"'{w}'" for w in node.words]
        if node.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"
    if isinstance(node, Not):
        return f"({to_tsquery(node.keep)} & !{to_tsquery(node.drop)})"
    joiner = " & " if isinstance(node, And) else " | "
    return "(" + joiner.join(to_tsquery(item) for item in node.items) + ")"
