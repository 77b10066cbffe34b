"""Render sample-site records as HTML pages in two markup variants (classic, modern)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

Record = Mapping[str, Any]

HTML_UTF8 = "text/html; charset=utf-8"
LYING_CONTENT_TYPE = "text/html; charset=iso-8859-1"
VARIANTS = ("classic", "modern")

SECTION_NAMES: dict[str, str] = {
    "business/parks": "Industrial Parks",
    "business/industries": "Industries",
    "business/planning": "Planning",
    "business/guide": "Investment Guide",
    "business/overview": "Investment Overview",
    "companies": "Biz updates",
    "government": "Government bulletin",
    "news": "Harbin Today",
    "change": "Foreign Exchanges",
    "civilization": "Civilization progress",
    "about": "About Harbin",
    "travel/sights": "Sights",
    "culture/music": "Music City",
    "gallery": "Photo Gallery",
}

OFFSITE_URL = "http://www.chinadaily.com.cn/a/202303/01/WS1.html"
ADMIN_PATH = "/admin/index.html"
GALLERY_PATH = "/gallery/index.html"
SIGHTS_PATH = "/travel/sights/index.html"

# Used by render_article() when the page is rendered alone, without a site around it.
_STANDALONE_MOST_READ: tuple[tuple[str, str], ...] = (
    ("Harbin opens more community canteens for seniors", "/news/index.html"),
    ("Songhua River ferry season starts early", "/news/index.html"),
    ("Harbin library extends opening hours", "/government/index.html"),
    ("Snow removal crews work through the night", "/news/index.html"),
    ("Harbin marathon registration opens", "/news/index.html"),
)


@dataclass(frozen=True)
class Page:
    """One servable resource: bytes, the Content-Type header to send, optional mtime."""

    body: bytes
    content_type: str = HTML_UTF8
    last_modified: datetime | None = None


def article_path(record: Record) -> str:
    """Root-relative URL path of a record's article page."""
    return f"/{record['section']}/{record['url_date']}/{record['id']}.html"


def listing_path(section: str, page_no: int) -> str:
    """Root-relative URL path of listing page `page_no` (0 = index.html) of a section."""
    name = "index.html" if page_no == 0 else f"index_{page_no}.html"
    return f"/{section}/{name}"


def section_name(section: str) -> str:
    return SECTION_NAMES.get(section, section.rsplit("/", 1)[-1].replace("-", " ").title())


def _newest_first(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r["url_date"], r["id"]), reverse=True)


def _e(text: str) -> str:
    return escape(text, quote=False)


def _a(text: str) -> str:
    return escape(text, quote=True)


def _is_subhead(paragraph: str) -> bool:
    """Short title-like lines without final punctuation are rendered as subheads."""
    text = paragraph.strip()
    return len(text.split()) <= 8 and not text.endswith((".", "!", "?", '"', "”", "…", ")", ":"))


def _byline(record: Record) -> str:
    author = record.get("author")
    source = record.get("byline_source") or "e.my399.com"
    return f"By {author} ( {source} )" if author else f"By ( {source} )"


def _sections_in_order(records: Iterable[Record]) -> list[str]:
    present = {r["section"] for r in records}
    known = [s for s in SECTION_NAMES if s in present]
    return known + sorted(present - set(known))


# ---------------------------------------------------------------- shared pieces


def _body_items(record: Record) -> list[tuple[str, str]]:
    """Body as (kind, text) items: kind is para, subhead, caption or image."""
    paragraphs: list[str] = list(record.get("paragraphs", []))
    captions: list[str] = list(record.get("captions", []))
    items: list[tuple[str, str]] = []
    for i, para in enumerate(paragraphs):
        items.append(("subhead" if _is_subhead(para) else "para", para))
        if i < len(captions):
            cap = captions[i]
            items.append(("image" if cap.lower().endswith((".jpg", ".png")) else "caption", cap))
    for cap in captions[len(paragraphs):]:
        items.append(("caption", cap))
    return items


def _pagination(record: Record) -> str | None:
    if not record.get("paginated"):
        return None
    return str(record.get("pagination") or "1/2 1 2 下一页 尾页")


def _image_src(record: Record, i: int) -> str:
    return f"/images/{record['url_date'].replace('-', '')}{record['id']}_{i}.jpg"


