"""The fixture sites, one entry per site shape (Fundus style): records, page builder, renderer.

Each site is served by the same `SiteServer`; tests/sites/ holds the expected JSON of every
article of every site listed here, and one parametrised test reads them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from parkwatch.samplesite import load_records
from parkwatch.samplesite.portal import (
    build_portal_site,
    load_portal_records,
    portal_article_path,
    render_portal_article,
)
from parkwatch.samplesite.press import (
    DEFAULT_BASE,
    build_press_site,
    load_press_records,
    press_article_path,
    render_press_article,
)
from parkwatch.samplesite.render import Page, article_path, build_site, render_article

Record = Mapping[str, Any]


@dataclass(frozen=True)
class FixtureSite:
    """One site shape: its records, how to build all its pages and how to render one article."""

    name: str
    base_url: str  # the real-looking address the fixtures stand for
    language: str
    variants: tuple[str, ...]
    load: Callable[[], list[dict[str, Any]]]
    build: Callable[..., dict[str, Page]]  # build(records, variant=..., base_url=...)
    path: Callable[[Record], str]
    render: Callable[[Record, str], bytes]  # render(record, variant)
    # Today's profile keys for this site (what a hand-written [sources.NAME] table would say).
    profile: dict[str, Any] = field(default_factory=dict)
    content_type: Callable[[Record], str | None] = lambda record: "utf-8"

    def pages(self, variant: str | None = None, base_url: str | None = None) -> dict[str, Page]:
        return self.build(self.load(), variant=variant or self.variants[0], base_url=base_url)

    def article_url(self, record: Record) -> str:
        return self.base_url + self.path(record)


def _emy_content_type(record: Record) -> str | None:
    return "iso-8859-1" if record.get("lying_charset") else "utf-8"


def _portal_content_type(record: Record) -> str | None:
    return None if record.get("encoding") == "gbk" else "utf-8"


SITES: dict[str, FixtureSite] = {
    "e-my399": FixtureSite(
        name="e-my399", base_url="http://e.my399.com", language="en",
        variants=("classic", "modern"), load=load_records,
        build=build_site, path=article_path,
        render=lambda record, variant: render_article(record, variant),
        content_type=_emy_content_type),
    "binbei-kfq": FixtureSite(
        name="binbei-kfq", base_url="http://www.binbei-kfq.example", language="zh",
        variants=("trs",), load=load_portal_records, build=build_portal_site,
        path=portal_article_path, render=lambda record, variant: render_portal_article(record),
        content_type=_portal_content_type,
        profile={"base_url": "http://www.binbei-kfq.example", "language": "zh",
                 "sections": ["xwzx/yqdt", "xwzx/tzgg", "xwzx/zwyw", "zsyz/xmjs"],
                 "listing_pattern": r"^/(?P<section>[a-z]+/[a-z]+)/index(?:_(?P<page>\d+))?\.html$",
                 "article_pattern": (r"^/(?P<section>[a-z]+/[a-z]+)/\d{6}/"
                                     r"t(?P<date>\d{8})_(?P<id>\d+)\.html$")}),
    "riverside-times": FixtureSite(
        name="riverside-times", base_url=DEFAULT_BASE, language="en",
        variants=("wordpress",), load=load_press_records, build=build_press_site,
        path=press_article_path,
        render=lambda record, variant: render_press_article(record),
        profile={"base_url": DEFAULT_BASE, "language": "en",
                 "sections": ["business", "parks", "city"],
                 "listing_pattern": r"^/(?P<section>[a-z]+)/(?:page/(?P<page>\d+)/)?$",
                 "article_pattern": (r"^/(?P<section>[a-z]+)/\d{4}/\d{2}/\d{2}/"
                                     r"(?P<id>[a-z0-9-]+)/$")}),
}


def fixture_site(name: str) -> FixtureSite:
    try:
        return SITES[name]
    except KeyError:
        raise ValueError(f"unknown fixture site {name!r} (known: {', '.join(SITES)})") from None


def all_records() -> Sequence[tuple[FixtureSite, dict[str, Any]]]:
    return [(site, record) for site in SITES.values() for record in site.load()]
