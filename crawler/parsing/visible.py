"""Header lines a reader sees, in English and Chinese: the date line, the byline and the
breadcrumb — with the profile's own patterns first when it has them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from crawler.parsing.dates import date_at, written_date

MAX_HEADER_LINE = 240
DATE_LABEL = re.compile(
    r"(?:发布时间|发布日期|发表时间|发文日期|成文日期|更新时间|时间|日期|"
    r"\b(?:Updated|Published|Posted(?:\s+on)?|Date|Released|Publication date))\s*[:：]?\s*", re.I)
DATE_ONLY = re.compile(
    r"^\s*[\[【(（]?\s*(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+(?:19|20)\d{2}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+(?:19|20)\d{2})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?\s*$")
BYLINE = re.compile(
    r"^By\s*(?P<author>[^|()（）\d]{0,60}?)\s*"
    r"(?:[|｜]\s*(?P<source>[^|]{2,60}?)|[(（]\s*(?P<source2>[^()（）]{2,60}?)\s*[)）])?\s*$", re.I)
SOURCE_LINE = re.compile(r"^Source\s*[:：]\s*(?P<source>.{2,60}?)\s*$", re.I)
ZH_SOURCE = re.compile(r"(?:来源|稿源|信息来源|文章来源)\s*[:：]\s*(?P<source>[^\s　|｜]{2,40})")
ZH_AUTHOR = re.compile(r"(?<!责任)(?:作者|撰稿|记者)\s*[:：]\s*(?P<author>[^\s　|｜]{2,20})")
# "当前位置：", "您当前的位置：", "您所在的位置：", "You are here:" …: up to 8 characters ending
# in 位置 before the colon.
_CRUMB_LOCATION = r"(?:[^\s:：>|]{0,8}位置|You are here)\s*[:：]\s*"
INFO_MARK = re.compile(r"(?:来源|稿源|作者|编辑|责编|记者|发布者|发布人|浏览|点击|阅读)\s*[:：]|"
                       r"(?:浏览|点击|阅读)(?:次数|量)\s*[:：]")
CRUMB_PREFIX = re.compile(
    rf"^\s*(?:{_CRUMB_LOCATION})?"
    r"(?:首页|网站首页|主页|Home)\s*(?:>|›|»|＞|→|/|>>|&gt;)+\s*", re.I)
#: A location prefix before a trail without a home step: "当前位置：经济频道 > 正文",
#: "您所在的位置：滨北网 >> 经济" (the trail's last step is the section; see article._section).
CRUMB_LOCATION = re.compile(rf"^\s*{_CRUMB_LOCATION}(?=[^>›»＞→]{{1,40}}(?:>|›|»|＞|→|&gt;))",
                            re.I)
CRUMB_SPLIT = re.compile(r"\s*(?:>|›|»|＞|→|>>|&gt;)+\s*")


@dataclass
class Header:
    """Where the header lines are (indexes into the page's lines) and what they say."""

    date: date | None = None
    date_source: str | None = None  # "profile" or "visible"
    date_at: int | None = None
    author: str | None = None
    source: str | None = None
    byline_at: int | None = None
    byline_from: str | None = None  # "profile" or "visible"
    crumbs: list[str] | None = None
    crumb_line: str | None = None


def _profile_date(line: str, pattern: re.Pattern[str] | None) -> tuple[date | None, int]:
    if pattern is None or not (m := pattern.search(line)):
        return None, -1
    return written_date(m.group("date")), m.end()


def _generic_date(line: str) -> date | None:
    if len(line) > MAX_HEADER_LINE:
        return None
    if m := DATE_LABEL.search(line):
        return written_date(line[m.end():m.end() + 40])
    # An unlabelled date in a story's info line, beside its source or editor: "来源：江北日报
    # 2026-11-30 07:30 编辑：周敏", "2026-11-30 07:30 来源：新华网" (never a list's dates).
    if len(line) <= 160 and INFO_MARK.search(line) and (at := date_at(line)) is not None:
        return written_date(line[at:at + 40])
    return None


def _byline(text: str) -> tuple[str | None, str | None] | None:
    if len(text) > 160:
        return None
    if text[:3].lower() == "by ":  # "By A | B March 8, 2024", "By A Posted on March 8, 2024"
        label = DATE_LABEL.search(text)
        cut = min(i for i in (date_at(text), label.start() if label else None, len(text))
                  if i is not None)
        text = text[:cut].rstrip(" |,·-–")
    if m := BYLINE.match(text):
        author = (m["author"] or "").strip(" ,") or None
        source = (m["source"] or m["source2"] or "").strip() or None
        if source and written_date(source):
            source = None
        if author or source:
            return author, source
    if m := SOURCE_LINE.match(text):
        return None, m["source"]
    zh_source, zh_author = ZH_SOURCE.search(text), ZH_AUTHOR.search(text)
    if zh_source or zh_author:
        return (zh_author["author"] if zh_author else None,
                zh_source["source"] if zh_source else None)
    return None


def crumb_names(line: str, crumb_re: re.Pattern[str] | None = None) -> list[str] | None:
    """The names of a breadcrumb line after "Home"/"首页" (profile pattern first)."""
    if len(line) > MAX_HEADER_LINE:
        return None
    if crumb_re is not None:
        m = crumb_re.match(line)
        home = line.find("Home")
        if not m and home > 0 and line[:home].rstrip().endswith((":", "：")):
            m = crumb_re.match(line[home:])
        if m:
            return [m.group("section").strip()]
    if m := CRUMB_PREFIX.match(line) or CRUMB_LOCATION.match(line):
        names = [n.strip() for n in CRUMB_SPLIT.split(line[m.end():]) if n.strip()]
        return names or None
    return None


def read_header(lines: list[str], date_re: re.Pattern[str] | None = None,
                byline_re: re.Pattern[str] | None = None,
                crumb_re: re.Pattern[str] | None = None, limit: int = 4000) -> Header:
    """The first date line, byline and breadcrumb among the page's first `limit` lines."""
    head = Header()
    generic_date: tuple[date, int] | None = None
    for index, line in enumerate(lines[:limit]):
        rest = line
        if head.date is None:
            found, end = _profile_date(line, date_re)
            if found:
                head.date, head.date_source, head.date_at = found, "profile", index
                rest = line[end:].strip()
            elif generic_date is None and (found := _generic_date(line)):
                generic_date = (found, index)
            elif generic_date is None and DATE_ONLY.match(line):
                generic_date = (written_date(line) or date.min, index)
        if head.byline_at is None and rest:
            if byline_re is not None and len(rest) < 200 and (m := byline_re.match(rest)):
                head.author = (m.group("author") or "").strip() or None
                head.source = (m.group("source") or "").strip() or None
                head.byline_at, head.byline_from = index, "profile"
            elif byline_re is None and (found_byline := _byline(rest)):
                head.author, head.source = found_byline
                head.byline_at, head.byline_from = index, "visible"
        if head.crumbs is None and (names := crumb_names(line, crumb_re)):
            head.crumbs, head.crumb_line = names, line
        if head.date and head.byline_at is not None and head.crumbs:
            break
    if head.date is None and generic_date and generic_date[0] != date.min:
        head.date, head.date_source, head.date_at = generic_date[0], "visible", generic_date[1]
    return head
