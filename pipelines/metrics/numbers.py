"""Number parsing: digits, number words, fractions and magnitudes."""

from __future__ import annotations

import re

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
    "thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "bn": 1e9,
    "trillion": 1e12,
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

#: A number core: a fraction, digits or number words. Matched against lower-cased text.
NUMBER_RE = re.compile(
    rf"\b(?=[\dotfsenha])(?:(?P<frac>{_FRACTION}\b)|(?P<digits>{_DIGITS})|(?P<words>{_WORD_NUMBER}\b))",
)
#: A magnitude word right after a number, possibly hyphenated ("300-million").
MAGNITUDE_RE = re.compile(r"[ \u00a0]*-?[ \u00a0]*(thousand|million|billion|trillion|mln|bln|bn)\b",
                          re.IGNORECASE)


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


def number_value(match: re.Match[str]) -> float:
    """The value of a NUMBER_RE match (fractions in percent)."""
    if match.group("frac"):
        return parse_fraction(match.group("frac"))
    if match.group("digits"):
        return parse_digits(match.group("digits"))
    return parse_words(match.group("words"))


def tidy(value: float) -> float | int:
    """An int when the float is integral (after rounding noise), else a rounded float."""
    rounded = round(value, 6)
    if abs(rounded) < 1e18 and rounded == int(rounded):
        return int(rounded)
    return rounded
