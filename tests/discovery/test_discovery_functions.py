"""crawler.discovery's plain functions on small pages written for these tests: URL shapes,
sitemaps, feeds, navigation and pagers of every shape."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, date, datetime

import pytest

from crawler.discovery import (
    classify_url,
    find_feeds,
    find_listings,
    next_page,
    parse_feed,
    parse_sitemap,
    sitemaps_in_robots,
    url_date,
)
from crawler.discovery.listings import page_links, page_number
from foundation.profile import Profile, listing_url

B = "http://site.test"


@pytest.mark.parametrize(("url", "kind"), [
    (f"{B}/news/2023-03-01/12345.html", "article"),
    (f"{B}/xwzx/yqdt/202302/t20230221_812345.html", "article"),
    (f"{B}/business/2024/03/11/eastlake-park-output-tops/", "article"),
    (f"{B}/2024/03/some-slug-here/", "article"),
    (f"{B}/content/2024-03/11/content_123456.htm", "article"),
    (f"{B}/news/123456.html", "article"),
    (f"{B}/", "navigation"),
    (f"{B}/tag/parks/", "navigation"),
    (f"{B}/author/anna-ruiz/", "navigation"),
    (f"{B}/about/", "navigation"),
    (f"{B}/search/?q=park", "navigation"),
    (f"{B}/xwzx/yqdt/index.html", "listing"),
    (f"{B}/xwzx/yqdt/index_3.html", "listing"),
    (f"{B}/business/page/2/", "listing"),
    (f"{B}/city/?page=2", "listing"),
    (f"{B}/news/list_2.html", "listing"),
    (f"{B}/business/", "page"),
    (f"{B}/files/report-2024.pdf", "asset"),
    (f"{B}/images/photo.jpg", "asset"),
    (f"{B}/feed/", "feed"),
    (f"{B}/rss.xml", "feed"),
    (f"{B}/sitemap-posts-2024.xml", "sitemap"),
    (f"{B}/2024/03/11/", "page"),  # a day archive, not an article
])
def test_classify_url_by_shape(url: str, kind: str) -> None:
    assert classify_url(url) == kind


def test_a_profile_pattern_comes_first() -> None:
    article_re = re.compile(r"^/story/(?P<id>\d+)$")
    assert classify_url(f"{B}/story/12", article_re) == "article"
    assert classify_url(f"{B}/news/2023-03-01/12345.html", article_re) == "page"


@pytest.mark.parametrize(("url", "day"), [
    (f"{B}/news/2023-03-01/12345.html", date(2023, 3, 1)),
    (f"{B}/xwzx/yqdt/202302/t20230221_812345.html", date(2023, 2, 21)),
    (f"{B}/business/2024/03/11/a-slug/", date(2024, 3, 11)),
    (f"{B}/about/", None),
])
def test_url_date(url: str, day) -> None:
    assert url_date(url) == day


INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <sitemap><loc>http://site.test/sitemap-2024.xml</loc><lastmod>2024-03-11T09:30:00+08:00</lastmod></sitemap>
 <sitemap><loc>http://site.test/sitemap-2023.xml</loc><lastmod>2023-12-31</lastmod></sitemap>
</sitemapindex>"""
NEWS = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>http://site.test/business/2024/03/11/a/</loc>
  <news:news><news:publication><news:name>T</news:name><news:language>en</news:language>
  </news:publication><news:publication_date>2024-03-11T07:30:00+08:00</news:publication_date>
  <news:title>Park output tops target</news:title></news:news></url>
