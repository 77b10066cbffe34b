"""Number mentions in a sentence: value, unit, conversion and span, with non-facts dropped."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import phrasings as ph
from .conversion import check_conversion, parse_conversion
from .numbers import MAGNITUDE_RE, MAGNITUDES, NUMBER_RE, number_value
from .units import match_prefix_currency, match_suffix_unit

_NEIGHBOUR_BAD_BEFORE = set("-./:+#") | {"_"}


@dataclass
class Mention:
    """A measuring number: value already scaled, unit resolved."""

    start: int
    end: int
    number_end: int
    value: float
    unit: str
    basis: str | None = None
    conversion: dict | None = None
    qualifier_after: str | None = None
    fraction: bool = False
    words: bool = False
    consumed: int = 0


def _bad_neighbours(text: str, start: int, end: int, s: int, e: int) -> bool:
    """Numbers glued to letters or digits ("A380", "COVID-19", "35th", "5G", "9:30")."""
    if start > s:
        before = text[start - 1]
        if before.isalnum() or before in _NEIGHBOUR_BAD_BEFORE:
            return True
    if end < e:
        after = text[end]
        nxt = text[end + 1] if end + 1 < e else ""
        if after in "-/:" and nxt.isdigit():
            return True
        if after.isalpha() and match_suffix_unit(text, end) is None \
                and MAGNITUDE_RE.match(text, end) is None:
            return True
    return False


def _guarded(text: str, m_start: int, m_end: int, s: int, words: bool) -> bool:
    """True when context says the number is a label, date, address or time, not a measure."""
    left_from = max(s, m_start - 40)
    left = text[left_from:m_start]
    right = text[m_end:m_end + 60]
    at_start = left_from == s
    if ph.PHONE_BEFORE_RE.search(left):
        return True
    if not words and ph.is_label_or_date(left, at_start):
        return True
    if words and left.split()[-1:] and left.split()[-1].rstrip(".").lower() in ph.MONTH_WORDS:
        return True
    if ph.DATE_AFTER_RE.match(right) or ph.STREET_AFTER_RE.match(right):
        return True
    if words:
        if ph.DETERMINER_BEFORE_RE.search(left) or ph.WORD_HYPHEN_AFTER_RE.match(right):
            return True
        if text[m_start:m_end].lower() == "one" and ph.ONE_AFTER_RE.match(right):
            return True
    return False


def find_mentions(
    text: str, low: str, s: int, e: int, published: dt.date | None,
    phones: list[tuple[int, int]],
) -> list[Mention]:
    """Measuring number mentions in the sentence text[s:e], in order (`low`: text lower-cased)."""
    found: list[Mention] = []
    pos = s
    while True:
        m = NUMBER_RE.search(low, pos, e)
        if m is None:
            return found
        pos = m.end()
        if any(a <= m.start() < b for a, b in phones):
            continue
        mention = _read_mention(text, m, s, e, published)
        if mention is not None:
            found.append(mention)
            pos = max(pos, mention.end, mention.consumed)


def _read_mention(
    text: str, m: re.Match[str], s: int, e: int, published: dt.date | None
) -> Mention | None:
    """The mention around number match m, or None when it is not a measure."""
    start, end = m.start(), m.end()
    fraction, words = bool(m.group("frac")), bool(m.group("words"))
    if _bad_neighbours(text, start, end, s, e) and not fraction:
        return None
    right = text[end:end + 60]
    if fraction:
        left = text[max(s, start - 20):start]
        if ph.ORDINAL_BEFORE_FRACTION_RE.search(left) or not (
            ph.FRACTION_AFTER_RE.match(right) or ph.SHARE_BEFORE_RE.search(left)
            or ph.CHANGE_BEFORE_RE.search(left)
        ):
            return None
        if ph.FRACTION_AFTER_RE.match(right) and right.lstrip().startswith(("a ", "an ")):
            return None  # "half a year"
        return Mention(start, end, end, number_value(m), "percent", fraction=True, consumed=end)
    if _guarded(text, start, end, s, words):
        return None
    digits_text = m.group("digits") or ""
    if len(digits_text) > 24:
        return None  # a digit run, not a figure
    value = number_value(m)
    unit, basis, conversion = "count", None, None
    consumed = 0
    prefix = match_prefix_currency(text[max(s, start - 5):start]) if not words else None
    if prefix:
        unit, start = prefix[0], start - prefix[1]
    number_end = end
    mag = MAGNITUDE_RE.match(text, end, e)
    if mag:
        value *= MAGNITUDES[mag.group(1).lower()]
        end = number_end = mag.end()
    qualifier_after = None
    q = ph.QUALIFIER_AFTER_RE.match(text[end:min(e, end + 40)])
    if q:
        qualifier_after = "at_least" if q.group("more") else (
            "approx" if q.group(0).lower().endswith(" so") else "more_than")
        if q.group(0).startswith(("-", "+", "p")):
            end += q.end()
    suffix = match_suffix_unit(text, end) if prefix is None else None
    if suffix is not None:
        unit, basis, end = suffix
    conv = parse_conversion(text, end)
    if prefix is None and suffix is None and conv is not None:
        suffix = match_suffix_unit(text, conv[2])
        if suffix is not None:
            unit, basis, end = suffix
    if conv is not None:
        c_value, c_unit, c_end = conv
        consistent, rate = check_conversion(value, unit, c_value, c_unit, published)
        conversion = {"value": c_value, "unit": c_unit, "consistent": consistent,
                      "implied_rate": rate}
        consumed = max(end, c_end)
    if unit == "count":
        after = text[end:end + 40]
        if ph.TIME_AFTER_RE.match(after):
            return None
        plain = digits_text.isdigit() and len(digits_text) == 4 and not mag
        if plain and 1900 <= int(digits_text) <= 2100:
            return None  # a year used as a date
    return Mention(start, end, number_end, value, unit, basis, conversion, qualifier_after,
                   words=words, consumed=max(consumed, end))
