"""The government-portal and WordPress fixture shapes: URLs, encodings, pagers, sitemaps, feeds."""

from __future__ import annotations

import http.client
from xml.etree import ElementTree

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.portal import build_portal_site, load_portal_records, portal_article_path
from parkwatch.samplesite.press import build_press_site, load_press_records, press_article_path
from parkwatch.samplesite.sites import SITES, fixture_site


def test_portal_paths_encodings_and_pagers() -> None:
    records = load_portal_records()
    pages = build_portal_site(records)
    assert "/xwzx/yqdt/202302/t20230221_812345.html" in pages
    gbk = [r for r in records if r["encoding"] == "gbk"]
    assert gbk, "some pages are GBK"
    page = pages[portal_article_path(gbk[0])]
    assert page.content_type == "text/html"
    text = page.body.decode("gb18030")
    assert gbk[0]["title"] in text and "charset=g" in text
    try:
        page.body.decode("utf-8")
        raise AssertionError("a GBK page must not be valid UTF-8")
    except UnicodeDecodeError:
        pass
    js = pages["/xwzx/yqdt/index.html"].body.decode()
    assert "createPageHTML(3, 0" in js and '<noscript><a href="index_1.html">下一页' in js
    plain = pages["/xwzx/tzgg/index.html"].body.decode()
    assert '<a href="index_1.html">下一页</a>' in plain and "<noscript>" not in plain
    assert "./202302/t20230210_812611.html" in plain


def test_press_paths_listings_and_local_dates() -> None:
    records = load_press_records()
    pages = build_press_site(records, base_url="http://127.0.0.1:1")
    early = next(r for r in records if r["published"].startswith("2024-03-11T07:30"))
    assert press_article_path(early) == "/business/2024/03/11/eastlake-park-output-tops-46-billion/"
    assert "/business/page/2/" in pages and "/city/?page=2" in pages and "/tag/energy/" in pages
    robots = pages["/robots.txt"].body.decode()
    assert "Sitemap: http://127.0.0.1:1/sitemap_index.xml" in robots
    index = ElementTree.fromstring(pages["/sitemap_index.xml"].body)
    locs = [el.text for el in index.iter() if el.tag.endswith("loc")]
    assert "http://127.0.0.1:1/sitemap-posts-2023.xml" in locs
    assert "http://127.0.0.1:1/sitemap-posts-2024.xml" in locs
    urls = {el.text for path in ("/sitemap-posts-2023.xml", "/sitemap-posts-2024.xml")
            for el in ElementTree.fromstring(pages[path].body).iter() if el.tag.endswith("loc")}
    assert urls == {"http://127.0.0.1:1" + press_article_path(r) for r in records}
    for feed in ("/feed/", "/feed/atom/"):
        ElementTree.fromstring(pages[feed].body)
    html = pages[press_article_path(early)].body.decode()
    assert '"dateModified": "2024-03-13T18:02:00+08:00"' in html
    assert "Eastlake industrial park output tops 46 billion yuan &#8211; Riverside" in html


def test_query_pager_is_served() -> None:
    with SiteServer(fixture_site("riverside-times").pages()) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("GET", "/city/?page=2")
        second = conn.getresponse().read()
        conn.request("GET", "/city/")
        first = conn.getresponse().read()
        conn.close()
    assert second != first and b"Snow clearing crews" in second + first


def test_every_site_is_registered_with_enough_articles() -> None:
    assert set(SITES) >= {"e-my399", "binbei-kfq", "riverside-times"}
    for site in SITES.values():
        assert len(site.load()) >= 20
        assert {site.path(r) for r in site.load()} <= set(site.pages())
