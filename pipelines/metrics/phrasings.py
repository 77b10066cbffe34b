"""Phrasing families: qualifiers, change verbs, shares, deltas, bases and non-fact guards.

Each family is one table or pattern; its examples live in tests/metrics/test_metrics_phrasings.py.
"Left" patterns are matched against the text just before a number (anchored at its end),
"right" patterns against the text just after the number and its unit.
"""

from __future__ import annotations

import re

from .facts import Qualifier
from .hints import Prefilter

# -- qualifiers: "more than 500", "about 3,000", "300-plus" ---------------------------------
QUALIFIERS_BEFORE: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.AT_LEAST: ("at least", "no less than", "not less than", "no fewer than",
                         "not fewer than", "a minimum of"),
    Qualifier.AT_MOST: ("at most", "no more than", "not more than", "up to", "a maximum of",
                        "capped at", "not exceeding", "no higher than", "as many as",
                        "as much as", "as high as"),
    Qualifier.MORE_THAN: ("more than", "over", "exceed", "exceeds", "exceeded", "exceeding",
                          "above", "in excess of", "topped", "tops", "surpass", "surpassed",
                          "surpassing", "surpasses", "upwards of", "beyond", "passed", "broke"),
    Qualifier.LESS_THAN: ("less than", "fewer than", "under", "below", "lower than", "short of"),
    Qualifier.APPROX: ("about", "around", "nearly", "some", "roughly", "approximately", "approx",
                       "approx.", "almost", "close to", "an estimated", "estimated", "circa",
                       "approaching", "nearing", "just over", "just under", "more or less"),
}
_QUALIFIER_OF = {phrase: q.value for q, phrases in QUALIFIERS_BEFORE.items()
                 for phrase in phrases}


def qualifier_before(left: str) -> str | None:
    """The qualifier phrase ending the text before a number ("no more than" → at_most)."""
    words = left.lower().split()[-3:]
    for n in (3, 2, 1):
        if len(words) >= n:
            phrase = " ".join(words[-n:]).lstrip("($,")
            if phrase in _QUALIFIER_OF:
                return _QUALIFIER_OF[phrase]
    return None


QUALIFIER_AFTER_RE = re.compile(
    r"(?:-?plus\b|\+(?!\d)|(?:\s+[a-z][\w-]*){0,3}?\s+or (?P<more>more|above)\b|\s+or so\b)",
    re.IGNORECASE,
)

# -- filler allowed between a trigger word and its number ----------------------------------
_FILLER = (
    r"(?:\s+(?:by|of|at|a|an|the|some|nearly|about|around|almost|roughly|approximately"
    r"|more\s+than|over|at\s+least|less\s+than|as\s+much\s+as|a\s+total\s+of|year[- ]on[- ]year"
    r"|year\s+over\s+year|month[- ]on[- ]month|yoy|y-o-y|slightly|sharply|significantly"
    r"|respectively|further|again|strongly|steadily|another|just|between"
    r"|annual(?:ized)?|average|yearly|(?:rate|pace)\s+of))*"  # grew at an annual rate of
)

# -- changes: "up 6.5 percent", "a decrease of 4.5 percent", "17.6 points higher" ----------
#: The change verbs: each a regex fragment, read case-insensitively.
RISE_WORDS = (
    "up", r"increase[ds]?", "increasing", "rose", r"rise[ns]?", "rising", "grew",
    r"grow(?:n|s|th|ing)?", r"gain(?:ed|s)?", r"jump(?:ed|s)?", r"surge[ds]?",
    r"climb(?:ed|s)?", r"expand(?:ed|s)?", "expansion", r"soar(?:ed|s)?", r"boost(?:ed)?",
    r"advance[ds]?", r"accelerat(?:ed|ion)", r"leap(?:ed|t)?", r"hike[ds]?", "picked up",
)
FALL_WORDS = (
    "down", "fell", r"fall(?:s|en|ing)?", r"decrease[ds]?", "decreasing",
    r"declin(?:e|ed|es|ing)", r"drop(?:ped|s)?", "slid", "slide", r"slipp?(?:ed)?",
    r"reduc(?:ed|tion|ing)", r"shr[au]nk", r"shrink(?:s|ing)?", r"plung(?:e|ed)",
    r"dipp?(?:ed)?", r"contract(?:ed|ion)", "lost", "cut", "negative growth",
)
#: Guarded by the stems one of which every match holds (a `str` test is ~10x cheaper than
#: the end-anchored search, which tries the whole alternation at every position).
CHANGE_BEFORE_RE = Prefilter.from_vocabulary(
    r"\b(?<!made )(?<!make )(?<!makes )(?<!making )(?:(?P<fall>{fall})|(?P<rise>{rise}))"
    + _FILLER.replace("{", "{{").replace("}", "}}") + r"\s*$",
    re.IGNORECASE, fall=FALL_WORDS, rise=RISE_WORDS)
