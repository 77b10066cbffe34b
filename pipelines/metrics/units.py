"""Units: currency signs and names (ISO 4217), percent, times and physical units."""

from __future__ import annotations

import functools
import re

from .hints import first_chars

#: Money in every currency the region trades in, by ISO 4217 code: (words written after the
#: number, signs and codes written before it). A small vocabulary rather than a currency
#: package: ISO's names ("Yuan Renminbi", "Yen") are not how news write money, and signs such
#: as "A$", "$US" or "RM" are not in ISO 4217 at all. Codes are matched in upper case only.
CURRENCY_VOCABULARY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "USD": ((r"(?:U\.?S\.?|American)\s+dollars?", r"US\s+dollars?", r"dollars?"),
            ("U.S.$", "US$", "$US", "USD", "$")),
    "CNY": ((r"(?:Chinese\s+)?yuan(?:\s+renminbi)?", r"renminbi", r"RMB"),
            ("CN¥", "RMB", "Rmb", "CNY", "¥")),
    "EUR": ((r"euros?", "€"), ("€", "EUR")),
    "GBP": ((r"(?:British\s+)?pounds?(?:\s+sterling)?(?![-\s](?:feet|foot|force))",
             r"sterling", "£"), ("£", "GBP")),
    "JPY": ((r"(?:Japanese\s+)?yen",), ("JP¥", "JPY")),
    "KRW": ((r"(?:South\s+)?Korean\s+won",), ("₩", "KRW")),  # a bare "won" is the verb
    "RUB": ((r"(?:Russian\s+)?r(?:o)?ubles?", "₽"), ("₽", "RUB")),
    "HKD": ((r"(?:Hong\s+Kong|HK)\s+dollars?",), ("HK$", "HKD")),
    "AUD": ((r"Australian\s+dollars?",), ("AU$", "A$", "$A", "AUD")),
    "CAD": ((r"Canadian\s+dollars?",), ("CA$", "C$", "CAD")),
    "SGD": ((r"Singapore(?:an)?\s+dollars?",), ("SG$", "S$", "SGD")),
    "TWD": ((r"(?:New\s+)?Taiwan(?:ese)?\s+dollars?",), ("NT$", "TWD")),
    "NZD": ((r"New\s+Zealand\s+dollars?",), ("NZ$", "NZD")),
    "INR": ((r"(?:Indian\s+)?rupees?", "₹"), ("₹", "Rs.", "Rs", "INR")),
    "CHF": ((r"Swiss\s+francs?",), ("CHF",)),
    "MYR": ((r"(?:Malaysian\s+)?ringgit",), ("RM", "MYR")),
    "ILS": ((r"(?:Israeli\s+)?(?:new\s+)?shekels?", r"(?-i:NIS)"), ("₪", "NIS", "ILS")),
    "THB": ((r"(?:Thai\s+)?baht",), ("฿", "THB")),
    "KZT": ((r"(?:Kazakh(?:stani)?\s+)?tenge",), ("₸", "KZT")),
    "MNT": ((r"(?:Mongolian\s+)?tugriks?",), ("₮", "MNT")),
    "VND": ((r"Vietnamese\s+dong",), ("₫", "VND")),
    "BRL": ((r"(?:Brazilian\s+)?reais", r"Brazilian\s+reals?"), ("R$", "BRL")),
    "MXN": ((r"Mexican\s+pesos?",), ("MX$", "MXN")),
    "PHP": ((r"Philippine\s+pesos?",), ("₱", "PHP")),
    "ZAR": ((r"(?:South\s+African\s+)?rand",), ("ZAR",)),
    "SEK": ((r"Swedish\s+(?:kron(?:a|or)|crowns?)",), ("SEK",)),
    "NOK": ((r"Norwegian\s+(?:kron(?:e|er)|crowns?)",), ("NOK",)),
    "DKK": ((r"Danish\s+(?:kron(?:e|er)|crowns?)",), ("DKK",)),
    "CZK": ((r"Czech\s+(?:korun(?:a|y)|crowns?)",), ("CZK",)),
    "TRY": ((r"(?:Turkish\s+)?liras?",), ("₺", "TRY")),
    "AED": ((r"(?:UAE\s+|Emirati\s+)?dirhams?",), ("AED",)),
    "SAR": ((r"(?:Saudi\s+)?riyals?",), ("SAR",)),
    "IDR": ((r"(?:Indonesian\s+)?rupiah",), ("Rp", "IDR")),
}
#: Units that are money (ISO 4217 codes).
CURRENCIES = frozenset(CURRENCY_VOCABULARY)
#: Every ISO code is also read as a word after the number ("5 million AUD"), upper case only.
_CODE_SUFFIXES = tuple((rf"(?-i:{code})\b", code) for code in sorted(CURRENCIES))

