"""Markup the sample site never uses: one table cell holding everything, `<br><br>` between
paragraphs, the date and byline on one line, a Chinese "you are here" breadcrumb, teasers as
links. The parser must still read every record right."""

from __future__ import annotations

import html
from datetime import date

import pytest

from crawler.parsing.article import parse_article
from foundation.settings import load_settings
from parkwatch.samplesite import article_path, load_records

RECORDS = load_records()
PROFILE = load_settings().source("e-my399")
E = html.escape


def render_unseen(record: dict) -> bytes:
    crumb = (f"您现在的位置：<a href='/'>Home</a> &gt; <a href='/{record['section']}/'>"
             f"{E(record['breadcrumb'])}</a>" if record["breadcrumb"] else "")
    author = f"{E(record['author'])} " if record["author"] else ""
    parts = []
    captions = record.get("captions") or []
    for index, paragraph in enumerate(record["paragraphs"]):
        parts.append(E(paragraph))
        if index < len(captions) and captions[index]:
            parts.append(f"<center>{E(captions[index])}</center>")
    teasers = "".join(
        f"<br><br><a href='/news/2020-01-0{i + 1}/{100 + i}.html'>{E(t['title'])}</a><br>"
        f"{E(t['lead'])}" for i, t in enumerate(record["teasers"]))
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{E(record['title'])}_Harbin</title></head><body>
<table width="960"><tr><td><img src="/logo.gif"> <a href="/">HOME</a> <a href="/news/">NEWS</a>
 <a href="/business/parks/">PARKS</a></td></tr>
<tr><td class="x1">{crumb}</td></tr>
<tr><td><font size="4"><b>{E(record['title'])}</b></font></td></tr>
<tr><td>Updated : {record['published']}&nbsp;&nbsp;&nbsp;By {author}( {E(record['byline_source'])} )
</td></tr>
<tr><td>{'<br><br>'.join(parts)}{teasers}</td></tr>
<tr><td><b>Related stories</b><br><a href="/news/">Harbin opens new metro line</a><br>
<a href="/news/">Ice festival opens</a></td></tr>
<tr><td>Copyright © e.my399.com. All Rights Reserved</td></tr></table></body></html>""".encode()


@pytest.mark.parametrize("record", RECORDS, ids=[str(r["id"]) for r in RECORDS])
def test_unseen_markup(record: dict) -> None:
    url = "https://e.my399.com" + article_path(record)
    article = parse_article(render_unseen(record), url, PROFILE)
    assert article.title == record["title"]
    assert article.published == date.fromisoformat(record["published"])
    assert article.section == (record["breadcrumb"] or PROFILE.section_name(record["section"]))
    assert article.byline_source == record["byline_source"]
    assert article.author == (record["author"].title() if record["author"] else None)
    assert article.text.split("\n") == record["paragraphs"]
