"""An English WordPress-style news portal, rendered from wp_articles.json.

Listings `/business/`, `/business/page/2/` (the city section pages with `?page=2`); articles
`/business/2024/03/11/some-slug/`; JSON-LD NewsArticle with `datePublished` and a later
`dateModified` (some pages carry only og/article metas, a `<time>` element or a visible date
line); `<title>` with a site suffix; related posts, "READ MORE:" lines, figcaptions, share,
newsletter and cookie boxes around in-body subheads. robots.txt names a sitemap index (per-year
sitemaps) and a news sitemap; RSS and Atom feeds; category, tag, author and about pages are
not articles.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from importlib import resources
from typing import Any

from parkwatch.samplesite.render import Page

Record = Mapping[str, Any]
SITE_NAME = "Riverside Business Times"
DEFAULT_BASE = "http://riverside-times.example"
SECTIONS = {"business": "Business", "parks": "Parks", "city": "City"}
QUERY_PAGER = frozenset({"city"})  # sections paged with ?page=N instead of /page/N/
VARIANTS = ("wordpress",)
XML = "application/xml; charset=utf-8"


def load_press_records() -> list[dict[str, Any]]:
    """The hand-written portal articles bundled as wp_articles.json."""
    text = resources.files("parkwatch.samplesite").joinpath("wp_articles.json").read_text(
        encoding="utf-8")
    records: list[dict[str, Any]] = json.loads(text)
    return records


def _e(text: str) -> str:
    return escape(text, quote=True)


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def press_article_path(record: Record) -> str:
    """`/business/2024/03/11/some-slug/`: the publisher's local date of publication."""
    return f"/{record['section']}/{_when(record['published']):%Y/%m/%d}/{record['slug']}/"


def press_listing_path(section: str, page_no: int) -> str:
    if page_no == 0:
        return f"/{section}/"
    if section in QUERY_PAGER:
        return f"/{section}/?page={page_no + 1}"
    return f"/{section}/page/{page_no + 1}/"


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _is_subhead(paragraph: str) -> bool:
    return len(paragraph.split()) <= 6 and not paragraph.endswith((".", "!", "?", '"'))


def _head(title: str, extra: str, base: str, path: str) -> str:
    return f"""<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} &#8211; {SITE_NAME}</title>
<link rel="canonical" href="{base}{path}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} Feed" href="{base}/feed/">
<link rel="alternate" type="application/atom+xml" title="{SITE_NAME} Atom"
 href="{base}/feed/atom/">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:locale" content="en_US">
{extra}
<link rel="stylesheet" id="theme-css" href="/wp-content/themes/newsline/style.css" media="all">
<script src="/wp-includes/js/jquery/jquery.min.js"></script>
</head>"""


