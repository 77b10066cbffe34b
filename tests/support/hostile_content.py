"""A fixture site whose articles are hostile CONTENT (tests/support/hostile.py is about hostile
servers): HTML and script payloads in titles, bodies, breadcrumbs (sections), bylines, figure
metrics, canonical links and og:url; spreadsheet formulas at the start of titles and
paragraphs; control characters and escape sequences. Every payload calls `pwn()`, which the
browser tests define before any page script runs: a payload that runs is recorded, an alert
is a dialog; nothing is written with a digit inside a payload (a digit would be read as a
figure and split it).

Written for these tests in the e-my399 site's shape, never copied from a real site."""

from __future__ import annotations

from html import escape
from typing import Any

from parkwatch.samplesite import Page, SiteServer, article_path, build_site, load_records

SCRIPT = "<script>pwn()</script>"
IMG = "<img src=x onerror=pwn()>"
SVG = '"><svg/onload=pwn()>'
BREAK_OUT = "</script><script>pwn()</script>"
TEMPLATE_IMG = "<img src=x onerror=pwn``>"  # no parentheses: a byline's author holds none
LINK = "javascript:pwn()"
WORD = "pwnword"  # searched for: its snippets carry the payloads around it
FORMULAS = ['=HYPERLINK("http://evil.example/","click")', "+cmd|' /C calc'!A0",
            "-sum(A1)+cmd|x", "@SUM(A1)", "\uff1dSUM(A1)"]

HOSTILE_RECORDS: list[dict[str, Any]] = [
    {"section": "business/parks", "url_date": "2024-10-01", "id": 9901,
     "title": f"{SCRIPT}Songbei park {IMG} doubles its output value",
     "published": "2024-10-01", "breadcrumb": None, "head_section": f"{IMG}Parks",
     "author": f"Wang {TEMPLATE_IMG}", "byline_source": "javascript:pwn``",
     "paragraphs": [
         f"The Songbei industrial park said on Tuesday that {SCRIPT} its member companies "
         f"had a strong year, {WORD} {IMG} led by parts makers.",
         f"{IMG} Songbei district GDP was 120.5 billion yuan in 2023, the park said.",
         f"{BREAK_OUT} district GDP was 60.5 billion yuan in 2022, up from the year before.",
         f"Its managers wrote {LINK} and <a href=\"{LINK}\">click</a> in a notice, "
         f"{SVG} and </textarea><svg onload=pwn()> and {{{{ pwn() }}}}.",
     ], "topics": ["industrial-parks"], "note": "HTML and script payloads in every field"},
    {"section": "business/parks", "url_date": "2024-10-02", "id": 9902,
     "title": FORMULAS[0], "published": "2024-10-02", "breadcrumb": "Industrial Parks",
     "author": None, "byline_source": "e.my399.com",
     "paragraphs": [
         f"{FORMULAS[1]} opened the industrial park's annual report, {WORD} said.",
         f"{FORMULAS[2]} and other text followed in the Hulan industrial park's notice.",
         f"{FORMULAS[3]} The park's output value reached 8.5 billion yuan in 2023.",
         f"{FORMULAS[4]} The Hulan park's managers expect more growth this year.",
     ], "topics": ["industrial-parks"], "note": "spreadsheet formulas at the start"},
    {"section": "business/parks", "url_date": "2024-10-03", "id": 9903,
     "title": "Daoli\x08 zone\x1b[31m grows\x1b[0m \u202efast\u202c",
     "published": "2024-10-03", "breadcrumb": "Industrial\x0b Parks",
     "author": "Li\x07 Na", "byline_source": "e.my399.com\x1b]0;owned\x07",
     "paragraphs": [
         f"The Daoli industrial zone\x08 said on Thursday\x1b[2J that its {WORD} output grew"
         "\x00 fast\ufffe in the first half of the year.",
         "Its managers\x7f expect\x85more growth\u2028this year, they said on Thursday.",
     ], "topics": ["industrial-parks"], "note": "control characters and escapes"},
]

def head_payloads(record: dict[str, Any]) -> str:
    """A `javascript:` canonical link and og:url, and the section in a meta when the record
    has one there (a breadcrumb's steps are split at '>': a tag in one would not survive)."""
    head = f'<link rel="canonical" href="{LINK}"><meta property="og:url" content="{LINK}">'
    if record.get("head_section"):
        head += f'<meta property="article:section" content="{escape(record["head_section"])}">'
    return head


def hostile_site() -> SiteServer:
    """The hostile articles among a few ordinary ones, on a real local server."""
    ordinary = [r for r in load_records() if r["section"] in ("business/parks", "news")][:5]
    server = SiteServer()
    server.start()
    pages = build_site([*ordinary, *HOSTILE_RECORDS], variant="classic", base_url=server.url)
    for record in HOSTILE_RECORDS:
        page = pages[article_path(record)]
        body = page.body.replace(b"</head>", head_payloads(record).encode() + b"</head>", 1)
        pages[article_path(record)] = Page(body, page.content_type, page.last_modified)
    server.pages.update(pages)
    return server