def _link(path: str, style: int, base_url: str | None, section: str | None = None) -> str:
    """Href for `path` in one of three styles: 0 relative, 1 root-relative, 2 absolute."""
    if style == 0 and section and path.startswith(f"/{section}/"):
        return path[len(section) + 2:]
    if style == 2 and base_url:
        return base_url.rstrip("/") + path
    return path


def _nav_links(sections: Sequence[str]) -> list[tuple[str, str]]:
    links = [("Home", "/index.html")]
    links += [(section_name(s), listing_path(s, 0)) for s in sections]
    if "gallery" not in sections:
        links.append(("Photo Gallery", GALLERY_PATH))
    if "travel/sights" not in sections:
        links.append(("Sights", SIGHTS_PATH))
    return links


# ---------------------------------------------------------------- classic variant


def _classic_shell(title: str, nav: list[tuple[str, str]], main: str, side: str) -> str:
    nav_html = " | ".join(f'<a href="{_a(h)}">{_e(t)}</a>' for t, h in nav)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8" />
<title>{_e(title)} - e.my399.com</title>
<link href="/css/style.css" rel="stylesheet" type="text/css" />
</head>
<body>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="top">
<tr><td class="logo"><img src="/images/logo.gif" alt="Harbin" /></td>
<td class="search"><form action="/search/" method="get"><input name="q" type="text" />
</form></td></tr>
<tr><td colspan="2" class="nav">{nav_html}</td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="main">
<tr><td width="690" valign="top" class="left">
{main}
</td>
<td width="10"></td>
<td width="280" valign="top" class="right">
{side}
</td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="foot">
<tr><td align="center">
<a href="/about/index.html">About us</a> | <a href="{ADMIN_PATH}">Admin</a> |
<a href="mailto:webmaster@example.invalid">Contact us</a><br />
Copyright &copy; e.my399.com All Rights Reserved. 黑ICP备05000399号<br />
Tel: 0451-00000399 &nbsp; Harbin News Network
</td></tr>
</table>
</body>
</html>
"""


def _classic_most_read(items: Sequence[tuple[str, str]]) -> str:
    lis = "\n".join(f'<tr><td class="rank">{i}</td><td><a href="{_a(h)}">{_e(t)}</a></td></tr>'
                    for i, (t, h) in enumerate(items, 1))
    return f'<table class="mostread"><tr><th colspan="2">Most Read</th></tr>\n{lis}\n</table>'


def _classic_article(record: Record, most_read: Sequence[tuple[str, str]],
                     nav: list[tuple[str, str]]) -> str:
    section = record["section"]
    crumb = ""
    if record.get("breadcrumb"):
        crumb = (f'<div class="position"><a href="/index.html">Home</a>&gt;'
                 f'<a href="{listing_path(section, 0)}">{_e(record["breadcrumb"])}</a></div>')
    body: list[str] = []
    for i, (kind, text) in enumerate(_body_items(record)):
        if kind == "para":
            body.append(f"<p>{_e(text)}</p>")
        elif kind == "subhead":
            body.append(f"<p><strong>{_e(text)}</strong></p>")
        elif kind == "caption":
            body.append(f'<p align="center"><img src="{_image_src(record, i)}" border="0" />'
                        f"<br />{_e(text)}</p>")
        else:
            body.append(f'<p align="center">{_e(text)}</p>')
    pages = _pagination(record)
    if pages:
        body.append(f'<div class="page">{_e(pages)}</div>')
    teasers = list(record.get("teasers", []))
    teaser_html = ""
    if teasers:
        parts: list[str] = []
        for j, t in enumerate(teasers):
            if j and len(teasers) >= 3:
                parts.append("<p>-</p>")
            parts.append(f'<p class="rtitle"><b>{_e(t["title"])}</b></p>\n<p>{_e(t["lead"])}</p>')
        teaser_html = '<div class="relnews">\n' + "\n".join(parts) + "\n</div>"
    body_html = "\n".join(body)
    main = f"""{crumb}
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="article">
<tr><td class="title" align="center">{_e(record["title"])}</td></tr>
<tr><td class="info" align="center">Updated : {_e(record["published"])}</td></tr>
<tr><td class="info" align="center">{_e(_byline(record))}</td></tr>
<tr><td class="content" id="Zoom">
{body_html}
</td></tr>
</table>
{teaser_html}"""
    return _classic_shell(record["title"], nav, main, _classic_most_read(most_read))


def _classic_listing(title: str, items: Sequence[tuple[str, str, str]], next_href: str | None,
                     nav: list[tuple[str, str]], extra: Sequence[tuple[str, str]]) -> str:
    rows = "\n".join(f'<tr><td class="lt"><a href="{_a(h)}">{_e(t)}</a></td>'
                     f'<td class="ld">{_e(d)}</td></tr>' for t, h, d in items)
    pager = f'<div class="pages"><a href="{_a(next_href)}">Next</a></div>' if next_href else ""
    links = " | ".join(f'<a href="{_a(h)}">{_e(t)}</a>' for t, h in extra)
    main = f"""<div class="position"><a href="/index.html">Home</a>&gt;{_e(title)}</div>