PREFIX_CURRENCY = {sign: code for code, (_, signs) in CURRENCY_VOCABULARY.items()
                   for sign in signs}
#: Currency written before the number: "$3 million", "US$1.2 billion", "RMB 5 billion",
#: "$US113 trillion", "A$2 billion", "RM5 million"; a sign starting with a letter must not
#: follow one ("FORM 5" is not ringgit).
PREFIX_CURRENCY_RE = re.compile(
    "(?:" + "|".join(
        ("(?<![A-Za-z])" if sign[0].isalpha() else "") + f"(?P<c{i}>{re.escape(sign)})"
        for i, sign in enumerate(sorted(PREFIX_CURRENCY, key=len, reverse=True))
    ) + r")[ \u00a0]?$"
)
_PREFIX_BY_GROUP = {f"c{i}": sign for i, sign in enumerate(
    sorted(PREFIX_CURRENCY, key=len, reverse=True))}
#: Signs ending in a letter may be glued to the digits: "RMB5bn", "$US113", "RM5".
GLUED_PREFIXES = tuple(sorted({sign.lower() for sign in PREFIX_CURRENCY
                               if sign[-1].isalpha()}, key=len, reverse=True))
_LONGEST_PREFIX = max(map(len, PREFIX_CURRENCY)) + 1

#: Units of general news beyond the parks' own (speed, temperature, data, frequency, length,
#: mass, volume, power, index points), so "30 yards" is a length, not a count of 30. Tried
#: before km / m2 / kw, which they start like ("km/h").
PHYSICAL_UNITS: list[tuple[str, str, str | None]] = [
    (r"miles?[ -]per[ -]hour\b|mph\b", "mph", None),
    (r"kilomet(?:er|re)s?[ -]per[ -]hour\b|km/h\b|kph\b|kmh\b", "kmh", None),
    (r"degrees?\s+(?:Celsius|centigrade|C\b)|°\s?C\b|℃|degC\b|deg\s?C\b", "celsius", None),
    (r"degrees?\s+(?:Fahrenheit|F\b)|°\s?F\b|℉|degF\b|deg\s?F\b|Fahrenheit\b", "fahrenheit",
     None),
    (r"degrees?\b", "degree", None),
    (r"basis[ -]points?\b|(?-i:bps)\b", "bp", None),
    (r"miles?[ -]per[ -]gallon\b|mpg\b", "mpg", None),
    (r"(?-i:GB)\b|gigabytes?\b", "gb", None),
    (r"(?-i:TB)\b|terabytes?\b", "tb", None),
    (r"(?-i:MB)\b|megabytes?\b", "mb", None),
    (r"(?-i:Mbps|mbps|Mb/s)\b", "mbps", None),
    (r"(?-i:Gbps|gbps|Gb/s)\b", "gbps", None),
    (r"(?-i:GHz|Ghz|ghz)\b|gigahertz\b", "ghz", None),
    (r"(?-i:MHz|Mhz|mhz)\b|megahertz\b", "mhz", None),
    (r"(?-i:kHz|KHz|khz)\b|kilohertz\b", "khz", None),
    (r"(?-i:Hz)\b|hertz\b", "hz", None),
    (r"rpm\b|revolutions per minute\b", "rpm", None),
    (r"(?:brake\s+)?horsepower\b|b?hp\b", "hp", None),
    (r"miles?\b", "mile", None),
    (r"yards?\b|yds?\b", "yard", None),
    (r"feet\b|foot\b|(?-i:ft)\b", "foot", None),
    (r"inch(?:es)?\b", "inch", None),
    (r"centimet(?:er|re)s?\b|(?-i:cm)\b", "cm", None),
    (r"millimet(?:er|re)s?\b|(?-i:mm)\b", "mm", None),
    (r"nanomet(?:er|re)s?\b|(?-i:nm)\b", "nm", None),
    (r"micromet(?:er|re)s?\b|microns?\b|μm", "um", None),
    (r"met(?:er|re)s?\b", "m", None),
    (r"(?-i:lbs?)\b", "lb", None),
    (r"ounces?\b|(?-i:oz)\b", "oz", None),
    (r"grams?\b|(?-i:g)\b", "g", None),
    (r"lit(?:er|re)s?\b|(?-i:l)\b", "liter", None),
    (r"gallons?\b", "gallon", None),
    (r"barrels?\b", "barrel", None),
    (r"watts?\b|(?-i:W)\b", "w", None),
    (r"points?\b|(?-i:pts?)\b", "point", None),
]

