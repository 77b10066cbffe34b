"""Bundled offline sample sites (e-my399, a TRS government portal, a WordPress portal):
hand-written records, HTML rendering and a local test server."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from parkwatch.samplesite.generate import generate_records
from parkwatch.samplesite.render import Page, article_path, build_site, render_article
from parkwatch.samplesite.server import SiteServer


def __getattr__(name: str):  # the other site shapes, imported lazily (they import this package)
    if name in ("SITES", "FixtureSite", "fixture_site"):
        from parkwatch.samplesite import sites

        return getattr(sites, name)
    if name in ("build_portal_site", "load_portal_records"):
        from parkwatch.samplesite import portal

        return getattr(portal, name)
    if name in ("build_press_site", "load_press_records"):
        from parkwatch.samplesite import press

        return getattr(press, name)
    raise AttributeError(name)

__all__ = [
    "Page",
    "SITES",
    "SiteServer",
    "build_portal_site",
    "build_press_site",
    "fixture_site",
    "article_path",
    "build_site",
    "generate_records",
    "load_records",
    "render_article",
]


def load_records() -> list[dict[str, Any]]:
    """The hand-written sample articles bundled as articles.json."""
    text = resources.files(__name__).joinpath("articles.json").read_text(encoding="utf-8")
    records: list[dict[str, Any]] = json.loads(text)
    return records