<table width="100%" class="list">
{rows}
</table>
{pager}"""
    side = f'<div class="links"><h3>Links</h3>{links}</div>'
    return _classic_shell(title, nav, main, side)


# ---------------------------------------------------------------- modern variant


def _modern_shell(title: str, nav: list[tuple[str, str]], main: str, side: str) -> str:
    nav_html = "".join(f'<li><a href="{_a(h)}">{_e(t)}</a></li>' for t, h in nav)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} | Harbin</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body class="pw-site">
<nav class="site-nav" aria-label="Sections"><ul>{nav_html}</ul></nav>
<div class="page-wrap">
<main class="page-main">
{main}
</main>
{side}
</div>
<footer class="site-footer">
<p>&copy; Harbin News Network. All rights reserved. 黑ICP备05000399号</p>
<p><a href="/about/index.html">About</a> · <a href="{ADMIN_PATH}">Staff login</a> ·
Contact: 0451-00000399</p>
</footer>
</body>
</html>
"""


def _modern_aside(heading: str, items: Sequence[tuple[str, str]]) -> str:
    lis = "".join(f'<li><a href="{_a(h)}">{_e(t)}</a></li>' for t, h in items)
    return f'<aside class="sidebar"><h2>{_e(heading)}</h2><ol>{lis}</ol></aside>'


def _modern_article(record: Record, most_read: Sequence[tuple[str, str]],
                    nav: list[tuple[str, str]]) -> str:
    section = record["section"]
    crumb = ""
    if record.get("breadcrumb"):
        crumb = (f'<div class="crumbs"><a href="/index.html">Home</a>&gt;'
                 f'<a href="{listing_path(section, 0)}">{_e(record["breadcrumb"])}</a></div>')
    blocks: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            blocks.append('<div class="txt">' + "<br>\n".join(run) + "<br></div>")
            run.clear()

    for i, (kind, text) in enumerate(_body_items(record)):
        if kind == "para" and i % 3 != 2:
            run.append(_e(text))
            continue
        flush()
        if kind == "para":
            blocks.append(f"<p>{_e(text)}</p>")
        elif kind == "subhead":
            blocks.append(f"<p><b>{_e(text)}</b></p>")
        elif kind == "caption":
            blocks.append(f'<div class="pic"><img src="{_image_src(record, i)}" alt=""><br>'
                          f"{_e(text)}</div>")
        else:
            blocks.append(f"<div>{_e(text)}</div>")
    flush()
    pages = _pagination(record)
    if pages:
        blocks.append(f'<div class="pager">{_e(pages)}</div>')
    teasers = list(record.get("teasers", []))
    for j, t in enumerate(teasers):
        if j:
            blocks.append("<p>-</p>")
        blocks.append(f"<p>{_e(t['title'])}</p>\n<p>{_e(t['lead'])}</p>")
    body_html = "\n".join(blocks)
    main = f"""<article class="story">
<header class="story-head">
{crumb}
<h1 class="headline">{_e(record["title"])}</h1>
<div class="dateline">Updated : {_e(record["published"])}</div>
<div class="source">{_e(_byline(record))}</div>
</header>
<div class="story-body">
{body_html}
</div>
</article>"""
    return _modern_shell(record["title"], nav, main, _modern_aside("Most read", most_read))


def _modern_listing(title: str, items: Sequence[tuple[str, str, str]], next_href: str | None,
                    nav: list[tuple[str, str]], extra: Sequence[tuple[str, str]]) -> str:
    lis = "\n".join(f'<li class="card"><a class="card-link" href="{_a(h)}">{_e(t)}</a> '
                    f'<span class="card-date">{_e(d)}</span></li>' for t, h, d in items)
    pager = (f'<nav class="pager"><a rel="next" href="{_a(next_href)}">Next</a></nav>'
             if next_href else "")
    main = f"""<section class="listing">
<h1>{_e(title)}</h1>
<ul class="cards">
{lis}
</ul>
{pager}
</section>"""
    return _modern_shell(title, nav, main, _modern_aside("Elsewhere", extra))


