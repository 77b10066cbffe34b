"""Bundled offline sample site: hand-written records, HTML rendering and a local test server."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from parkwatch.samplesite.generate import generate_records
from parkwatch.samplesite.render import Page, article_path, build_site, render_article
from parkwatch.samplesite.server import SiteServer

__all__ = [
    "Page",
    "SiteServer",
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