CHANGE_AFTER_RE = re.compile(
    r"^\s*(?:(?P<rise>higher|faster|more|up|increase|growth|year[- ]on[- ]year|yoy|y-o-y"
    r"|month[- ]on[- ]month)|(?P<fall>lower|slower|less|down|decrease|decline))\b",
    re.IGNORECASE,
)

# -- shares: "accounting for one-fifth of", "35 percent of the city's total" --------------
SHARE_WORDS = (
    r"account(?:s|ed|ing)?\s+for", r"make\s+up", r"makes\s+up", r"making\s+up", r"made\s+up",
    r"represent(?:s|ed|ing)?", r"equal(?:s|led|ed)?\s+to", r"equivalent\s+to", "comprising",
    r"comprise[sd]?", r"constitut\w*", r"contribut\w*", " or", r"share\s+of",
    r"proportion\s+of",
)
SHARE_BEFORE_RE = Prefilter.from_vocabulary(
    r"\b(?:{share})" + _FILLER.replace("{", "{{").replace("}", "}}") + r"\s*$",
    re.IGNORECASE, share=SHARE_WORDS)
SHARE_AFTER_RE = re.compile(
    r"^\s+of\s+(?!(?:the\s+)?(?:same|previous|last|a\s+year|its\s+kind)\b)", re.IGNORECASE
)
SHARE_WORD_RE = Prefilter.from_vocabulary(r"\b(?:{words})\b", re.IGNORECASE,
                                          words=("proportion", "share", "ratio"))
SHARE_OF_RE = re.compile(
    r"^\s+of\s+(?P<of>[\w'’&-]+(?:\s+(?!(?:and|which|setting|in|to|while|that|as|are|is|were"
    r"|was|have|has|had|will|can|could|may|must|should|would|be)\b)"
    r"[\w'’&-]+){0,7})",
    re.IGNORECASE,
)

# -- deltas: "added 30", "two new", "another three", "were added" ------------------------
DELTA_WORDS = (
    "added", "adding", r"adds?", r"newly(?:\s+[a-z]+)?", "another", r"an?\s+additional",
    "additional", r"a\s+further", r"(?:an?\s+)?increase\s+of", r"increased\s+by",
    r"net\s+increase\s+of",
)
DELTA_BEFORE_RE = Prefilter.from_vocabulary(
    r"\b(?:{delta})" + _FILLER.replace("{", "{{").replace("}", "}}") + r"\s*$",
    re.IGNORECASE, delta=DELTA_WORDS)
DELTA_AFTER_RE = re.compile(r"^[\s-]+(?:new|more(?!\s+than)|additional|newly)\b", re.IGNORECASE)
DELTA_CLAUSE_RE = re.compile(
    r"^[^,;.]{0,120}?\b(?:were|was|have\s+been|has\s+been|had\s+been|are|is|will\s+be)\s+"
    r"(?:newly\b|added\b|created\b)",
    re.IGNORECASE,
)
#: A delta that measures the level before it: "totaled 5,600, an increase of 800".
DELTA_OF_LEVEL_RE = re.compile(
    r",\s*(?:an?\s+)?(?:increase|rise|gain|growth|decrease|drop|decline|reduction)\s+of\s*$"
    r"|,\s*(?:up|down)\s+(?:by\s+)?$",
    re.IGNORECASE,
)

# -- number lists: "3, 4 and 5 billion yuan", "between 3 and 5 percent", "9.1 and 14.3 percent"
#: The gap between a bare number and the next figure whose unit it shares (lower-cased text).
NUMBER_LIST_GAP_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|,?\s*(?P<and>and)\s+|,?\s*or\s+|to\s+)")
BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s+$")
#: The gap of a range whose ends both carry the unit: "$3 to $5 billion", "$10-$15 billion".
RANGE_TO_GAP_RE = re.compile(r"\s*(?:to|-|–|and)\s*(?=\S)")
#: The gap between two figures of one unit that share a kind: "grew 12 percent and 8 percent".
KIND_LIST_GAP_RE = re.compile(r"^\s*(?:,\s*(?:and\s+)?|,?\s*(?:and|or)\s+|[-–~]\s*)$")

# -- growth as the subject: "the growth rate was 5.2 percent", "growth in X was -2.3 percent"
GROWTH_SUBJECT_RE = re.compile(
    r"\s*(?:[\w'’-]+\s+){0,4}?(?:growth|growth\s+rate|rate\s+of\s+growth|growth\s+rates)"
    r"(?:\s+(?:in|of|for|at)\s+(?:[\w'’&-]+\s+){0,5}?)?\s*(?:was|were|is|are|stood\s+at"
    r"|came\s+(?:in\s+)?at|reached|hit|will\s+be|(?:is\s+|are\s+)?(?:expected|projected"
    r"|forecast|set|targeted)\s+(?:to\s+be|at))(?:\s+(?:between|about|around|at|only|just"
    r"|nearly|roughly|some))?\s*$",
    re.IGNORECASE,
)