def _shell(head: str, main: str, body_class: str) -> str:
    nav = "".join(f'<li class="menu-item"><a href="/{s}/">{n}</a></li>'
                  for s, n in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="en-US">
{head}
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header"><p class="site-title"><a href="/">{SITE_NAME}</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu">
<li class="menu-item"><a href="/">Home</a></li>{nav}
<li class="menu-item"><a href="/about/">About</a></li></ul></nav></header>
<div id="content" class="site-content">
{main}
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">
<h2 class="widget-title">Trending</h2><ul><li><a href="/city/">Metro Line 4 timetable</a></li>
<li><a href="/business/">Where to buy property this spring</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">
&copy; 2024 {SITE_NAME}. All rights reserved. <a href="/privacy-policy/">Privacy Policy</a>
| <a href="/about/">About us</a> | <a href="/contact/">Contact</a></div></footer>
<div id="cookie-notice" role="dialog"><p>We use cookies to give you the best experience on our
website. By continuing to browse you agree to our use of cookies.</p>
<a href="#" class="cn-accept">Accept</a> <a href="/privacy-policy/">Learn more</a></div>
</body>
</html>
"""


def _jsonld(record: Record, base: str) -> str:
    url = base + press_article_path(record)
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": url + "#article", "headline": record["title"],
         "datePublished": record["published"], "dateModified": record["modified"],
         "author": {"@type": "Person", "name": record["author"],
                    "url": f"{base}/author/{_slug(record['author'])}/"},
         "publisher": {"@type": "Organization", "name": SITE_NAME},
         "articleSection": SECTIONS[record["section"]], "mainEntityOfPage": url,
         "keywords": record.get("tags", [])},
        {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": base + "/"},
            {"@type": "ListItem", "position": 2, "name": SECTIONS[record["section"]],
             "item": f"{base}/{record['section']}/"}]}]}
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False) + "</script>")


def _metas(record: Record, base: str) -> str:
    mode = record.get("meta", "jsonld")
    metas = [f'<meta property="article:modified_time" content="{record["modified"]}">',
             f'<meta property="og:updated_time" content="{record["modified"]}">',
             '<meta name="twitter:card" content="summary_large_image">']
    if mode != "visible":
        metas += [f'<meta property="og:title" content="{_e(record["title"])}">',
                  '<meta property="og:type" content="article">',
                  f'<meta property="og:url" content="{base}{press_article_path(record)}">',
                  f'<meta property="article:section" content="{SECTIONS[record["section"]]}">']
    if mode in ("jsonld", "og"):
        metas.append(f'<meta property="article:published_time" content="{record["published"]}">')
    if mode == "jsonld":
        metas.append(_jsonld(record, base))
    return "\n".join(metas)


def _entry_meta(record: Record) -> str:
    mode = record.get("meta", "jsonld")
    author = (f'By <a class="url fn n" href="/author/{_slug(record["author"])}/">'
              f'{_e(record["author"])}</a>')
    if record.get("source"):
        author += f" | {_e(record['source'])}"
    published, modified = _when(record["published"]), _when(record["modified"])
    if mode == "visible":
        when = (f'<span class="posted-on">Posted on {published:%B} {published.day}, '
                f"{published:%Y}</span>")
    else:
        when = (f'<span class="posted-on"><time class="entry-date published" '
                f'datetime="{record["published"]}">{published:%B} {published.day}, {published:%Y}'
                f'</time><time class="updated" datetime="{record["modified"]}">'
                f"{modified:%B} {modified.day}, {modified:%Y}</time></span>")
        if mode != "time":
            when = when.replace(f'datetime="{record["published"]}"', "")
    return f'<div class="entry-meta"><span class="byline">{author}</span> {when}</div>'


def _content(record: Record, titles: Mapping[str, str]) -> str:
    captions, read_more = record.get("captions", {}), record.get("read_more", {})
    blocks = []
    subheads = 0
    for i, para in enumerate(record["paragraphs"]):
        if _is_subhead(para):
            tag = "h2" if subheads % 2 == 0 else "h3"
            subheads += 1
            blocks.append(f'<{tag} class="wp-block-heading">{_e(para)}</{tag}>')
        else:
            blocks.append(f"<p>{_e(para)}</p>")
        if str(i) in captions:
            blocks.append(f'<figure class="wp-block-image size-large"><img src="/wp-content/'
                          f'uploads/2024/03/{record["slug"]}-{i}.jpg" alt="">'
                          f'<figcaption class="wp-element-caption">{_e(captions[str(i)])}'
                          "</figcaption></figure>")
        if str(i) in read_more:
            title = read_more[str(i)]
            blocks.append(f'<p><strong>READ MORE:</strong> <a href="{titles.get(title, "/")}">'
                          f"{_e(title)}</a></p>")
        if i == 1:
            blocks.append('<div class="newsletter-box"><h4>Get the Morning Briefing</h4>'
                          "<p>Sign up for our free newsletter and get the day's business news in "
                          'your inbox.</p><form action="/subscribe/"><input type="email" '
                          'name="email"><button>Subscribe</button></form></div>')
    return "\n".join(blocks)


def render_press_article(record: Record, base_url: str = DEFAULT_BASE,
                         titles: Mapping[str, str] | None = None) -> bytes:
    """One article page as UTF-8 bytes; `titles` maps story titles to their paths."""
    titles = titles or {}
    related = "".join(f'<li class="jp-relatedposts-post"><a href="{titles.get(t, "/")}">{_e(t)}'
                      "</a></li>" for t in record.get("related", []))
    related_html = (f'<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-'
                    f'relatedposts-headline">Related</h3><ul>{related}</ul></div>'
                    if related else "")
    tags = ", ".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in record.get("tags", []))
    section = record["section"]
    main = f"""<main id="main" class="site-main">
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> &#8250;
<a href="/{section}/">{SECTIONS[section]}</a> &#8250;
<span class="current">{_e(record["title"])}</span></nav>
<article id="post-{zlib.crc32(record["slug"].encode()) % 10000}" class="post type-post">
<header class="entry-header"><h1 class="entry-title">{_e(record["title"])}</h1>
{_entry_meta(record)}</header>
<div class="entry-content">
{_content(record, titles)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul>
<li><a class="share-facebook" href="#">Facebook</a></li><li><a class="share-x" href="#">X</a>
</li><li><a class="share-email" href="#">Email</a></li><li><a href="#">Print</a></li></ul></div>
{related_html}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
</article>
<nav class="post-navigation"><a href="/{section}/" rel="prev">&larr; Previous post</a></nav>
</main>"""
    head = _head(record["title"], _metas(record, base_url), base_url, press_article_path(record))
    return _shell(head, main, "post-template-default single single-post").encode()


def _listing(title: str, items: Sequence[Record], next_path: str | None, base: str,
             path: str) -> bytes:
    cards = "\n".join(
        f'<article class="post"><h2 class="entry-title"><a href="{press_article_path(r)}" '
        f'rel="bookmark">{_e(r["title"])}</a></h2><div class="entry-summary"><p>'
        f'{_e(r["paragraphs"][0][:140])}&hellip;</p></div></article>' for r in items)
    pager = (f'<nav class="navigation pagination"><a class="next page-numbers" '
             f'href="{next_path}">Next &raquo;</a></nav>' if next_path else "")
    main = (f'<main id="main" class="site-main"><header class="page-header"><h1 class="page-'
            f'title">{_e(title)}</h1></header>\n{cards}\n{pager}</main>')
    return _shell(_head(title, "", base, path), main, "archive").encode()


def _sitemaps(ordered: Sequence[Record], base: str) -> dict[str, Page]:
    def urlset(entries: Sequence[tuple[str, str]], extra_ns: str = "") -> bytes:
        rows = "".join(f"<url><loc>{base}{loc}</loc><lastmod>{mod}</lastmod></url>"
                       for loc, mod in entries)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
                f'schemas/sitemap/0.9"{extra_ns}>{rows}</urlset>\n').encode()

    pages: dict[str, Page] = {}
    years = sorted({_when(r["published"]).year for r in ordered}, reverse=True)
    for year in years:
        entries = [(press_article_path(r), r["modified"]) for r in ordered
                   if _when(r["published"]).year == year]
        pages[f"/sitemap-posts-{year}.xml"] = Page(urlset(entries), XML)
    pages["/sitemap-pages.xml"] = Page(urlset([("/about/", "2023-06-01T10:00:00+08:00")]), XML)
    index = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in pages)
    pages["/sitemap_index.xml"] = Page(
        ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/'
         f'schemas/sitemap/0.9">{index}</sitemapindex>\n').encode(), XML)
    news = "".join(
        f"<url><loc>{base}{press_article_path(r)}</loc><news:news><news:publication><news:name>"
        f"{SITE_NAME}</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{r['published']}</news:publication_date><news:title>"
        f"{_e(r['title'])}</news:title></news:news></url>" for r in ordered[:5])
    pages["/news-sitemap.xml"] = Page(
        ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
         'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
         f"{news}</urlset>\n").encode(), XML)
    return pages


def _feeds(ordered: Sequence[Record], base: str) -> dict[str, Page]:
    items = "".join(
        f"<item><title>{_e(r['title'])}</title><link>{base}{press_article_path(r)}</link>"
        f"<pubDate>{_when(r['published']):%a, %d %b %Y %H:%M:%S %z}</pubDate>"
        f"<dc:creator>{_e(r['author'])}</dc:creator><guid>{base}{press_article_path(r)}</guid>"
        "</item>" for r in ordered[:10])
    rss = (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/'
           f'dc/elements/1.1/"><channel><title>{SITE_NAME}</title><link>{base}/</link>'
           f"<description>Business news</description>{items}</channel></rss>\n")
    entries = "".join(
        f"<entry><title>{_e(r['title'])}</title><link href=\"{base}{press_article_path(r)}\"/>"
        f"<id>{base}{press_article_path(r)}</id><published>{r['published']}</published>"
        f"<updated>{r['modified']}</updated><author><name>{_e(r['author'])}</name></author>"
        "</entry>" for r in ordered[:10])
    atom = (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{SITE_NAME}</title><id>{base}/</id><updated>{ordered[0]['modified']}"
            f"</updated>{entries}</feed>\n")
    return {"/feed/": Page(rss.encode(), "application/rss+xml; charset=utf-8"),
            "/feed/atom/": Page(atom.encode(), "application/atom+xml; charset=utf-8")}


def build_press_site(records: Sequence[Record], variant: str = "wordpress", per_page: int = 4,
                     base_url: str | None = None) -> dict[str, Page]:
    """The whole portal as {path: Page}; `base_url` goes into sitemaps, feeds and metas."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    base = (base_url or DEFAULT_BASE).rstrip("/")
    ordered = sorted(records, key=lambda r: _when(r["published"]), reverse=True)
    titles = {r["title"]: press_article_path(r) for r in ordered}
    robots = (f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
              f"Sitemap: {base}/sitemap_index.xml\nSitemap: {base}/news-sitemap.xml\n")
    pages: dict[str, Page] = {"/robots.txt": Page(robots.encode(), "text/plain; charset=utf-8")}
    for record in ordered:
        pages[press_article_path(record)] = Page(render_press_article(record, base, titles))
    for section, name in SECTIONS.items():
        recs = [r for r in ordered if r["section"] == section]
        chunks = [recs[i:i + per_page] for i in range(0, len(recs), per_page)] or [[]]
        for page_no, chunk in enumerate(chunks):
            path = press_listing_path(section, page_no)
            nxt = press_listing_path(section, page_no + 1) if page_no + 1 < len(chunks) else None
            pages[path] = Page(_listing(name, chunk, nxt, base, path))
    for section, name in SECTIONS.items():  # WordPress's own category archive: not an article
        recs = [r for r in ordered if r["section"] == section][:per_page]
        path = f"/category/{section}/"
        pages[path] = Page(_listing(f"Category: {name}", recs, None, base, path))
    for tag in sorted({t for r in ordered for t in r.get("tags", [])}):
        path = f"/tag/{tag}/"
        pages[path] = Page(_listing(f"Tag: {tag}", [r for r in ordered if tag in r["tags"]],
                                    None, base, path))
    for author in sorted({r["author"] for r in ordered}):
        path = f"/author/{_slug(author)}/"
        pages[path] = Page(_listing(f"Author: {author}",
                                    [r for r in ordered if r["author"] == author], None, base,
                                    path))
    pages["/"] = Page(_listing("Latest news", ordered[:8], None, base, "/"))
    about = ('<main id="main"><article class="page"><h1>About us</h1><p>Riverside Business '
             "Times covers companies, parks and the city's economy since 2009.</p></article>"
             "</main>")
    pages["/about/"] = Page(_shell(_head("About us", "", base, "/about/"), about, "page").encode())
    pages.update(_sitemaps(ordered, base))
    pages.update(_feeds(ordered, base))
    return pages