# (pattern, unit, basis) — order matters: longer phrases first.
_SUFFIXES: list[tuple[str, str, str | None]] = [
    (r"percentage[ -]points?|pct[ .]? points?|ppts?\b", "percent", "percentage-points"),
    (r"percent\b|per[ -]cent\b|pct\b|(?-i:pc)\b|%", "percent", None),
    (r"times\b|-?fold\b", "times", None),
    *[("|".join(w if len(w) == 1 and not w.isalnum() else w + r"\b" for w in words), code, None)
      for code, (words, _) in CURRENCY_VOCABULARY.items()],
    *[(pattern, code, None) for pattern, code in _CODE_SUFFIXES],
    *PHYSICAL_UNITS,
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
#: Short unit words that only count as units in lower case ("Mu" or "HA" are names).
_CASE_SENSITIVE = {"mu", "ha", "km", "kg", "m2", "m3", "sqm"}


_SKIP = " \u00a0-"


def _bucket_members() -> dict[str, tuple[int, ...]]:
    """For each first character, the units that can start with it (in their order): most
    numbers are followed by a word no unit starts like, and the others try a handful of
    units instead of the whole alternation (~10x cheaper)."""
    firsts = [first_chars(p, re.IGNORECASE) for p, _, _ in _SUFFIXES]
    chars = set().union(*(f for f in firsts if f is not None))
    return {ch: tuple(i for i, f in enumerate(firsts) if f is None or ch in f) for ch in chars}


_BUCKET_MEMBERS = _bucket_members()


@functools.cache
def _bucket(members: tuple[int, ...]) -> re.Pattern[str]:
    """The alternation of these units, compiled on first use."""
    return re.compile(r"[ \u00a0-]*(?:" + "|".join(
        f"(?P<u{i}>{_SUFFIXES[i][0]})" for i in members) + ")", re.IGNORECASE)


def match_suffix_unit(text: str, pos: int) -> tuple[str, str | None, int] | None:
    """The unit written at text[pos:] as (unit, basis, end), or None."""
    i = pos
    while text[i:i + 1] and text[i] in _SKIP:
        i += 1
    members = _BUCKET_MEMBERS.get(text[i:i + 1].lower())
    if members is None:
        return None
    match = _bucket(members).match(text, pos)
    if not match:
        return None
    group = match.lastgroup  # "u<i>": the branch that matched
    _, unit, basis = _SUFFIXES[int(group[1:])]
    word = match.group(group)
    if word.lower() in _CASE_SENSITIVE and word != word.lower():
        return None  # "Mu", "KM" as names; units are written in lower case here
    return unit, basis, match.end()


_SIGNS = tuple(sorted(PREFIX_CURRENCY, key=len, reverse=True))


def match_prefix_currency(left: str) -> tuple[str, int] | None:
    """A currency sign ending the text before a number, as (ISO code, length); the same
    reading as PREFIX_CURRENCY_RE, with str.endswith (the regex is ~100x slower here)."""
    space = 1 if left[-1:] in (" ", "\u00a0") else 0
    core = left[:len(left) - space] if space else left
    if not core.endswith(_SIGNS):
        return None
    for sign in _SIGNS:
        if core.endswith(sign):
            before = core[-len(sign) - 1:-len(sign)]
            if sign[0].isalpha() and before.isascii() and before.isalpha():
                continue  # "FORM 5" is not ringgit
            return PREFIX_CURRENCY[sign], len(sign) + space
    return None


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


#: Every unit the extractors store: what `canonical_unit` maps to, plus a bare count.
KNOWN_UNITS = frozenset({"count", *CURRENCIES, *(unit for _, unit, _ in _SUFFIXES)})
