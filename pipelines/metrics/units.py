"""Units: currency signs and names (ISO 4217), percent, times and physical units."""

from __future__ import annotations

import re

#: Currency written before the number: "$3 million", "US$1.2 billion", "RMB 5 billion".
PREFIX_CURRENCY_RE = re.compile(
    r"(?:(?P<code>US\$|HK\$|NT\$|S\$|A\$|C\$|\$|€|£|¥|RMB|Rmb|CNY|USD|EUR|HKD|GBP|JPY)"
    r"[ \u00a0]?)$"
)
PREFIX_CURRENCY = {
    "US$": "USD", "$": "USD", "HK$": "HKD", "NT$": "TWD", "S$": "SGD", "A$": "AUD",
    "C$": "CAD", "€": "EUR", "£": "GBP", "¥": "CNY", "RMB": "CNY", "Rmb": "CNY", "CNY": "CNY",
    "USD": "USD", "EUR": "EUR", "HKD": "HKD", "GBP": "GBP", "JPY": "JPY",
}

# (pattern, unit, basis) — order matters: longer phrases first.
_SUFFIXES: list[tuple[str, str, str | None]] = [
    (r"percentage[ -]points?|pct[ .]? points?|ppts?\b", "percent", "percentage-points"),
    (r"percent\b|per[ -]cent\b|pct\b|%", "percent", None),
    (r"times\b|-?fold\b", "times", None),
    (r"(?:U\.?S\.?|American)\s+dollars?\b|US dollars?\b", "USD", None),
    (r"Hong Kong dollars?\b|HK dollars?\b", "HKD", None),
    (r"dollars?\b|USD\b", "USD", None),
    (r"yuan\b|RMB\b|renminbi\b|CNY\b", "CNY", None),
    (r"euros?\b|EUR\b", "EUR", None),
    (r"(?:British\s+)?pounds?(?: sterling)?\b|GBP\b", "GBP", None),
    (r"(?:Japanese\s+)?yen\b|JPY\b", "JPY", None),
    (r"(?:South\s+Korean\s+)?won\b|KRW\b", "KRW", None),
    (r"r[o]?ubles?\b|RUB\b", "RUB", None),
    (r"square[ -]kilomet(?:er|re)s?\b|sq\.? ?km\b|km2\b|km²", "km2", None),
    (r"square[ -]met(?:er|re)s?\b|sq\.? ?m\b|sqm\b|m2\b|m²", "sqm", None),
    (r"cubic[ -]met(?:er|re)s?\b|m3\b|m³", "m3", None),
    (r"mu\b", "mu", None),
    (r"hectares?\b|ha\b", "hectare", None),
    (r"acres?\b", "acre", None),
    (r"(?:metric\s+)?(?:tons?|tonnes?)\b", "ton", None),
    (r"kilowatt[ -]hours?\b|kwh\b", "kwh", None),
    (r"megawatt[ -]hours?\b|mwh\b", "mwh", None),
    (r"kilowatts?\b|kw\b", "kw", None),
    (r"megawatts?\b|mw\b", "mw", None),
    (r"gigawatts?\b|gw\b", "gw", None),
    (r"kilomet(?:er|re)s?\b|km\b", "km", None),
    (r"kilograms?\b|kg\b", "kg", None),
    (r"TEUs?\b|twenty-foot equivalent units?\b", "teu", None),
]
_SUFFIX_RE = re.compile(
    r"[ \u00a0-]*(?:" + "|".join(f"(?P<u{i}>{p})" for i, (p, _, _) in enumerate(_SUFFIXES)) + ")",
    re.IGNORECASE,
)
#: Units that are money (ISO 4217 codes).
CURRENCIES = frozenset(
    {"CNY", "USD", "EUR", "HKD", "GBP", "JPY", "KRW", "RUB", "TWD", "SGD", "AUD", "CAD"}
)
#: Short unit words that only count as units in lower case ("Mu" or "HA" are names).
_CASE_SENSITIVE = {"mu", "ha", "km", "kg", "m2", "m3", "sqm"}


def match_suffix_unit(text: str, pos: int) -> tuple[str, str | None, int] | None:
    """The unit written at text[pos:] as (unit, basis, end), or None."""
    match = _SUFFIX_RE.match(text, pos)
    if not match:
        return None
    group = match.lastgroup  # "u<i>": the branch that matched
    _, unit, basis = _SUFFIXES[int(group[1:])]
    word = match.group(group)
    if word.lower() in _CASE_SENSITIVE and word != word.lower():
        return None  # "Mu", "KM" as names; units are written in lower case here
    if unit == "KRW" and word == "won":
        return None  # "won" is far more often the verb
    return unit, basis, match.end()


def match_prefix_currency(left: str) -> tuple[str, int] | None:
    """A currency sign ending the text before a number, as (ISO code, length)."""
    match = PREFIX_CURRENCY_RE.search(left[-5:])
    if not match:
        return None
    return PREFIX_CURRENCY[match.group("code")], len(match.group(0))


def canonical_unit(typed: str) -> str:
    """A unit as a user types it ('%', 'pct', 'yuan', 'sq km', 'usd') → the unit facts store
    ('percent', 'CNY', 'km2', 'USD'); anything else comes back trimmed, unchanged."""
    text = typed.strip()
    if text in PREFIX_CURRENCY:
        return PREFIX_CURRENCY[text]
    if text.upper() in CURRENCIES:
        return text.upper()
    for candidate in dict.fromkeys((text, text.lower())):
        found = match_suffix_unit(candidate, 0)
        if found and found[2] == len(candidate):
            return found[0]
    return text
