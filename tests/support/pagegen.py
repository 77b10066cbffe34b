"""Hostile HTML for the reader's fuzzers (tests/reliability/test_reader_fuzz.py and
bench/bench_reader_fuzz.py): Hypothesis strategies that generate pages from a grammar of what
real pages get wrong — comments, processing instructions, CDATA and doctypes anywhere, broken
nesting and stray end tags, NULs and controls, entity-encoded controls, huge attributes,
broken JSON-LD, lying charsets and odd encodings — and that mutate the fixture sites' pages
(insertions at random places, cuts, repeats, truncation, flipped bytes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

HERE = Path(__file__).resolve().parents[1]

TAGS = ["p", "div", "span", "a", "h1", "h2", "li", "ul", "ol", "table", "tr", "td", "th",
        "tbody", "article", "section", "main", "nav", "aside", "header", "footer", "figure",
        "figcaption", "time", "b", "strong", "em", "br", "hr", "img", "form", "select",
        "option", "textarea", "pre", "code", "blockquote", "dl", "dt", "dd", "font", "center",
        "iframe", "noscript", "template", "svg", "math", "object", "frameset", "frame", "body",
        "head", "html", "title", "meta", "base", "link", "button", "label", "input", "x-widget"]
ATTRIBUTES = ["class", "id", "href", "src", "datetime", "content", "name", "property",
              "itemprop", "itemtype", "rel", "style", "lang", "dir", "aria-label", "onclick",
              "data-x", "charset", "http-equiv", "xmlns", "xml:lang", "type"]
META_NAMES = ["article:published_time", "og:title", "og:url", "author", "description",
              "pubdate", "publishdate", "article:section", "article:author", "og:type",
              "dc.date", "dcterms.created", "citation_publication_date", "keywords"]
WORDS = ["Songbei", "industrial park", "output value", "100 billion yuan", "up 6.5 percent",
         "同比增长6.5%", "开发区", "发布时间：2024年3月1日", "Updated : 2024-03-01 08:00",
         "By ( Wang Li )", "Source: e.my399.com", "2024-02-30", "2024-13-45", "1970-01-01",
         "您当前的位置：首页 > 新闻", "Home > News > Parks", "javascript:alert(1)",
         "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "\u202eevil", "\ufffe",
         "&#0;", "&#x1b;", "&#xd800;", "&#1114112;", "&#65535;", "&#x85;", "&nbsp;", "&amp",
         "&#", "\x00", "\x08", "\x1b[31m", "\r\n", "\u2028", "\u3000", "\U0001f600"]
CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030",
          "gbk", "gb2312", "big5", "shift_jis", "euc-jp", "euc-kr", "latin-1", "cp1252",
          "koi8-r", "iso-8859-7", "utf-7", "ascii"]
DECLARED = [None, "utf-8", "gbk", "gb18030", "utf-16", "iso-8859-1", "x-unknown", "utf-7",
            "", "utf8;", "'utf-8'", "ebcdic-cp-us", "UTF-32", "none", "big5-hkscs", "\x00"]


@dataclass(frozen=True)
class Page:
    """One page to read: its bytes, the URL it is read as, the charset its header declared."""

    body: bytes
    url: str
    charset: str | None
    origin: str  # "generated" or "mutated <fixture name>"


text = st.one_of(st.text(max_size=40), st.sampled_from(WORDS),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
attribute_value = st.one_of(text, st.sampled_from(["javascript:alert(1)", "2024-03-01",
                                                   "2024-03-01T08:00:00+08:00", "#", "//"]),
                            st.integers(1, 50_000).map(lambda n: "a" * n))


@st.composite
def attributes(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.one_of(st.sampled_from(ATTRIBUTES), st.text(min_size=1, max_size=6)))
        value = draw(attribute_value)
        quote = draw(st.sampled_from(['"', "'", "", '"unterminated']))
        parts.append(f" {name}={quote}{value}{quote if len(quote) == 1 else ''}")
    return "".join(parts)


def _json_ld(headline: str, date: str, extra: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
            "datePublished": date, "author": extra, "articleSection": extra,
            "breadcrumb": {"@type": "BreadcrumbList", "itemListElement": extra}}
    return json.dumps(data, ensure_ascii=False)


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), text),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(text, inner, max_size=4)),
                           max_leaves=12)


SPECIALS = [
    "<!--{0}-->", "<!--{0}", "<!-->", "<!--->", "<!--[if lt IE 9]>{0}<![endif]-->",
    "<?php {0} ?>", "<?xml version='1.0' encoding='{0}'?>", "<?{0}>", "<![CDATA[{0}]]>",
    "<!DOCTYPE html>", "<!DOCTYPE {0}>", "</{0}>", "</p>", "</div></div></div>", "<", ">", "&",
    "<script>{0}</scr", "<style>{0}", '<script type="application/ld+json">{0}</script>',
    "<time datetime='{0}'>{0}</time>", "<br{0}>", "<a href='{0}'>{0}</a>", "json-ld", "meta"]
special_kinds = st.sampled_from(SPECIALS)
dates = st.sampled_from(WORDS[11:16])
metas = st.sampled_from(META_NAMES)


@st.composite
def special(draw: st.DrawFn) -> str:
    """A node that is not an ordinary element: what lxml hands over as a non-element."""
    kind, body = draw(special_kinds), draw(text).replace("{", "(")
    if kind == "json-ld":
        return ('<script type="application/ld+json">'
                + _json_ld(body, draw(dates), draw(json_values)) + "</script>")
    if kind == "meta":
        return f'<meta property="{draw(metas)}" content="{body}">'
    return kind.format(body)


nodes = st.recursive(
    st.one_of(text, special()),
    lambda children: st.builds(
        lambda tag, attrs, kids, close: f"<{tag}{attrs}>{''.join(kids)}"
                                        + ("" if close == "none" else
                                           f"</{tag}>" if close == "own" else f"</{close}>"),
        st.sampled_from(TAGS), attributes(), st.lists(children, max_size=5),
        st.sampled_from(["own", "own", "own", "none", "div", "p", "html", "body"])),
    max_leaves=20)


def _links(label: str, count: int) -> str:
    return "".join(f"<li><a href='/n/{i}.html'>{label} story number {i}</a></li>"
                   for i in range(count))


words = st.lists(st.sampled_from(WORDS[:9]) | text, min_size=3, max_size=12).map(" ".join)
headings = st.sampled_from(["Related", "Read more", "相关新闻", "More"])


@st.composite
def article_blocks(draw: st.DrawFn) -> list[str]:
    """The blocks of a news page — breadcrumb, heading, date and byline lines, paragraphs,
    a figure, lists of related links, a share box, a table, a footer — in a drawn order."""
    label = draw(text)
    blocks = [
        f"<div class='crumbs'><a href='/'>Home</a> &gt; <a href='/news/'>{label}</a></div>",
        f"<h1>{draw(words)}</h1>",
        f"<p class='info'>{draw(st.sampled_from(WORDS[6:12]))} {label}</p>",
        f"<p>By {draw(text)} ( {label} )</p>",
        *(f"<p>{draw(words)}. {draw(words)}.</p>" for _ in range(draw(st.integers(0, 6)))),
        f"<figure><img src='/i.jpg' alt='{label}'><figcaption>{label}</figcaption></figure>",
        f"<h3>{draw(headings)}</h3><ul>{_links(label, draw(st.integers(0, 8)))}</ul>",
        f"<ol>{_links(label, draw(st.integers(1, 5)))}</ol>",
        f"<div class='share'>Share: <a href='#'>{label}</a></div>",
        f"<table><tr><td>索引号</td><td>{label}</td></tr><tr><th>{label}</th></tr></table>",
        f"<footer>Copyright {label}</footer>",
    ]
    return draw(st.permutations(blocks)) if draw(st.booleans()) else blocks


@st.composite
def sprinkled(draw: st.DrawFn, blocks: list[str]) -> str:
    """The blocks with specials (comments, instructions, stray tags …) between them and
    inside them, after a drawn share of their tags (placed by one seeded generator: drawing
    each place from Hypothesis cost more than reading the page)."""
    share = draw(st.sampled_from([0.0, 0.2, 0.5, 1.0]))
    pool = draw(st.lists(special(), min_size=1, max_size=4))
    rng = draw(st.randoms(use_true_random=False))
    out = []
    for block in blocks:
        for piece in block.split(">")[:-1]:
            out.append(piece + ">" + (rng.choice(pool) if rng.random() < share else ""))
        out.append(block.rsplit(">", 1)[-1])
        if rng.random() < max(share, 0.3):
            out.append(rng.choice(pool))
    return "".join(out)


@st.composite
def generated_markup(draw: st.DrawFn) -> str:
    head = "".join(draw(st.lists(st.one_of(special(), nodes), max_size=4)))
    if draw(st.integers(0, 3)):
        body = draw(sprinkled(draw(article_blocks())))
    else:
        body = "".join(draw(st.lists(nodes, min_size=1, max_size=8)))
    prolog = draw(st.sampled_from(["", "<!DOCTYPE html>", "\ufeff", "<?xml version='1.0'?>",
                                   "<!-- first -->", "  \n", "<?php echo 1; ?>"]))
    shape = draw(st.sampled_from(["full", "full", "no-html", "fragment", "two-bodies"]))
    if shape == "full":
        return f"{prolog}<html><head>{head}</head><body>{body}</body></html>"
    if shape == "no-html":
        return f"{prolog}<head>{head}</head>{body}"
    if shape == "two-bodies":
        return f"{prolog}<html><body>{head}</body><body>{body}</body></html><!--after-->"
    return prolog + head + body


@st.composite
def encoded(draw: st.DrawFn, markup: str) -> tuple[bytes, str | None]:
    codec = draw(st.sampled_from(CODECS))
    declared = draw(st.sampled_from(DECLARED))
    if declared is not None and draw(st.booleans()):
        markup = f'<meta charset="{declared}">' + markup
    errors = draw(st.sampled_from(["replace", "ignore", "xmlcharrefreplace", "surrogatepass"]))
    try:
        body = markup.encode(codec, errors=errors)
    except (UnicodeError, LookupError):
        body = markup.encode("utf-8", errors="surrogatepass")
    return body, draw(st.sampled_from(DECLARED))


@cache
def fixture_pages() -> tuple[tuple[str, bytes], ...]:
    """Every stored page of the tests and a rendering of each fixture site's articles."""
    from parkwatch.samplesite import SITES

    found = [(path.name, path.read_bytes()) for path in sorted(HERE.rglob("*.html"))]
    for site in SITES.values():
        for variant in site.variants:
            for record in site.load()[:6]:
                found.append((f"{site.name}/{variant}/{site.path(record)}",
                              site.render(record, variant)))
    return tuple(found)


