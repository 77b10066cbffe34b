"""Names across languages: the key of a place part (哈尔滨 and Harbin are both "harbin"), and
the id a zone gets when the gazetteer does not know it (its kind and that key)."""

from __future__ import annotations

import re
from functools import lru_cache

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_NOT_LETTER_RE = re.compile(r"[^a-z0-9]+")
_VOWEL_END = tuple("aeiou")


@lru_cache(maxsize=4096)
def place_key(place: str) -> str:
    """The place part of a name as lower-case Latin letters: Chinese by its pinyin (pypinyin),
    an 儿-like syllable 'er' after a vowel joined as 'r' the way English spellings do
    (哈尔滨 → harbin, 齐齐哈尔 → qiqihar), ü as u; English with spaces, hyphens and
    apostrophes dropped (Qing'an → qingan, 庆安 → qingan)."""
    if _CJK_RE.search(place):
        from pypinyin import Style, lazy_pinyin  # its phrase tables load in ~0.15 s: on use

        syllables = [s.lower().replace("ü", "u").replace("v", "u")
                     for s in lazy_pinyin(place, style=Style.NORMAL, errors="ignore")]
        out = ""
        for syllable in syllables:
            if syllable == "er" and out.endswith(_VOWEL_END):
                out += "r"
            else:
                out += syllable
        return _NOT_LETTER_RE.sub("", out)
    return _NOT_LETTER_RE.sub("", place.lower())


def provisional_id(kind: str, place: str, parent: str | None = None) -> str:
    """The id of a zone the gazetteer does not list: KIND:KEY, or KIND:PARENTSLUG-KEY for a
    park named inside its zone (滨北经开区数字经济产业园). The same zone named in English and
    in Chinese gets the same id when its English name spells the place in pinyin."""
    key = place_key(place) or "unnamed"
    if parent:
        return f"{kind}:{parent.split(':', 1)[-1]}-{key}"
    return f"{kind}:{key}"


def group_id(members: list[str]) -> str:
    """The id of a combined subject ("X and Y"): its members, sorted, joined by '+'."""
    return "group:" + "+".join(sorted(set(members)))