</urlset>"""


def test_parse_sitemap_index_urlset_news_and_gzip() -> None:
    index = parse_sitemap(INDEX)
    assert index.kind == "index"
    assert [e.loc for e in index.entries] == [f"{B}/sitemap-2024.xml", f"{B}/sitemap-2023.xml"]
    assert index.entries[0].lastmod == datetime(2024, 3, 11, 1, 30, tzinfo=UTC)
    news = parse_sitemap(gzip.compress(NEWS))
    assert news.kind == "urlset" and news.news
    assert news.entries[0].title == "Park output tops target"
    assert news.entries[0].published.isoformat() == "2024-03-11T07:30:00+08:00"
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>") is None
    assert parse_sitemap(b"") is None


def test_an_entity_in_a_sitemap_is_not_expanded() -> None:
    hostile = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&e;'
               b"</loc></url><url><loc>http://site.test/a/2024/01/02/b/</loc></url></urlset>")
    parsed = parse_sitemap(hostile)
    assert all("root:" not in e.loc for e in parsed.entries)


def test_sitemaps_in_robots() -> None:
    robots = "User-agent: *\nDisallow: /wp-admin/\nSitemap: /sitemap_index.xml\n" \
             "sitemap: http://site.test/news-sitemap.xml\n"
    assert sitemaps_in_robots(robots, B) == [f"{B}/sitemap_index.xml",
                                              f"{B}/news-sitemap.xml"]


def test_parse_feed_rss_and_atom() -> None:
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
           b"<title>One</title><link>http://site.test/a/2024/03/11/one/</link>"
           b"<pubDate>Mon, 11 Mar 2024 07:30:00 +0800</pubDate></item></channel></rss>")
    entries = parse_feed(rss)
    assert [e.url for e in entries] == [f"{B}/a/2024/03/11/one/"]
    assert entries[0].published == datetime(2024, 3, 10, 23, 30, tzinfo=UTC)
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            b'<entry><title>Two</title><link rel="alternate" href="/b/2024/03/12/two/"/>'
            b"<published>2024-03-12T08:00:00Z</published></entry></feed>")
    assert [e.url for e in parse_feed(atom, B)] == [f"{B}/b/2024/03/12/two/"]
    assert parse_feed(b"<html><body><p>hello</p></body></html>") is None


def test_find_feeds_keeps_the_site_and_drops_comment_feeds() -> None:
    html = ('<html><head><link rel="alternate" type="application/rss+xml" href="/feed/">'
            '<link rel="alternate" type="application/atom+xml" href="/feed/atom/">'
            '<link rel="alternate" type="application/rss+xml" href="/comments/feed/">'
            '<link rel="alternate" type="application/rss+xml" href="http://other.test/feed/">'
            "</head><body></body></html>")
    assert find_feeds(html, f"{B}/") == [f"{B}/feed/", f"{B}/feed/atom/"]


HOME = """<html><body><nav class="menu"><a href="/">Home</a><a href="/business/">Business</a>
<a href="/xwzx/yqdt/index.html">园区动态</a><a href="/about/">About</a>
<a href="/tag/parks/">Parks</a><a href="http://other.test/x/">Other</a>
<a href="/files/a.pdf">PDF</a></nav>
<a href="/business/2024/03/11/one/">One</a></body></html>"""


def test_find_listings_from_the_navigation() -> None:
    assert find_listings(HOME, f"{B}/") == [f"{B}/business/", f"{B}/xwzx/yqdt/index.html"]
    links = page_links(HOME, f"{B}/")
    assert links.articles == [f"{B}/business/2024/03/11/one/"]


def _pager(body: str) -> str:
    return f"<html><body><ul><li>x</li></ul>{body}</body></html>"


@pytest.mark.parametrize(("url", "html", "expected"), [
    (f"{B}/news/index.html", _pager('<a href="index_1.html">Next</a>'),
     f"{B}/news/index_1.html"),
    (f"{B}/business/", _pager('<a class="next" href="/business/page/2/">Older posts</a>'),
     f"{B}/business/page/2/"),
    (f"{B}/city/", _pager('<a href="?page=1">1</a> <a href="?page=2">2</a> '
                          '<a href="?page=3">3</a>'), f"{B}/city/?page=2"),
    (f"{B}/news/list_1.html", _pager('<a href="list_2.html">下一页</a>'),
     f"{B}/news/list_2.html"),
    (f"{B}/a/", '<html><head><link rel="next" href="/a/page/2/"></head><body></body></html>',
     f"{B}/a/page/2/"),
    (f"{B}/xwzx/yqdt/index.html",
     _pager('<script>createPageHTML(3, 0, "index", "html");</script>'),
     f"{B}/xwzx/yqdt/index_1.html"),
    (f"{B}/xwzx/yqdt/index_2.html",
     _pager('<script>createPageHTML(3, 2, "index", "html");</script>'), None),
    (f"{B}/j/", _pager('<div id="pager"></div><script>drawPager()</script>'
                       '<noscript><a href="/j/index_1.html">下一页</a></noscript>'),
     f"{B}/j/index_1.html"),
    (f"{B}/news/index_4.html", _pager('<a href="index_3.html">Prev</a>'), None),
])
def test_next_page_whatever_the_pager(url: str, html: str, expected) -> None:
    assert next_page(html, url) == expected


def test_page_number_and_templates() -> None:
    assert page_number(f"{B}/news/index.html") == 1
    assert page_number(f"{B}/news/index_1.html") == 2
    assert page_number(f"{B}/b/page/3/") == 3
    assert page_number(f"{B}/c/?page=4") == 4
    assert listing_url("{section}/index_{n}.html", B, "news", 2) == f"{B}/news/index_2.html"
    assert listing_url("?page={n}", B, "city", 2) == f"{B}/city/?page=2"


def test_a_profile_needs_only_its_address() -> None:
    profile = Profile(name="x", base_url="https://www.example.cn/")
    assert profile.base_url == "https://www.example.cn" and profile.sections == []
    assert profile.listing_url("news", 0) == "https://www.example.cn/news/"
    assert profile.listing_url("news", 1) is None  # no template: the page's pager is followed
    paged = Profile(name="y", base_url="http://e.test", first_page="{section}/index.html",
                    pagination="{section}/index_{n}.html")
    assert paged.listing_url("news", 2) == "http://e.test/news/index_2.html"
    with pytest.raises(ValueError, match="discovery path"):
        Profile(name="z", base_url="http://e.test", discover=["atoms"])
