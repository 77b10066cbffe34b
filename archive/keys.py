"""Grouping keys for a fact's metric and subject: case, quotes, possessives and "the" ignored."""

from __future__ import annotations

import re

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u00b4": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s?\b")
_NOT_WORD = re.compile(r"[\"'()\[\],;:.!?]+")


def grouping_key(text: str | None) -> str | None:
    """'The Harbin’s  "Pingfang" District' → 'harbin pingfang district'; None stays None.

    The original wording is kept in its own column; this key only says which rows are the
    same metric (or subject) when facts are grouped into a series or counted as facets."""
    if text is None:
        return None
    words = _NOT_WORD.sub(" ", _POSSESSIVE.sub("", text.translate(_QUOTES))).casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def fact_keys(fact: dict) -> dict[str, str | None]:
    """The metric_key and subject_key columns for a fact dict."""
    return {"metric_key": grouping_key(fact.get("metric")),
            "subject_key": grouping_key(fact.get("subject"))}
