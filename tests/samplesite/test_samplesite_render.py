"""Site building: both markup variants, URL shapes, pagination and link styles."""

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from parkwatch.samplesite import Page, build_site, load_records, render_article
from parkwatch.samplesite.render import article_path

BASE = "http://127.0.0.1:8999"
ARTICLE_RE = re.compile(r"^/[a-z/]+/\d{4}-\d{2}-\d{2}/\d+\.html$")
LISTING_RE = re.compile(r"^/[a-z/]+/index(_\d+)?\.html$")


def _links(pages: dict[str, Page], path: str) -> list[str]:
    doc = lxml.html.fromstring(pages[path].body)
    return [urljoin(BASE + path, h) for h in doc.xpath("//a/@href")]


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    return parts.path if f"{parts.scheme}://{parts.netloc}" == BASE else None


@pytest.mark.parametrize("variant", ["classic", "modern"])
def test_url_shapes_and_text_patterns(variant: str) -> None:
    recs = load_records()
    site = build_site(recs, variant, per_page=3, base_url=BASE)
    assert "Disallow: /admin/" in site["/robots.txt"].body.decode()
    for path in ("/index.html", "/gallery/index.html", "/travel/sights/index.html",
                 "/business/parks/index.html", "/news/index_1.html"):
        assert path in site
    articles = {p for p in site if ARTICLE_RE.match(p)}
    assert articles == {article_path(r) for r in recs}
    for rec in recs:
        page = site[article_path(rec)]
        html = page.body.decode("utf-8")
        assert '<meta charset="utf-8"' in html
        text = lxml.html.fromstring(page.body).text_content()
        assert f"Updated : {rec['published']}" in text
        source = rec["byline_source"]
        assert (f"By {rec['author']} ( {source} )" if rec["author"] else f"By ( {source} )") in text
        assert (f"Home>{rec['breadcrumb']}" in text) == (rec["breadcrumb"] is not None)
        assert all(t["title"] in text for t in rec["teasers"])
        assert "/admin/" in html
        expected = "iso-8859-1" if rec.get("lying_charset") else "utf-8"
        assert page.content_type == f"text/html; charset={expected}"


def test_variants_differ_but_share_text() -> None:
    rec = load_records()[13]
    classic, modern = render_article(rec, "classic"), render_article(rec, "modern")
    assert b'class="title"' in classic and b"<table" in classic and b"<article" not in classic
    assert b"<article" in modern and b"<aside" in modern and b"<br>" in modern
    assert b"<p>-</p>" in modern and b"<time" not in modern
    assert b"Most Read" in classic and b"Most read" in modern
    with pytest.raises(ValueError):
        render_article(rec, "fancy")


@pytest.mark.parametrize("variant", ["classic", "modern"])
def test_pagination_chain_reaches_every_article(variant: str) -> None:
    recs = load_records()
    site = build_site(recs, variant, per_page=2, base_url=BASE)
    for section in {r["section"] for r in recs}:
        expected = [article_path(r) for r in
                    sorted((r for r in recs if r["section"] == section),
                           key=lambda r: (r["url_date"], r["id"]), reverse=True)]
        found: list[str] = []
        path: str | None = f"/{section}/index.html"
        seen = set()
        while path:
            assert LISTING_RE.match(path) and path not in seen
            seen.add(path)
            links = [_local(u) for u in _links(site, path)]
            found += [p for p in links
                      if p and ARTICLE_RE.match(p) and p.startswith(f"/{section}/")]
            doc = lxml.html.fromstring(site[path].body)
            nxt = doc.xpath("//a[normalize-space(text())='Next']/@href")
            path = _local(urljoin(BASE + path, nxt[0])) if nxt else None
        assert found == expected


def test_link_styles_and_noise() -> None:
    site = build_site(load_records(), "classic", per_page=5, base_url=BASE)
    doc = lxml.html.fromstring(site["/business/overview/index.html"].body)
    hrefs = doc.xpath("//a/@href")
    assert "2022-04-22/5790.html" in hrefs or any(re.match(r"^\d{4}-\d\d-\d\d/\d+\.html$", h)
                                                  for h in hrefs)
    assert any(h.startswith("/business/overview/20") for h in hrefs)
    assert any(h.startswith(BASE + "/business/overview/") for h in hrefs)
    assert "http://www.chinadaily.com.cn/a/202303/01/WS1.html" in hrefs
    assert {"/gallery/index.html", "/travel/sights/index.html", "/admin/index.html"} <= set(hrefs)


def test_every_internal_link_resolves() -> None:
    site = build_site(load_records(), "modern", base_url=BASE)
    for path in list(site):
        if path.endswith(".html") and not path.startswith("/admin/"):
            for url in _links(site, path):
                local = _local(url)
                if local is not None and not local.startswith(("/admin/", "/images/")):
                    assert local in site, (path, url)
