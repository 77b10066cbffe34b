"""The seed article (../shared/seed) served at its real path inside a fixture site, crawled
through Scrapy, checked against the `article` block of ../shared/gold/seed-metrics.json."""

from __future__ import annotations

import html
import json
from urllib.parse import urlsplit

from parkwatch.samplesite import Page
from pipelines.metrics.evaluate import score
from tests.support.sites import serve


def seed_page(text: str) -> bytes:
    """Wrap the seed's lines in markup of the site's shape; the trailing teaser stays in."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    crumb, title, updated, byline, *rest = lines
    body, (teaser_title, teaser_lead) = rest[:-2], rest[-2:]
    e = html.escape
    paragraphs = "".join(f"<p>{e(p)}</p>" for p in body)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{e(title)}</title></head><body>
<div class="top"><a href="/index.html">Home</a> | <a href="/news/index.html">Harbin Today</a>
| <a href="/business/parks/index.html">Industrial Parks</a></div>
<table><tr><td><div>{e(crumb)}</div><h2>{e(title)}</h2><p>{e(updated)}</p><p>{e(byline)}</p>
<div class="con">{paragraphs}<p>{e(teaser_title)}</p><p>{e(teaser_lead)}</p></div>
</td></tr></table><div class="foot">Copyright e.my399.com. All rights reserved.</div>
</body></html>""".encode()


def test_seed_article_matches_the_gold(workspace, shared_dir) -> None:
    gold = json.loads((shared_dir / "gold" / "seed-metrics.json").read_text())["article"]
    seed = next((shared_dir / "seed").glob("*.txt")).read_text(encoding="utf-8")
    path = urlsplit(gold["url"]).path
    server = serve("classic")
    try:
        server.pages[path] = Page(seed_page(seed))
        workspace.point(server.url)
        workspace.crawl()
    finally:
        server.stop()
    article = next(a for a in workspace.articles() if urlsplit(a["url"]).path == path)
    assert article["title"] == gold["title"]
    assert article["published"] == gold["published"]
    assert article["url_date"] == gold["url_date"]
    assert article["section"] == gold["section"]
    assert article["byline_source"] == gold["byline_source"]
    assert article["text"].startswith(gold["body_starts_with"])
    assert article["text"].endswith(gold["body_ends_with"])
    for banned in gold["body_must_not_contain"]:
        assert banned not in article["text"]
    assert "\u00a0" not in article["text"]
    assert gold["topic"] in article["topics"]

    # The facts stored by the crawl's pipeline, against the gold facts.
    facts = json.loads((shared_dir / "gold" / "seed-metrics.json").read_text())["facts"]
    result = score([(facts, article["facts"])])
    assert result["f1"] >= 0.95, result
    assert article["facts"][0]["conversion"]["consistent"] is False
    for fact in article["facts"]:
        assert article["text"][fact["start"]:fact["end"]]  # offsets point into the stored text
