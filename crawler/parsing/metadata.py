"""What a page says about itself in markup: JSON-LD, og/article metas, government metas
(`PubDate`, `ArticleTitle`, `ColumnName`, `ContentSource`) and `<time datetime>`.

Publication dates only: `dateModified`, `article:modified_time`, `og:updated_time` and
`<time class="updated">` are never read as the date a story was published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import html

MAX_JSONLD_CHARS = 200_000
ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "report", "liveblogposting", "socialmediaposting"})
# Meta names/properties for the publication date, in order of trust (lower-case).
DATE_METAS = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "pubdate", "publishdate", "publish_date", "publish-date", "publishtime",
    "firstpublishedtime", "published_time", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "sailthru.date", "parsely-pub-date", "article.published", "date",
)
TITLE_METAS = ("og:title", "articletitle", "twitter:title", "dc.title", "headline")
SECTION_METAS = ("article:section", "columnname", "columntype", "section", "category")
AUTHOR_METAS = ("author", "article:author", "dc.creator", "byl", "parsely-author")
SOURCE_METAS = ("contentsource", "source", "copyrightholder")


@dataclass
class Metadata:
    """Values found in markup, each with where it came from ("jsonld", "meta", "time")."""

    title: tuple[str, str] | None = None
    published: tuple[str, str] | None = None  # (raw timestamp text, source)
    author: tuple[str, str] | None = None
    section: tuple[str, str] | None = None
    source: tuple[str, str] | None = None
    language: str | None = None
    metas: dict[str, str] = field(default_factory=dict)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    if isinstance(value, list):
        names = [t for t in (_text(v) for v in value) if t]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    return None


def _objects(data: Any, depth: int = 0):
    """Every dict in a JSON-LD document (through @graph and lists), depth-bounded."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data[:200]:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _objects(data[key], depth + 1)


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _jsonld(tree: html.HtmlElement, meta: Metadata) -> list[str]:
    """Fill meta from the first article object of the page's JSON-LD; return breadcrumb names."""
    crumbs: list[str] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        if len(raw) > MAX_JSONLD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for obj in _objects(data):
            kinds = _types(obj)
            if "breadcrumblist" in kinds and not crumbs:
                items = obj.get("itemListElement")
                for item in items if isinstance(items, list) else []:
                    if isinstance(item, dict):
                        name = _text(item.get("name") or item.get("item"))
                        if name:
                            crumbs.append(name)
            if not kinds & ARTICLE_TYPES:
                continue
            if meta.title is None and (t := _text(obj.get("headline") or obj.get("name"))):
                meta.title = (t, "jsonld")
            if meta.published is None and (d := _text(obj.get("datePublished"))):
                meta.published = (d, "jsonld")
            if meta.author is None and (a := _text(obj.get("author") or obj.get("creator"))):
                meta.author = (a, "jsonld")
            if meta.section is None and (s := _text(obj.get("articleSection"))):
                meta.section = (s.split(",")[0].strip(), "jsonld")
    return crumbs


def _time_element(tree: html.HtmlElement) -> str | None:
    """The datetime of the page's publication <time> (never one marked as an update)."""
    best = None
    for el in tree.iter("time"):
        stamp = el.get("datetime")
        if not stamp:
            continue
        marks = f"{el.get('class', '')} {el.get('itemprop', '')}".lower()
        if "updat" in marks or "modif" in marks:
            continue
        if "publish" in marks or "pubdate" in marks or el.get("pubdate") is not None:
            return stamp
        best = best or stamp
    return best


HOME_CRUMBS = frozenset({"首页", "网站首页", "主页", "home", "homepage", "home page"})
_CRUMB_MARKS = ("breadcrumb", "crumb", "bread-crumb", "position", "location", "weizhi")
_CRUMB_SEPARATORS = " \t\n>›»＞→/|｜·:："


def markup_crumbs(tree: html.HtmlElement) -> list[str] | None:
    """The steps of a breadcrumb laid out in markup, one element each (`<ol class="breadcrumb">
    <li>…`, `<nav aria-label="breadcrumb">`), after its home step: a visible line can't show
    them as one trail. None when the page has no such element."""
    for el in tree.iter("nav", "ol", "ul", "div", "p", "span"):
        marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('aria-label', '')}".lower()
        if not any(m in marks for m in _CRUMB_MARKS):
            continue
        listed = el.findall(".//li")
        items = listed or el.findall(".//a")
        if not 2 <= len(items) <= 10:
            continue
        steps = [" ".join(item.text_content().split()).strip(_CRUMB_SEPARATORS)
                 for item in items]
        if not listed and (tail := (items[-1].tail or "").strip(_CRUMB_SEPARATORS)):
            steps.append(" ".join(tail.split()))  # "… > <a>新闻</a> > 正文": the page's step
        steps = [x for x in steps if x and len(x) <= 40]
        if not steps or steps[0].lower() not in HOME_CRUMBS:
            continue  # a trail starts at home: anything else is a menu or a list
        return steps[1:] or None
    return None


def read_metadata(tree: html.HtmlElement) -> Metadata:
    """Title, publication date, author, section and source from the page's markup."""
    meta = Metadata()
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in meta.metas and len(content) < 2000:
            meta.metas[key] = " ".join(content.split())
    crumbs = _jsonld(tree, meta)
    metas = meta.metas
    if meta.title is None:
        meta.title = next(((metas[k], "meta") for k in TITLE_METAS if metas.get(k)), None)
    if meta.published is None:
        meta.published = next(((metas[k], "meta") for k in DATE_METAS if metas.get(k)), None)
    if meta.published is None and (stamp := _time_element(tree)):
        meta.published = (stamp, "time")
    if meta.author is None:
        author = next((metas[k] for k in AUTHOR_METAS if metas.get(k)), None)
        if author and not author.lower().startswith(("http", "www.")):
            meta.author = (author, "meta")
    if meta.section is None:
        meta.section = next(((metas[k], "meta") for k in SECTION_METAS if metas.get(k)), None)
    if meta.section is None and len(crumbs) >= 2:
        meta.section = (crumbs[-1] if len(crumbs) == 2 else crumbs[1], "jsonld")
    meta.source = next(((metas[k], "meta") for k in SOURCE_METAS if metas.get(k)), None)
    lang = tree.get("lang") or metas.get("og:locale") or metas.get("language") or ""
    meta.language = lang.split("-")[0].split("_")[0].lower() or None
    return meta
