"""An article's text cut into plain pieces and fact pieces, for highlighting facts in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Piece:
    text: str
    fact: int | None = None  # index of the fact in the article's fact list


def pieces(text: str, facts: list[dict[str, Any]]) -> list[Piece]:
    """The text in order; each fact's [start, end) span (offsets in the article text) becomes
    its own piece. Spans out of range or overlapping an earlier one stay plain text."""
    spans = sorted((f["start"], f["end"], i) for i, f in enumerate(facts)
                   if f.get("start") is not None and f.get("end") is not None
                   and 0 <= f["start"] < f["end"] <= len(text))
    out: list[Piece] = []
    at = 0
    for start, end, index in spans:
        if start < at:
            continue
        if start > at:
            out.append(Piece(text[at:start]))
        out.append(Piece(text[start:end], index))
        at = end
    if at < len(text):
        out.append(Piece(text[at:]))
    return out