_ARTICLE: dict[str, Callable[..., str]] = {"classic": _classic_article, "modern": _modern_article}
_LISTING: dict[str, Callable[..., str]] = {"classic": _classic_listing, "modern": _modern_listing}


def _check_variant(variant: str) -> None:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")


# ---------------------------------------------------------------- public API


def render_article(record: Record, variant: str = "classic",
                   most_read: Sequence[tuple[str, str]] | None = None,
                   sections: Sequence[str] | None = None) -> bytes:
    """One article page as UTF-8 bytes. `most_read` is a list of (title, href)."""
    _check_variant(variant)
    nav = _nav_links(list(sections) if sections else list(SECTION_NAMES)[:9])
    items = list(most_read) if most_read is not None else list(_STANDALONE_MOST_READ)
    return _ARTICLE[variant](record, items, nav).encode("utf-8")


def _robots() -> bytes:
    return b"User-agent: *\nDisallow: /admin/\nAllow: /\n"


def build_site(records: Sequence[Record], variant: str = "classic", per_page: int = 5,
               base_url: str | None = None) -> dict[str, Page]:
    """Whole site as {path: Page}: robots, home, section listings, articles and noise pages.

    When `base_url` (e.g. "http://127.0.0.1:8123") is given, some links are absolute.
    """
    _check_variant(variant)
    if per_page < 1:
        raise ValueError("per_page must be >= 1")
    ordered = _newest_first(records)
    sections = _sections_in_order(ordered)
    nav = _nav_links(sections)
    render_art = _ARTICLE[variant]
    render_list = _LISTING[variant]
    pages: dict[str, Page] = {"/robots.txt": Page(_robots(), "text/plain; charset=utf-8")}

    top = ordered[:6]
    for n, rec in enumerate(ordered):
        picks = [r for r in top if r is not rec][:5]
        most_read = [(r["title"], _link(article_path(r), 1 + (k % 2), base_url))
                     for k, r in enumerate(picks)]
        html = render_art(rec, most_read, nav)
        ctype = LYING_CONTENT_TYPE if rec.get("lying_charset") else HTML_UTF8
        path = article_path(rec)
        if path in pages:
            raise ValueError(f"duplicate article path {path} (record #{n})")
        pages[path] = Page(html.encode("utf-8"), ctype)

    noise = [("Photo Gallery", GALLERY_PATH), ("Sights", SIGHTS_PATH),
             ("China Daily", OFFSITE_URL), ("Admin", ADMIN_PATH)]
    by_section: dict[str, list[Record]] = {s: [] for s in sections}
    for rec in ordered:
        by_section[rec["section"]].append(rec)
    for section, recs in by_section.items():
        chunks = [recs[i:i + per_page] for i in range(0, len(recs), per_page)]
        for page_no, chunk in enumerate(chunks):
            items = [(r["title"], _link(article_path(r), k % 3, base_url, section),
                      r["url_date"]) for k, r in enumerate(chunk)]
            next_href = f"index_{page_no + 1}.html" if page_no + 1 < len(chunks) else None
            title = section_name(section)
            html = render_list(title, items, next_href, nav, noise)
            pages[listing_path(section, page_no)] = Page(html.encode("utf-8"))

    home_items = [(r["title"], _link(article_path(r), 1 + (k % 2), base_url), r["url_date"])
                  for k, r in enumerate(ordered[:10])]
    pages["/index.html"] = Page(render_list("Home", home_items, None, nav, noise).encode())
    if GALLERY_PATH not in pages:
        pages[GALLERY_PATH] = Page(render_list("Photo Gallery", [], None, nav, []).encode())
    if SIGHTS_PATH not in pages:
        pages[SIGHTS_PATH] = Page(render_list("Sights", [], None, nav, []).encode())
    if "/about/index.html" not in pages:
        pages["/about/index.html"] = Page(render_list("About Harbin", [], None, nav, []).encode())
    pages[ADMIN_PATH] = Page(render_list("Admin", [], None, [], []).encode())
    return pages

