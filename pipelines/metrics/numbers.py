"""Number parsing: digits, number words, fractions and magnitudes."""

from __future__ import annotations

import math
import re

from .units import GLUED_PREFIXES

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
MAGNITUDES = {
    "thousand": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "billion": 1e9, "bln": 1e9,
    "bn": 1e9, "trillion": 1e12, "m": 1e6, "k": 1e3, "crore": 1e7, "lakh": 1e5,
}
#: Multiplying verbs, read as a change in percent: "doubled" is +100 %, "halved" is -50 %.
MULTIPLIERS = {
    "doubled": 100.0, "doubling": 100.0, "tripled": 200.0, "trebled": 200.0, "tripling": 200.0,
    "quadrupled": 300.0, "halved": -50.0, "halving": -50.0,
}
#: The same as adjectives before a baseline: "nearly double the 2019 level".
MULTIPLIER_ADJECTIVES = {"double": 100.0, "twice": 100.0, "triple": 200.0}
#: Vague plurals, read as a lower bound (qualifier at_least): "dozens of" is at least 24,
#: "hundreds of" at least 200, "tens of thousands of" at least 20,000.
VAGUE = {
    "dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2e3, "millions": 2e6,
    "billions": 2e9, "tens of thousands": 2e4, "hundreds of thousands": 2e5,
    "tens of millions": 2e7, "hundreds of millions": 2e8, "tens of billions": 2e10,
    "hundreds of billions": 2e11,
}
DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10,
}

_UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_ALT = "|".join(TENS)
_SIMPLE_WORD = rf"(?:(?:{_TENS_ALT})(?:[- ](?:{_UNIT_ALT}))?|{_UNIT_ALT})"
_WORD_NUMBER = (
    rf"(?:(?:a|{_SIMPLE_WORD})\s+dozen"
    rf"|(?:a|one|{_SIMPLE_WORD})\s+hundred(?:\s+(?:and\s+)?{_SIMPLE_WORD})?"
    rf"|{_SIMPLE_WORD})"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FRACTION = (
    r"(?:(?:one|a|two|three|four|five|six|seven|eight|nine)[- ]"
    r"(?:halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
    r"|half)"
)
_MULT = "|".join(MULTIPLIERS)
_VAGUE = (r"(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)"
          r"|dozens|scores|hundreds|thousands|millions|billions)(?=\s+of\s)")
_RATIO = (rf"(?:one|two|three|four|five|\d{{1,2}})\s+(?:in|out\s+of)\s+(?:every\s+)?"
          rf"(?:{_UNIT_ALT}|ten|twenty|\d{{1,3}})(?=\s+[a-z])")

#: A number core: a fraction, digits or number words. Matched against lower-cased text.
NUMBER_RE = re.compile(
    rf"(?:\b|(?<=rmb|cny|usd|eur|hkd|gbp|jpy)(?=\d))(?=[\dotfsenhadqmb])(?:(?P<ratio>{_RATIO})|(?P<frac>{_FRACTION}\b)|(?P<digits>{_DIGITS})"
    rf"|(?P<mult>(?:{_MULT})\b|(?:double|twice|triple)(?=\s+(?:the|that|its|their|last)\b))|(?P<vague>{_VAGUE})|(?P<words>{_WORD_NUMBER}\b))",
)
#: The same without the word boundary: numbers glued to a currency code ("rmb5bn").
NUMBER_BODY_RE = re.compile(NUMBER_RE.pattern.split("(?=[", 1)[0].replace(
    r"(?:\b|(?<=rmb|cny|usd|eur|hkd|gbp|jpy)(?=\d))", "") + "(?=[" + NUMBER_RE.pattern.split(
    "(?=[", 1)[1])

# -- candidate positions: a cheap scan, so NUMBER_RE only runs where a number can start -----
_DIGIT_RUN_RE = re.compile(r"[0-9][0-9,.]*")
#: Words that start a NUMBER_RE match (and words after "a": "a dozen", "a third").
_START_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(MULTIPLIERS) | frozenset(
    MULTIPLIER_ADJECTIVES) | {
    "half", "dozens", "scores", "hundreds", "thousands", "millions", "billions", "tens"}
_AFTER_A_WORDS = frozenset(
    "dozen hundred half third thirds quarter quarters fourth fifth sixth seventh eighth ninth "
    "tenth".split())
_SPLIT = str.maketrans({c: " " for c in "-,.;:()[]\"'’“”!?/%$"})
_GLUED = GLUED_PREFIXES


def _word_starts(low: str, word: str) -> list[int]:
    out = []
    pos = low.find(word)
    n = len(word)
    while pos != -1:
        if (pos == 0 or not low[pos - 1].isalnum()) and not low[pos + n:pos + n + 1].isalpha():
            out.append(pos)
        pos = low.find(word, pos + n)
    return out


def number_matches(low: str) -> list[re.Match[str]]:
    """Every NUMBER_RE match in lower-cased text, in order, as finditer would give them, but
    found from cheap candidates: digit runs and the words that can start a number."""
    starts: list[tuple[int, bool]] = []
    for m in _DIGIT_RUN_RE.finditer(low):
        p = m.start()
        if p and low[p - 1].isalnum():
            if not ("a" <= low[p - 1] <= "z"):
                continue  # after a digit or a CJK character: never a glued currency sign
            for sign in _GLUED:
                if low.endswith(sign, 0, p) and (p == len(sign) or not low[p - len(sign) - 1]
                                                 .isalpha()):
                    starts.append((p, True))
                    break
            continue
        starts.append((p, False))
    words = set(low.translate(_SPLIT).split())
    for word in words & _START_WORDS:
        starts.extend((p, False) for p in _word_starts(low, word))
    for word in words & _AFTER_A_WORDS:
        for p in _word_starts(low, word):
            if p >= 2 and low[p - 2] == "a" and low[p - 1] in " -" \
                    and (p == 2 or not low[p - 3].isalnum()):
                starts.append((p - 2, False))
    starts.sort()
    out: list[re.Match[str]] = []
    pos = 0
    for p, glued in starts:
        if p < pos:
            continue
        m = (NUMBER_BODY_RE if glued else NUMBER_RE).match(low, p)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


#: A magnitude word right after a number, possibly hyphenated ("300-million"); "bn", "mn"
#: and "mln" may be glued to it ("5bn").
MAGNITUDE_RE = re.compile(
    r"[ \u00a0]*-?[ \u00a0]*(thousand|million|billion|trillion|mln|bln|bn|mn|crore|lakh"
    r"|hundred(?:[ \u00a0]+(?:thousand|million|billion))?)\b",
    re.IGNORECASE)
#: "m" and "k" abbreviations, only read next to a currency ("US$2.3m", "RMB 300m").
SHORT_MAGNITUDE_RE = re.compile(r"(m|k)\b", re.IGNORECASE)


def magnitude_value(word: str) -> float:
    """A magnitude word's multiplier: "million" → 1e6, "hundred million" → 1e8."""
    return math.prod(MAGNITUDES.get(w, 100.0 if w == "hundred" else 1.0)
                     for w in word.lower().split())


def parse_words(text: str) -> float:
    """Value of number words such as "twenty-five", "two dozen" or "one hundred and five"."""
    total = 0.0
    current = 0.0
    for token in re.split(r"[\s-]+", text.lower()):
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "a":
            current += 1
        elif token == "dozen":
            current = (current or 1) * 12
        elif token == "hundred":
            current = (current or 1) * 100
    return total + current


def parse_fraction(text: str) -> float:
    """A fraction phrase ("one-fifth", "a third", "half") as a percentage."""
    parts = re.split(r"[\s-]+", text.lower())
    if len(parts) == 1:
        return 50.0
    numerator = 1 if parts[0] in ("a", "one") else UNITS.get(parts[0], 1)
    return numerator / DENOMINATORS[parts[-1]] * 100


def parse_digits(text: str) -> float:
    """Digits with thousands separators ("10,000", "1.2")."""
    return float(text.replace(",", ""))


def parse_ratio(text: str) -> float:
    """"one in five" → 20.0 (percent)."""
    parts = re.split(r"\s+", text.lower())
    num, den = parts[0], parts[-1]
    n = float(num) if num.isdigit() else parse_words(num)
    d = float(den) if den.isdigit() else parse_words(den)
    return n / d * 100 if d else 0.0


def number_value(match: re.Match[str]) -> float:
    """The value of a NUMBER_RE match (fractions and ratios in percent)."""
    kind = match.lastgroup
    text = match.group(kind)
    if kind == "digits":
        return parse_digits(text)
    if kind == "ratio":
        return parse_ratio(text)
    if kind == "mult":
        return MULTIPLIERS.get(text) or MULTIPLIER_ADJECTIVES[text]
    if kind == "vague":
        return VAGUE[re.sub(r"\s+", " ", text)]
    if kind == "frac":
        return parse_fraction(text)
    return parse_words(text)


def tidy(value: float) -> float | int:
    """An int when the float is integral (after rounding noise), else a rounded float."""
    rounded = round(value, 6)
    if abs(rounded) < 1e18 and rounded == int(rounded):
        return int(rounded)
    return rounded
