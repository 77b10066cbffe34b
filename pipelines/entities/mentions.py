"""Where an article names a place or zone: gazetteer aliases (longest first), zone patterns
("X经济技术开发区", "X Industrial Park" → provisional entities), generic forms and anaphora
("开发区", "该区", "the zone", "the two places"), and combined subjects ("X and Y")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .gazetteer import ZONE_KINDS, Gazetteer
from .names import group_id, place_key, provisional_id

#: What an anaphor or generic form points at: about (the article's zone), zone (the zone named
#: last, else the article's), a kind (the last of that kind), two (the last two named).
_ANAPHORA_ZH = {
    "全区": "about", "本区": "about", "我区": "about", "区内": "about", "该区": "zone",
    "该园区": "zone", "园区": "zone", "开发区": "zone", "该开发区": "zone", "经开区": "etdz",
    "高新区": "htz", "新区": "new_area", "综保区": "bonded_zone", "综合保税区": "bonded_zone",
    "自贸区": "ftz", "自贸试验区": "ftz", "片区": "ftz_area", "全市": "city", "我市": "city",
    "全省": "province", "我省": "province", "两区": "two", "两地": "two", "两个园区": "two",
}
_ANAPHORA_EN = {
    "the zone": "zone", "the park": "zone", "the development zone": "zone",
    "the industrial park": "zone", "the economic development zone": "etdz",
    "the high-tech zone": "htz", "the hi-tech zone": "htz", "the new area": "new_area",
    "the bonded zone": "bonded_zone", "the free trade zone": "ftz", "the ftz": "ftz",
    "the pilot free trade zone": "ftz", "the area": "ftz_area", "the district": "district",
    "the city": "city", "the province": "province", "the two places": "two",
    "the two zones": "two", "the two parks": "two", "the two areas": "two",
    "the two districts": "two", "both zones": "two", "both parks": "two", "both places": "two",
}
#: Characters that end the place part of a Chinese zone name when read backwards.
_STOP_ZH = set("的在于从到与和及、是了为对将把被由向据至等共各该本全让使给跟往进入赴走近来去"
               "这那其我你他她它们个年月日度省市县")
#: A city or county right before a zone's own words: 密山市 in 密山市绿色食品产业园.
_CITY_BEFORE_RE = re.compile(r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[的在于从到与和及是了为对将据]))"
                             r"(?P<place>[\u4e00-\u9fff]{2,3})[市县]$")
_PLACE_KINDS = frozenset({"city", "county", "district"})
_CONNECTOR_RE = re.compile(r"^\s*(?:和|及|以及|、|and|&)\s*$")
_LEADING_EN = {"The", "In", "At", "Last", "This", "During", "Meanwhile", "Moreover", "Also",
               "And", "But", "By", "From", "Among", "Its", "Their", "For", "With", "On", "As"}
_CJK = "\u4e00-\u9fff"


@dataclass(frozen=True)
class Mention:
    """A name in the text: an entity (named or provisional) or an anaphor still to resolve."""

    start: int
    end: int
    text: str
    entity_id: str | None  # None for an anaphor
    kind: str | None
    role: str  # name | provisional | anaphor | group
    points_to: str | None = None  # an anaphor's target rule (see _ANAPHORA_ZH)
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Patterns:
    zh_alias: re.Pattern[str]
    en_alias: re.Pattern[str]
    zh_form: re.Pattern[str]
    en_form: re.Pattern[str]
    zh_anaphor: re.Pattern[str]
    en_anaphor: re.Pattern[str]
    form_kind_zh: dict[str, str]
    form_kind_en: dict[str, str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _patterns(gazetteer: Gazetteer) -> _Patterns:
    form_kind_zh: dict[str, str] = {}
    form_kind_en: dict[str, str] = {}
    for kind, zone_type in gazetteer.types.items():
        if kind not in ZONE_KINDS:
            continue
        for form in zone_type.forms_zh:
            form_kind_zh.setdefault(form, kind)
        for form in zone_type.forms_en:
            form_kind_en.setdefault(form.casefold(), kind)
    form_kind_zh.pop("片区", None)  # 片区 alone is too common a word; FTZ areas are listed
    form_kind_en.pop("area", None)
    return _Patterns(
        zh_alias=re.compile(_alt(list(gazetteer.zh))),
        en_alias=re.compile(
            rf"(?<![A-Za-z0-9-])(?:{_alt(list(gazetteer.en))})(?![A-Za-z0-9-])", re.I),
        zh_form=re.compile(_alt(list(form_kind_zh))),
        en_form=re.compile(
            rf"(?P<place>(?-i:(?:[A-Z][\w'’-]*\s+){{1,4}}?))(?P<form>{_alt(list(form_kind_en))})"
            r"(?![A-Za-z0-9-])", re.I),
        zh_anaphor=re.compile(_alt(list(_ANAPHORA_ZH))),
        en_anaphor=re.compile(rf"\b(?:{_alt(list(_ANAPHORA_EN))})\b", re.I),
        form_kind_zh=form_kind_zh,
        form_kind_en=form_kind_en,
    )


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in taken)


def _zh_place(text: str, form_start: int, gazetteer: Gazetteer,
              taken: list[tuple[int, int]]) -> tuple[int, str]:
    """(start, place) of the place part before a Chinese zone form: the longest known place
    ending there, else the run of characters back to a stop character or an earlier name
    (2-4 kept)."""
    lo = max([0, form_start - 8, *(b for _, b in taken if b <= form_start)])
    for n in range(min(6, form_start - lo), 1, -1):
        candidate = text[form_start - n:form_start]
        if candidate in gazetteer.places_zh:
            return form_start - n, candidate
    i = form_start
    while i > lo and re.match(f"[{_CJK}]", text[i - 1]) and text[i - 1] not in _STOP_ZH:
        i -= 1
    run = text[i:form_start]
    if len(run) > 4:
        run = run[-2:]
    city = _CITY_BEFORE_RE.search(text, max(lo, i - 6), i) if i > lo else None
    if city is not None:  # 密山市绿色食品产业园: the city is part of the park's name
        return city.start(), city.group("place") + run
    return form_start - len(run), run


def _english_name_ok(text: str, start: int) -> bool:
    """A matched English alias must start with a capital (names), or be an abbreviation."""
    return text[start].isupper() or text[start].isdigit()


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Every mention in the text, in order, none overlapping another."""
    p = _patterns(gazetteer)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(m: Mention) -> None:
        found.append(m)
        taken.append((m.start, m.end))

    for m in p.zh_alias.finditer(text):
        eid = gazetteer.zh[m.group(0)]
        add(Mention(m.start(), m.end(), m.group(0), eid, gazetteer.entities[eid].kind, "name"))
    for m in p.en_alias.finditer(text):
        if _free(taken, m.start(), m.end()) and _english_name_ok(text, m.start()):
            eid = gazetteer.en[m.group(0).casefold()]
            add(Mention(m.start(), m.end(), m.group(0), eid, gazetteer.entities[eid].kind,
                        "name"))
    _zone_patterns(text, gazetteer, p, found, taken)
    _anaphora(text, p, found, taken)
    found.sort(key=lambda m: m.start)
    return _groups(text, _parks_inside_zones(found))


