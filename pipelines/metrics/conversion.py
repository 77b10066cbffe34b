"""Exchange-rate sanity for parenthetical conversions: "100 billion yuan ($14.93 million)"."""

from __future__ import annotations

import datetime as dt
import re

from .numbers import MAGNITUDES, parse_digits
from .units import CURRENCIES

#: The parenthesis after an amount: "($24.6 billion)", "(about US$1.2 million)", "(€3 million)".
CONVERSION_RE = re.compile(
    r"[ \u00a0]*\(\s*(?:about|approximately|around|roughly|nearly|almost|some|over|more than"
    r"|approx\.?|or|equivalent to)?\s*"
    r"(?P<cur>US\$|HK\$|\$|€|£|USD|EUR|GBP)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:[ \u00a0]*-?[ \u00a0]*(?P<mag>thousand|million|billion|trillion|mln|bln|bn))?"
    r"(?:\s*(?P<suf>(?:U\.?S\.?\s+)?dollars|euros|USD|EUR))?\s*\)",
    re.IGNORECASE,
)
_CURRENCY = {"US$": "USD", "$": "USD", "HK$": "HKD", "€": "EUR", "£": "GBP", "USD": "USD",
             "EUR": "EUR", "GBP": "GBP"}

# Plausible units of currency X per US dollar: (lowest, highest), tolerant bands.
_PER_USD: dict[str, tuple[float, float]] = {
    "EUR": (0.6, 1.25), "GBP": (0.45, 1.0), "HKD": (7.0, 8.5), "JPY": (70.0, 170.0),
    "KRW": (800.0, 1600.0), "RUB": (20.0, 150.0), "TWD": (25.0, 36.0), "SGD": (1.15, 1.85),
    "AUD": (0.9, 2.0), "CAD": (0.9, 1.7), "USD": (0.98, 1.02),
}


def _cny_band(published: dt.date | None) -> tuple[float, float]:
    """Yuan per dollar: pegged ~8.28 until 2005, 6.1-7.3 since 2013; bands are generous."""
    if published is None:
        return 5.8, 8.5
    if published.year <= 2005:
        return 7.9, 8.4
    if published.year <= 2012:
        return 6.0, 8.3
    return 5.8, 7.7


def parse_conversion(text: str, pos: int) -> tuple[float, str, int] | None:
    """A parenthetical money figure at text[pos:] as (value, currency, end), or None."""
    m = CONVERSION_RE.match(text, pos)
    if not m or not (m.group("cur") or m.group("suf")):
        return None
    value = parse_digits(m.group("num"))
    if m.group("mag"):
        value *= MAGNITUDES[m.group("mag").lower()]
    if m.group("cur"):
        currency = _CURRENCY[m.group("cur").upper()]
    else:
        suf = m.group("suf").upper()
        currency = "EUR" if suf.startswith(("EUR", "EURO")) else "USD"
    return value, currency, m.end()


def check_conversion(
    value: float, unit: str, conv_value: float, conv_unit: str, published: dt.date | None
) -> tuple[bool, float | None]:
    """(consistent, implied rate in `unit` per `conv_unit`) for an amount and its conversion.

    An amount that is not money (an area "converted" into dollars) is never consistent.
    A currency pair with no known band is reported consistent (nothing to check against).
    """
    if unit not in CURRENCIES or conv_value <= 0:
        return False, None
    rate = value / conv_value
    if unit == "USD" and conv_unit == "CNY":  # 1.2亿美元（约合8.6亿元）: yuan per dollar
        low, high = _cny_band(published)
        return low <= conv_value / value <= high if value > 0 else False, rate
    if conv_unit != "USD":
        return True, rate
    low, high = _cny_band(published) if unit == "CNY" else _PER_USD.get(unit, (0.0, float("inf")))
    return low <= rate <= high, rate
