"""Which measure a figure reports: the vocabulary of pipelines/metrics/measures.toml, matched
near the figure (better no measure than a wrong one).

The phrase nearest before the figure in its stretch of the sentence (since the figure before
it) wins, the longest of those ending at one place; English also looks after an amount
("21.6 billion yuan in tax revenue"). A level or delta whose unit is not of the measure's
family gets none, so does a share (a share names its own whole), and so does a figure about a
part of the whole named by its industry ("航空航天产业产值", "the aerospace industry's output").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .units import CURRENCIES

#: The units a value of each family may have.
FAMILY_UNITS: dict[str, frozenset[str]] = {
    "money": CURRENCIES,
    "count": frozenset({"count"}),
    "area": frozenset({"sqm", "mu", "hectare", "km2", "acre"}),
    "mass": frozenset({"ton", "kg"}),
    "energy": frozenset({"kwh", "mwh"}),
    "volume": frozenset({"m3"}),
    "containers": frozenset({"teu"}),
}
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
#: An industry named right before the measure: the figure is that industry's, not the zone's.
_PART_ZH_RE = re.compile(r"产业(?!开发区|园|集聚区|示范区)|行业|板块|领域|企业群")
_PART_EN_BEFORE_RE = re.compile(r"(?:industry|industries|sector|sectors)(?:'s|’s)?\s+$", re.I)
_PART_EN_AFTER_RE = re.compile(r"^\s+(?:of|in|from)\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,3}"
                               r"(?:industry|industries|sector|sectors)\b", re.I)
_CLAUSE_END_RE = re.compile(r"[,;，；。:：]|\bwhile\b|\bwhereas\b")


@dataclass(frozen=True)
class Measure:
    """One indicator of the vocabulary."""

    id: str
    name_zh: str
    name_en: str
    family: str
    additive: bool
    zh: tuple[str, ...]
    en: tuple[str, ...]
    context: tuple[str, ...] = ()
    when: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """The measures and the compiled phrase patterns that find them."""

    measures: dict[str, Measure]
    zh: re.Pattern[str]
    en: re.Pattern[str]
    when: re.Pattern[str] | None
    phrase_zh: dict[str, str]
    phrase_en: dict[str, str]
    phrase_when: dict[str, list[str]]


def _alternation(phrases: list[str], latin: bool) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p) for p in ordered)
    return rf"(?<![A-Za-z0-9-])(?:{body})(?![A-Za-z0-9-])" if latin else f"(?:{body})"


@cache
def vocabulary() -> Vocabulary:
    """The built-in measures (pipelines/metrics/measures.toml), loaded and compiled once."""
    data = tomllib.loads(resources.files("pipelines.metrics").joinpath("measures.toml")
                        .read_text(encoding="utf-8"))
    measures = {mid: Measure(id=mid, name_zh=t["name_zh"], name_en=t["name_en"],
                             family=t["family"], additive=bool(t["additive"]),
                             zh=tuple(t.get("zh", ())), en=tuple(t.get("en", ())),
                             context=tuple(t.get("context", ())), when=tuple(t.get("when", ())))
                for mid, t in data.items()}
    phrase_zh: dict[str, str] = {}
    phrase_en: dict[str, str] = {}
    phrase_when: dict[str, list[str]] = {}
    for m in measures.values():
        for p in m.zh:
            phrase_zh.setdefault(p, m.id)
        for p in m.en:
            phrase_en.setdefault(p.lower(), m.id)
        for p in m.when:
            phrase_when.setdefault(p.lower(), []).append(m.id)
    latin_zh = [p for p in phrase_zh if not _CJK_RE.search(p)]
    zh = re.compile("|".join(filter(None, (
        _alternation([p for p in phrase_zh if _CJK_RE.search(p)], latin=False),
        _alternation(latin_zh, latin=True) if latin_zh else "")))
    )
    en = re.compile(_alternation(list(phrase_en), latin=True), re.I)
    when = re.compile(
        _alternation([p for p in phrase_when if not _CJK_RE.search(p)], latin=True) + "|"
        + _alternation([p for p in phrase_when if _CJK_RE.search(p)], latin=False), re.I) \
        if phrase_when else None
    return Vocabulary(measures, zh, en, when, phrase_zh, phrase_en, phrase_when)


def fits(measure: Measure, unit: str, kind: str) -> bool:
    """Whether a figure of this unit and kind can be a value of the measure."""
    if kind == "share":
        return False
    if kind == "change":
        return unit in ("percent", "times")
    return unit in FAMILY_UNITS.get(measure.family, frozenset())


def _nearest(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    """The match ending nearest `hi` (the longest of those ending together)."""
    best: re.Match[str] | None = None
    for m in pattern.finditer(text, lo, hi):
        if best is None or m.end() > best.end() or (
                m.end() == best.end() and m.start() < best.start()):
            best = m
    return best


def _contextual(vocab: Vocabulary, text: str, lo: int, hi: int, sentence: str) -> str | None:
    """A `when` phrase before the figure, for a measure whose context word is in the sentence."""
    if vocab.when is None:
        return None
    m = _nearest(vocab.when, text, lo, hi)
    if m is None:
        return None
    low = sentence.lower()
    for mid in vocab.phrase_when[m.group(0).lower()]:
        if any(word.lower() in low for word in vocab.measures[mid].context):
            return mid
    return None


def _is_part(text: str, start: int, end: int, chinese: bool) -> bool:
    if chinese:
        clause = max(text.rfind(mark, max(0, start - 12), start) for mark in "，,；;。：")
        return _PART_ZH_RE.search(text, max(clause + 1, start - 12), start) is not None
    return (_PART_EN_BEFORE_RE.search(text, max(0, start - 14), start) is not None
            or _PART_EN_AFTER_RE.match(text[end:end + 50]) is not None)


def measure_at(text: str, lo: int, start: int, end: int, hi: int, unit: str, kind: str,
               sentence: str) -> str | None:
    """The measure of the figure at text[start:end]: a phrase in text[lo:start] (after the
    figure before it), else for English in text[end:hi] up to the clause's end. None when
    nothing fits."""
    vocab = vocabulary()
    chinese = _CJK_RE.search(text, lo, min(hi, end + 8)) is not None
    pattern, phrases = (vocab.zh, vocab.phrase_zh) if chinese else (vocab.en, vocab.phrase_en)
    found = _nearest(pattern, text, lo, start)
    key = None
    if found is not None:
        key = phrases[found.group(0) if chinese else found.group(0).lower()]
    contextual = _contextual(vocab, text, lo if found is None else found.end(), start, sentence)
    if contextual is not None:
        key = contextual
    elif found is None and not chinese and kind != "change":
        stop = _CLAUSE_END_RE.search(text, end, hi)
        after = pattern.search(text, end, stop.start() if stop else hi)
        if after is not None and after.start() - end <= 30:
            found, key = after, phrases[after.group(0).lower()]
    if key is None:
        return None
    if found is not None and _is_part(text, found.start(), found.end(), chinese):
        return None
    return key if fits(vocab.measures[key], unit, kind) else None