def _zone_patterns(text: str, gazetteer: Gazetteer, p: _Patterns, found: list[Mention],
                   taken: list[tuple[int, int]]) -> None:
    """Names of a zone's shape the aliases did not cover: provisional entities."""
    for m in p.zh_form.finditer(text):
        if not _free(taken, m.start(), m.end()):
            continue
        city = next((c for c in found if c.end == m.start() and c.kind in _PLACE_KINDS), None)
        if city is not None and city.entity_id:  # 哈尔滨市 + 经开区: the city's own zone
            kind = p.form_kind_zh[m.group(0)]
            place = gazetteer.entities[city.entity_id].place_zh or city.text
            known = _known(gazetteer, kind, place)
            found.remove(city)
            taken.remove((city.start, city.end))
            found.append(Mention(city.start, m.end(), text[city.start:m.end()],
                                 known or provisional_id(kind, place), kind,
                                 "name" if known else "provisional"))
            taken.append((city.start, m.end()))
            continue
        start, place = _zh_place(text, m.start(), gazetteer, taken)
        if len(place) < 2:
            continue  # a generic form: an anaphor (below)
        kind = p.form_kind_zh[m.group(0)]
        eid = _known(gazetteer, kind, place) or provisional_id(kind, place)
        found.append(Mention(start, m.end(), text[start:m.end()], eid, kind, "provisional"))
        taken.append((start, m.end()))
    for m in p.en_form.finditer(text):
        words = m.group("place").split()
        while words and words[0] in _LEADING_EN:
            words.pop(0)
        if not words or not all(w[0].isupper() for w in words):
            continue
        start = text.rfind(words[0], m.start(), m.end("place"))
        if not _free(taken, start, m.end()):
            continue
        kind = p.form_kind_en[m.group("form").casefold()]
        place = " ".join(words)
        eid = _known(gazetteer, kind, place) or provisional_id(kind, place)
        found.append(Mention(start, m.end(), text[start:m.end()], eid, kind, "provisional"))
        taken.append((start, m.end()))


def _known(gazetteer: Gazetteer, kind: str, place: str) -> str | None:
    return gazetteer.by_place.get((kind, place_key(place)))


def _anaphora(text: str, p: _Patterns, found: list[Mention],
              taken: list[tuple[int, int]]) -> None:
    for m in p.zh_anaphor.finditer(text):
        if _free(taken, m.start(), m.end()):
            found.append(Mention(m.start(), m.end(), m.group(0), None, None, "anaphor",
                                 _ANAPHORA_ZH[m.group(0)]))
            taken.append((m.start(), m.end()))
    for m in p.en_anaphor.finditer(text):
        if _free(taken, m.start(), m.end()):
            found.append(Mention(m.start(), m.end(), m.group(0), None, None, "anaphor",
                                 _ANAPHORA_EN[m.group(0).lower()]))
            taken.append((m.start(), m.end()))


def _parks_inside_zones(found: list[Mention]) -> list[Mention]:
    """A park named right after its zone (滨北经开区 + 数字经济产业园) is one mention, the
    park's, with an id under its zone."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is not None and m.role == "provisional" and m.kind == "park" \
                and prev.end == m.start and prev.entity_id and prev.kind in ZONE_KINDS:
            place = m.text.rstrip()
            eid = provisional_id("park", _strip_form(place), prev.entity_id)
            out[-1] = Mention(prev.start, m.end, prev.text + m.text, eid, "park", "provisional")
            continue
        out.append(m)
    return out


def _strip_form(name: str) -> str:
    return re.sub(r"(?:工业园区|产业园区|产业园|工业园|Industrial Park|Industry Park)$", "",
                  name).strip()


def _groups(text: str, found: list[Mention]) -> list[Mention]:
    """"X和Y", "X and Y": two named entities joined by a connector are one combined subject."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is not None and prev.entity_id and m.entity_id and prev.role != "anaphor" \
                and m.role != "anaphor" and prev.entity_id != m.entity_id \
                and _CONNECTOR_RE.match(text[prev.end:m.start]):
            members = (*(prev.members or (prev.entity_id,)), m.entity_id)
            out[-1] = Mention(prev.start, m.end, text[prev.start:m.end], group_id(list(members)),
                              "group", "group", members=members)
            continue
        out.append(m)
    return out
