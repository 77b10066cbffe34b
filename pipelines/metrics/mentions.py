"""Number mentions in a sentence: value, unit, conversion and span, with non-facts dropped."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import phrasings as ph
from .conversion import check_conversion, parse_conversion
from .numbers import (
    MAGNITUDE_RE,
    NUMBER_RE,
    SHORT_MAGNITUDE_RE,
    magnitude_value,
    number_value,
)
from .units import CURRENCIES, match_prefix_currency, match_suffix_unit

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
    #: "change" for "doubled"/"halved"; None: decided by the phrasing around it.
    forced_kind: str | None = None
    #: A qualifier the mention itself fixes (ranges: "3-5 percent" → at_least, at_most).
    qualifier_fixed: str | None = None
    #: The magnitude multiplier read after the number (1 when none).
    scale: float = 1.0
    #: A bare number that may take the unit of a following one ("3, 4 and 5 billion yuan").
    bare: bool = False


def _bad_neighbours(text: str, start: int, end: int, s: int, e: int) -> bool:
    """Numbers glued to letters or digits ("A380", "COVID-19", "35th", "5G", "9:30")."""
    if start > s:
        before = text[start - 1]
        if (before.isalpha() or before == ".") \
                and match_prefix_currency(text[max(s, start - 7):start]):
            pass  # "RMB5bn", "Rs.40"
        elif before == "-" and _is_minus(text, start, s):
            pass  # "-2.3 percent"
        elif before.isalnum() or before in _NEIGHBOUR_BAD_BEFORE:
            return True
    if end < e:
        after = text[end]
        nxt = text[end + 1] if end + 1 < e else ""
        if after in "-/:" and nxt.isdigit():
            return True
        if after.isalpha() and match_suffix_unit(text, end) is None \
                and MAGNITUDE_RE.match(text, end) is None \
                and not (SHORT_MAGNITUDE_RE.match(text, end)
                         and match_prefix_currency(text[max(s, start - 7):start])):
            return True
    return False


def _is_minus(text: str, start: int, s: int) -> bool:
    """A "-" (or "−") right before the number is a minus sign: "was -2.3 percent"."""
    return start - 1 > s and text[start - 2] in " (" or start - 1 == s


_YEAR_CONTEXT = frozenset(
    "in since by from to until till before after of between and during through year end early "
    "late mid the its this their fiscal fy or than around circa as".split()
)
_NOT_PLURAL = frozenset(
    "was has is as this its his us thus plus less unless across always perhaps besides "
    "towards afterwards whereas yes bus".split()
)
_COUNTED_IRREGULAR = frozenset("people staff personnel children men women residents".split())
_NEXT_WORD_RE = re.compile(r"[ \u00a0]+([a-z][a-z-]*)")


def _year_or_count(text: str, low: str, start: int, end: int, s: int) -> bool:
    """True when a bare 1900-2100 number counts something ("2000 workers"), False for a year
    ("in 2000", "by 2025", "the 2023 budget", "2021 results")."""
    nxt = _NEXT_WORD_RE.match(low, end)
    if nxt is None:
        return False
    word = nxt.group(1)
    if not (word in _COUNTED_IRREGULAR or (word.endswith("s") and len(word) > 3
                                           and word not in _NOT_PLURAL)):
        return False
    prev = low[max(s, start - 20):start].split()[-1:]
    return not (prev and (prev[0].rstrip(",") in _YEAR_CONTEXT
                          or prev[0].endswith(("'s", "’s"))))


_MONTH3 = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())


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
    # cheap first-character tests before the patterns: a month name or an ordinal suffix,
    # a capitalised street name
    head = right[:2].lstrip()[:1]
    word3 = right.lstrip()[:3].lower()
    if (word3 in _MONTH3 or word3 == "of " or right[:2] in ("st", "nd", "rd", "th")) \
            and ph.DATE_AFTER_RE.match(right):
        return True
    if head.isupper() and ph.STREET_AFTER_RE.match(right):
        return True
    if words:
        if ph.WORD_HYPHEN_AFTER_RE.match(right):
            return True
        # "the two places" refers back; "the five new projects" still counts something new
        if ph.DETERMINER_BEFORE_RE.search(left) and not ph.DELTA_AFTER_RE.match(right):
            return True
        if text[m_start:m_end].lower() == "one" and ph.ONE_AFTER_RE.match(right):
            return True
    return False


def find_mentions(
    text: str, low: str, s: int, e: int, published: dt.date | None,
    phones: list[tuple[int, int]], numbers: list[re.Match[str]] | None = None,
) -> list[Mention]:
    """Measuring number mentions in the sentence text[s:e], in order (`low`: text lower-cased).

    `numbers`: the NUMBER_RE matches inside the sentence, when the caller found them already
    (numbers.number_matches over the whole article); else the sentence is scanned here.
    """
    if numbers is None:
        numbers = list(NUMBER_RE.finditer(low, s, e))
    found: list[Mention] = []
    pos = s
    for m in numbers:
        if m.start() < pos or m.end() > e:
            continue
        pos = m.end()
        if phones and any(a <= m.start() < b for a, b in phones):
            continue
        if m.lastgroup == "digits" and low[m.end():m.end() + 1] in _RANGE_DASHES:
            pair = _read_range(text, low, m, s, e, published)
            if pair is not None:
                found.extend(pair)
                pos = max(pos, pair[1].end, pair[1].consumed)
                continue
        mention = _read_mention(text, low, m, s, e, published)
        if mention is not None:
            found.append(mention)
            pos = max(pos, mention.end, mention.consumed)
    return found


_RANGE_DASHES = "-–~"


def _read_range(
    text: str, low: str, m: re.Match[str], s: int, e: int, published: dt.date | None
) -> tuple[Mention, Mention] | None:
    """A range written with a dash, "6-8 percent", "3–5 billion yuan": (at_least, at_most),
    the first number taking the unit and magnitude of the second. None when it is not one
    (years "2021-25", codes "COVID-19", phone numbers)."""
    start = m.start()
    if start > s and (text[start - 1].isalnum() or text[start - 1] in "-./:#"):
        return None
    if len(m.group("digits")) == 4 or "," in m.group("digits"):
        return None
    m2 = NUMBER_RE.match(low, m.end() + 1, e)
    if m2 is None or not m2.group("digits") or len(m2.group("digits")) == 4:
        return None
    second = _read_mention(text, low, m2, s, e, published, after_dash=True)
    if second is None or (second.unit == "count" and second.scale == 1.0):
        return None
    low_value = number_value(m) * second.scale
    if low_value >= second.value:
        return None
    first = Mention(start, m.end(), m.end(), low_value, second.unit, second.basis,
                    qualifier_fixed="at_least", scale=second.scale, consumed=m.end())
    second.qualifier_fixed = "at_most"
    return first, second


_OF_RE = re.compile(r"\s+of\b")


def _read_mention(
    text: str, low: str, m: re.Match[str], s: int, e: int, published: dt.date | None,
    after_dash: bool = False,
) -> Mention | None:
    """The mention around number match m, or None when it is not a measure."""
    start, end = m.start(), m.end()
    kind = m.lastgroup
    if kind == "ratio":  # "one in five enterprises" → a share of 20 percent
        return Mention(start, end, end, number_value(m), "percent", fraction=True, consumed=end)
    if kind == "mult":  # "doubled" → a change of +100 percent
        return Mention(start, end, end, number_value(m), "percent", forced_kind="change",
                       consumed=end)
    if kind == "vague":  # "hundreds of engineers" → at least 200
        unit, u_end = "count", end
        of = _OF_RE.match(text, end, e)
        suffix = match_suffix_unit(text, of.end()) if of else None
        if suffix is not None and suffix[0] != "percent":
            unit, u_end = suffix[0], suffix[2]
        return Mention(start, u_end, end, number_value(m), unit, qualifier_fixed="at_least",
                       consumed=u_end)
    fraction, words = kind == "frac", kind == "words"
    if not fraction and not after_dash and _bad_neighbours(text, start, end, s, e):
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
    prefix = match_prefix_currency(text[max(s, start - 7):start]) if not words else None
    if not after_dash and not prefix and _guarded(text, start, end, s, words):
        return None
    digits_text = m.group("digits") if kind == "digits" else ""
    if len(digits_text) > 24:
        return None  # a digit run, not a figure
    value = number_value(m)
    unit, basis, conversion = "count", None, None
    consumed = 0
    if prefix:
        unit, start = prefix[0], start - prefix[1]
    elif not words and start > s and text[start - 1] in "-−" and _is_minus(text, start, s) \
            and not after_dash:
        value, start = -value, start - 1
    number_end = end
    scale = 1.0
    mag = MAGNITUDE_RE.match(text, end, e) if text[end:end + 3].lstrip(" \u00a0-")[:1] in (
        "t", "m", "b", "c", "l", "h", "T", "M", "B", "C", "L", "H") else None
    if mag is None and not words:
        short = SHORT_MAGNITUDE_RE.match(text, end, e) if text[end:end + 1] in (
            "m", "M", "k", "K") else None
        if short and (prefix or _currency_after(text, short.end())):
            mag = short
    if mag:
        scale = magnitude_value(mag.group(1))
        value *= scale
        end = number_end = mag.end()
    qualifier_after = None
    after40 = text[end:min(e, end + 40)]
    q = ph.QUALIFIER_AFTER_RE.match(after40) if (
        "or " in after40 or "plus" in after40 or "+" in after40 or "Plus" in after40) else None
    if q:
        qualifier_after = "at_least" if q.group("more") else (
            "approx" if q.group(0).lower().endswith(" so") else "more_than")
        if q.group(0).startswith(("-", "+", "p")):
            end += q.end()
    suffix = match_suffix_unit(text, end) if prefix is None else None
    if suffix is not None:
        unit, basis, end = suffix
    conv = parse_conversion(text, end) if "(" in text[end:end + 3] else None
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
        if plain and 1900 <= int(digits_text) <= 2100 \
                and not _year_or_count(text, low, m.start(), end, s):
            return None  # a year used as a date
    return Mention(start, end, number_end, value, unit, basis, conversion, qualifier_after,
                   words=words, consumed=max(consumed, end), scale=scale,
                   bare=unit == "count" and not mag and not words)


def _currency_after(text: str, pos: int) -> bool:
    suffix = match_suffix_unit(text, pos)
    return suffix is not None and suffix[0] in CURRENCIES
