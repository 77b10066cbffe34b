"""What a number measures and for whom: metric phrases, subjects and "the two places"."""

from __future__ import annotations

import re

_HEAD = (r"(?:Economic(?: and Technological)? Development Zone|Development Zone|High-tech Zone"
         r"|Zone|Park|District|district|New Area|Area|County|county|City|Province|province"
         r"|Port|zone|park|Base|Town|town|Pilot Zone)")
_NAME = rf"[A-Z][\w'’&.-]*\s+(?:[A-Z][\w'’&.-]*\s+){{0,5}}?{_HEAD}\b"
_HEAD_HINT_RE = re.compile(r"Zone|Park|District|district|Area|County|county|City|Province"
                           r"|province|Port|zone|park|Base|Town|town")
ENTITY_RE = re.compile(rf"{_NAME}(?:\s+and\s+{_NAME})?")
_LEADING_RE = re.compile(
    r"^(?:(?:The|In|Last|This|During|Meanwhile|Moreover|Additionally|Also|And|But|By|From"
    r"|Among|Its|Their)\s+)+"
)
ANAPHOR_RE = re.compile(
    r"\b(?=[tTiIbB])(?:the\s+two\s+(?:places|zones|districts|parks|areas|regions)|the\s+(?:zone|park"
    r"|district|area|county)|[Ii]ts|[Tt]heir|[Bb]oth)\b"
)

_STOP_WORDS = frozenset(
    "were was which that have has had will are is to with from including in and among since "
    "during this last over for by as at on per who whose while".split()
)
_SKIP_WORDS = frozenset("new more additional newly other".split())
_TRAILING_WORDS = frozenset(
    "has have had was were is are will would be been reached exceeded hit totaled totalled "
    "topped amounted stood valued worth at to of by more than over about nearly around some up "
    "down rose grew increased decreased fell dropped jumped surged saw with a an the "
    "year-on-year increase decrease growth decline registered recorded posted expected exceed "
    "reach in approximately almost roughly seeing climbed slid went total from compared than "
    "against versus with".split()
)
_LEADING_WORDS = frozenset(
    "which that had has have with a an the its their and of total bringing raising taking "
    "pushing".split()
)
_OF_NOUN_RE = re.compile(
    r"\s+(?:of|in)\s+(?!(?:the|a|an|total|all|which|this|that|its)\b)"
    r"(?P<np>[a-z][\w'’-]*(?:\s+(?!(?:in|on|at|for|from|by|with|and|to|during|this|last|was"
    r"|were|is|are|has|have|had|which|that)\b)[a-z][\w'’-]*){0,4})"
)
_NUMBER_OF_RE = re.compile(
    r"(?:number|total)\s+of\s+(?P<np>(?:[\w'’&-]+\s+){0,8}?[\w'’&-]+)"
    r"(?:\s+(?:in|at|of|among)\s+[^,;]{0,80}?)?\s+(?:has\s+|have\s+|had\s+)?(?:reached|was|were"
    r"|stood\s+at|hit|totaled|totalled|rose\s+to|increased\s+to|grew\s+to|came\s+to|is|are"
    r"|exceeded|topped|to)\s*$",
    re.IGNORECASE,
)
_SUBJECT_SPLIT_RE = re.compile(r"\s+(?:in|at|of)\s+(?=(?:the\s+)?(?:[A-Z]|two\s|zone|park))")
_PUNCT = ",.;:()[]\"“”!?"


def find_entities(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(position, name) of place-like names in text[start:end]."""
    out: list[tuple[int, str]] = []
    if not _HEAD_HINT_RE.search(text, start, end):
        return out
    for m in ENTITY_RE.finditer(text, start, end):
        name = _LEADING_RE.sub("", m.group(0)).strip()
        if name and name[0].isupper() and len(name.split()) >= 2:
            out.append((m.start(), name))
    return out


def subject_for(
    pos: int, entities: list[tuple[int, str]], anaphor_at: int | None, previous: str | None
) -> str | None:
    """The named subject before pos in the sentence, or the earlier one an anaphor points to."""
    named = [name for at, name in entities if at < pos]
    if named:
        return named[-1]
    if previous and anaphor_at is not None and anaphor_at < pos:
        return previous
    return None


def first_anaphor(text: str, start: int, end: int) -> int | None:
    """Position of the first "the two places", "the zone", "its"... in text[start:end]."""
    m = ANAPHOR_RE.search(text, start, end)
    return m.start() if m else None


def count_noun(text: str, end: int, limit: int) -> str | None:
    """The noun phrase after a count: "30 industrial enterprises above ..." → its words."""
    words: list[str] = []
    for token in text[end:min(limit, end + 120)].lstrip(" -").split():
        bare = token.rstrip(_PUNCT)
        if not words and bare.lower() in _SKIP_WORDS:
            continue
        if not bare or bare.lower() in _STOP_WORDS or bare[0] in _PUNCT:
            break
        words.append(bare)
        if bare != token or len(words) == 8:
            break
    return " ".join(words) or None


def clause_metric(text: str, clause_start: int, pos: int) -> str | None:
    """The measured thing named before a number: "the output value of X in Y exceeded" → X."""
    left = text[max(clause_start, pos - 200):pos]
    left = left.rsplit(",", 1)[-1].rsplit(";", 1)[-1]
    if " of " in left:
        m = _NUMBER_OF_RE.search(left)
        if m:
            return m.group("np")
    words = left.split()
    while words and words[-1].lower() in _TRAILING_WORDS:
        words.pop()
    while words and words[0].lower() in _LEADING_WORDS:
        words.pop(0)
    if not words:
        return None
    phrase = _SUBJECT_SPLIT_RE.split(" ".join(words), maxsplit=1)[0].strip()
    return phrase if phrase and len(phrase.split()) <= 10 else None


def noun_after_unit(text: str, end: int, limit: int) -> str | None:
    """What an amount is of: "2.6 million tons of cargo", "21.6 billion yuan in tax"."""
    m = _OF_NOUN_RE.match(text, end, min(limit, end + 80))
    return m.group("np") if m else None
