"""Fundus style: every article of every fixture site, in every markup variant, reads to its
expected JSON (tests/sites/expected/<site>.json, written from the records by make_expected.py).
A site without expected JSON, or an article page without an entry, fails."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.parsing.article import parse_article
from foundation.profile import Profile
from foundation.settings import load_settings
from parkwatch.samplesite.sites import SITES, FixtureSite

EXPECTED_DIR = Path(__file__).with_name("expected")
MIN_ARTICLES = 20


def expected_for(site: FixtureSite) -> dict[str, dict]:
    path = EXPECTED_DIR / f"{site.name}.json"
    if not path.is_file():
        return {}
    data: dict[str, dict] = json.loads(path.read_text(encoding="utf-8"))
    return data


def profile_for(site: FixtureSite) -> Profile:
    if site.name in load_settings().sources:
        return load_settings().source(site.name)
    return Profile(name=site.name, base_url=site.base_url, language=site.language)


@pytest.mark.parametrize("name", list(SITES))
def test_every_site_has_expected_json_for_every_article(name: str) -> None:
    site = SITES[name]
    expected = expected_for(site)
    assert len(expected) >= MIN_ARTICLES, f"{name}: fixtures missing in {EXPECTED_DIR}"
    assert sorted(expected) == sorted(site.path(r) for r in site.load())
    pages = site.pages()
    assert set(expected) <= set(pages), "every expected article is served by the site"


CASES = [(name, variant, path) for name, site in SITES.items() for variant in site.variants
         for path in (expected_for(site) or {"<no fixtures>": {}})]


@pytest.mark.parametrize(("name", "variant", "path"), CASES,
                         ids=[f"{n}-{v}-{p}" for n, v, p in CASES])
def test_article_reads_as_expected(name: str, variant: str, path: str) -> None:
    site = SITES[name]
    expected = expected_for(site)
    assert path in expected, f"{name}: no expected JSON"
    record = next(r for r in site.load() if site.path(r) == path)
    body = site.render(record, variant)
    article = parse_article(body, site.base_url + path, profile_for(site),
                            site.content_type(record))
    want = expected[path]
    got = {
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source,
        "url_date": article.url_date.isoformat() if article.url_date else None,
        "author": article.author,
        "byline_source": article.byline_source,
        "section": article.section,
        "language": article.language,
        "text": article.text.split("\n"),
    }
    assert got == want
    assert article.published is None or isinstance(article.published, date)


@pytest.mark.parametrize("name", ["binbei-kfq", "riverside-times"])
def test_pages_that_are_not_articles_are_refused(name: str) -> None:
    """Listings, tag, author, home and static pages: no date of their own, so no article."""
    from crawler.parsing.article import ParseError

    site = SITES[name]
    articles = {site.path(r) for r in site.load()}
    others = {path: page for path, page in site.pages().items()
              if path not in articles and page.content_type.startswith("text/html")}
    assert len(others) >= 8
    read = []
    for path, page in others.items():
        try:
            parse_article(page.body, site.base_url + path, profile_for(site))
            read.append(path)
        except ParseError:
            pass
    assert read == []