# -- periods relative to the figure ------------------------------------------------------
#: A baseline dated a year before the current period: "3.9 billion yuan a year ago".
YEAR_AGO_AFTER_RE = re.compile(
    r"\s+(?:a\s+year\s+(?:ago|earlier|before)|(?:in\s+)?the\s+(?:previous|prior)\s+year"
    r"|(?:in\s+)?the\s+same\s+period\s+(?:of\s+)?last\s+year)\b"
)
#: A percent after a change that is its baseline: "grew 5.2 percent, compared with 4.9 percent
#: a year earlier", "up from 4.9 percent" — the earlier figure is a change too.
BASELINE_CHANGE_GAP_RE = re.compile(
    r"^[^;]{0,30}?(?:,\s*|\s+)(?:(?:up|down)\s+)?(?:compared\s+(?:with|to)|versus|vs\.?|against"
    r"|from)\s+(?:about\s+|around\s+|nearly\s+)?$", re.IGNORECASE)

#: A present-tense marker: a figure after it is not dated by an earlier period ("today").
PRESENT_RE = Prefilter.from_vocabulary(
    r"\b(?:{words})\b",
    words=("today", "now", "currently", r"at\s+present", "presently", "nowadays"))

# -- list continuation: "added 10 X, one Y, six Z and 11 W" keeps the first kind ----------
LIST_GAP_RE = re.compile(r"^[\s\w'’&()/-]{0,90}?(?:,\s*(?:and\s+)?|\s+and\s+)$")
LIST_BREAK_RE = re.compile(
    r"\b(?:was|were|is|are|has|have|had|reach\w*|with|which|account\w*|including|bring\w*"
    r"|to|of|in|up|down|rose|fell|while|but)\b",
    re.IGNORECASE,
)

# -- comparison bases: masked from period detection ---------------------------------------
_CMP = r"(?:from|than|over|compared\s+(?:with|to)|against|versus|vs\.?)"
#: Matched against the lower-cased text (no IGNORECASE: much faster on long text).
BASIS_RE = re.compile(
    r"\b(?=[a-z])(?:(?P<yoy>year[- ]on[- ]year|year\s+over\s+year|y-o-y|\byoy\b"
    rf"|\b{_CMP}\s+(?:a\s+year\s+(?:earlier|ago|before)"
    r"|(?:that\s+of\s+)?(?:the\s+)?(?:previous|last|prior|preceding)\s+year"
    r"|(?:the\s+)?same\s+(?:period|time|quarter|month)\s+(?:(?:of|in)\s+)?"
    r"(?:(?:the\s+)?(?:last|previous|prior)\s+year|a\s+year\s+(?:earlier|ago)|(?:19|20)\d\d)"
    r"|(?:the\s+)?same\s+period))"
    rf"|(?P<mom>month[- ]on[- ]month|m-o-m|\b{_CMP}\s+(?:a\s+month\s+(?:earlier|ago|before)"
    r"|(?:the\s+)?(?:previous|last|prior|preceding)\s+month))"
    rf"|(?P<qoq>quarter[- ]on[- ]quarter|q-o-q|\b{_CMP}\s+(?:a\s+quarter\s+(?:earlier|ago)"
    r"|the\s+(?:previous|last|prior|preceding|first|second|third)\s+quarter))"
    rf"|(?P<vs>(?:\b{_CMP}\s+(?:in\s+|that\s+(?:of|in)\s+)?|\b(?:double|twice|triple)\s+"
    r"(?:the\s+|its\s+|that\s+of\s+)?)(?P<vy>(?:19|20)\d\d)\b(?!\s*(?:to|and)\b)))"
)