@st.composite
def mutation(draw: st.DrawFn, body: bytes) -> bytes:
    size = len(body)
    at = draw(st.integers(0, size))
    end = draw(st.integers(at, min(size, at + 4000)))
    kind = draw(st.sampled_from(["insert", "insert", "insert", "cut", "repeat", "truncate",
                                 "flip", "nul", "swap-angles", "comment-everywhere"]))
    if kind == "insert":
        piece = draw(st.one_of(special(), nodes)).encode("utf-8", errors="surrogatepass")
        return body[:at] + piece + body[at:]
    if kind == "cut":
        return body[:at] + body[end:]
    if kind == "repeat":
        return body[:end] + body[at:end] * draw(st.integers(1, 50)) + body[end:]
    if kind == "truncate":
        return body[:at]
    if kind == "flip":
        flipped = bytearray(body)
        for index in draw(st.lists(st.integers(0, max(0, size - 1)), max_size=20)):
            if flipped:
                flipped[index] ^= draw(st.integers(1, 255))
        return bytes(flipped)
    if kind == "nul":
        return body[:at] + b"\x00" * draw(st.integers(1, 64)) + body[at:]
    if kind == "swap-angles":
        return body[:at] + body[at:end].replace(b"<", b">").replace(b"/", b"<") + body[end:]
    piece = draw(special()).encode("utf-8", errors="surrogatepass")
    return (b">" + piece).join(body.split(b">", 3000))  # a comment or instruction after tags


@st.composite
def hostile_pages(draw: st.DrawFn) -> Page:
    """A generated page or a mutated fixture page, in some encoding, at some URL."""
    url = draw(st.sampled_from(["http://e.my399.com/news/2024-03-01/1.html",
                                "http://www.example.com/a/b.html", "file:///tmp/saved.html",
                                "http://localhost/2024/02/30/x/", "http://[::1]:8080/?a=%zz"]))
    if draw(st.booleans()):
        body, charset = draw(encoded(draw(generated_markup())))
        return Page(body, url, charset, "generated")
    name, body = draw(st.sampled_from(fixture_pages()))
    for _ in range(draw(st.integers(1, 4))):
        body = draw(mutation(body))
    return Page(body, url, draw(st.sampled_from(DECLARED)), f"mutated {name}")