# -- non-fact guards ------------------------------------------------------------------------
#: A label word right before the number: "No. 1", "Line 2", "Building 3", "Boeing 737", "top 10".
LABEL_WORDS = frozenset(
    "No Nos Number Line Building Bldg Room Floor Gate Exit Hall Phase Article Block Tower Unit "
    "Highway Route Lot Platform Terminal Chapter Section Item Boeing Airbus Fortune Global top "
    "Top Class Grade Type Model Version Booth Pier Berth Metro Bus Flight Window Level Volume "
    "Vol Page Case per aged age rank ranked number No.".split()
)
MONTH_WORDS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december".split()
)
RANGE_WORDS = frozenset({"to", "and", "-", "–", "through", "till", "until"})
#: Capitalised words allowed right before a number (currencies, sentence openers).
ALLOWED_CAPITALISED = frozenset({"RMB", "CNY", "USD", "EUR", "HKD", "GBP", "JPY", "Another",
                                 "About", "Around", "Nearly", "Some", "Over", "Almost", "The",
                                 "In", "By", "Roughly", "Approximately", "Only", "Just", "Up",
                                 "Additionally", "Meanwhile", "Moreover", "And", "US", "A",
                                 "Exactly", "Altogether", "Totally", "Overall", "Still", "Also",
                                 "Further", "Furthermore", "Besides", "Those",
                                 "These", "All", "Each", "Every", "Its", "Their", "Of", "With",
                                 "For", "From", "At", "On", "Between", "Since", "During",
                                 "After", "Before", "Until", "As", "Last", "This", "Currently",
                                 "Today", "Now", "So", "Yet", "But", "Already", "Among",
                                 "Together", "Combined", "Collectively", "Under", "Below",
                                 "Above", "Beyond", "Upwards", "Down", "Nationwide", "Then",
                                 "Here", "There", "Well", "Close", "Fully"})


def is_label_or_date(left: str, at_sentence_start: bool) -> bool:
    """True when the words before a number make it a label, name or date, not a measure:
    "No. 1", "Highway 102", "Boeing 737", "March 15", "Sept 20 to 23"."""
    words = left.split()[-3:]
    if not words:
        return False
    last = words[-1]
    bare = last.rstrip(".").lower()
    if last in LABEL_WORDS or last.rstrip(".") in LABEL_WORDS or bare in MONTH_WORDS:
        return True
    if len(words) >= 3 and words[-1] in RANGE_WORDS and words[-2].isdigit() \
            and words[-3].rstrip(".").lower() in MONTH_WORDS:
        return True
    if last[0].islower() and not last.islower() \
            or last[0].isupper() and ("&" in last or "/" in last):
        return True  # a name: "S&P 500", "S&P/ASX 200", "iPhone 14"
    if last[0].isupper() and last.isalpha() and last not in ALLOWED_CAPITALISED:
        return not (at_sentence_start and len(words) == 1)
    return False


STREET_AFTER_RE = re.compile(
    r"^\s+(?:[A-Z][\w'’-]*\s+){1,3}(?:Avenue|Road|Street|Boulevard|Lane|Rd|St|Ave|Highway|Dadao"
    r"|Lu|Jie|Alley|Hutong|Square|Plaza|Way|Drive)\b"
)
TIME_AFTER_RE = re.compile(
    r"^[\s-]+(?:(?:more|consecutive|straight|full|working|calendar|successive)\s+)?"
    r"(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)"
    r"|a\.m\.|p\.m\.|am|pm|o'clock|years?-old)\b",
    re.IGNORECASE,
)
DETERMINER_BEFORE_RE = re.compile(
    r"\b(?:the|these|those|both|all|its|their|our|his|her|my|each|every|no|any|which)\s+$",
    re.IGNORECASE,
)
ONE_AFTER_RE = re.compile(r"^(?:\s+(?:of|another|by|and\s+only|day)\b|-(?!\w+-)(?!"
                          r"(?:thousand|million|billion|trillion)\b))", re.IGNORECASE)
WORD_HYPHEN_AFTER_RE = re.compile(r"^-(?!(?:thousand|million|billion|trillion|plus|fold)\b)[a-z]",
                                  re.IGNORECASE)
ORDINAL_BEFORE_FRACTION_RE = re.compile(
    r"\b(?:first|second|third|fourth|last|1st|2nd|3rd|4th|latter|former)\s+$", re.IGNORECASE
)
FRACTION_AFTER_RE = re.compile(r"^\s+(?:of\s+(?!(?:a\s+)?(?:year|century|month|day)\b)|an?\s+)",
                               re.IGNORECASE)
DATE_AFTER_RE = re.compile(
    r"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
    r"|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.IGNORECASE,
)
#: A phone-ish word right before the number: "call 12345", "hotline: 0451...", "Tel 8888".
PHONE_BEFORE_RE = Prefilter.from_vocabulary(
    r"\b(?:{words})\b[.:]?\s*(?:at\s+|on\s+)?$", re.IGNORECASE,
    words=("call", "dial", "hotline", "tel", "telephone", "phone", "fax", "mobile", "wechat",
           "qq"))
#: Phone numbers: "+86 10 6512 3456", "0451-8234 5678", "(0451) 82345678".
PHONE_RE = re.compile(  # every branch starts with a literal, so the scan is fast
    r"\+\d{1,3}(?:[ -]\(?\d{1,4}\)?){2,4}|\(0\d{2,3}\)[ -]?\d{3,4}[ -]?\d{4}\b"
    r"|0(?<!\w0)\d{2,3}[ -]?\d{3,4}[ -]?\d{4}\b"
)
