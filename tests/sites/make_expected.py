"""Write tests/sites/expected/<site>.json from the fixture records (never from the parser).

Run `python tests/sites/make_expected.py` after adding or editing a fixture article, then review
the diff: the expected JSON is what a reader of the page should take from it.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from parkwatch.samplesite.portal import COLUMNS  # noqa: E402
from parkwatch.samplesite.press import SECTIONS  # noqa: E402
from parkwatch.samplesite.render import SECTION_NAMES  # noqa: E402
from parkwatch.samplesite.sites import SITES  # noqa: E402

OUT = Path(__file__).with_name("expected")


def emy(record: dict) -> dict:
    return {"title": record["title"], "published": record["published"],
            "published_source": "profile", "url_date": record["url_date"],
            "author": record["author"].title() if record["author"] else None,
            "byline_source": record["byline_source"],
            "section": record["breadcrumb"] or SECTION_NAMES.get(record["section"],
                                                                 record["section"]),
            "language": "en", "text": record["paragraphs"]}


def portal(record: dict) -> dict:
    created = record["created"]
    if record["meta"]:
        published, source = record["published"][:10], "meta"
    elif record["date_style"] != "none":
        published, source = record["published"][:10], "visible"
    else:
        published, source = created, "url"
    return {"title": record["title"], "published": published, "published_source": source,
            "url_date": created, "author": record["author"], "byline_source": record["source"],
            "section": COLUMNS[record["column"]][1], "language": "zh",
            "text": record["paragraphs"]}


def press(record: dict) -> dict:
    source = {"jsonld": "jsonld", "og": "meta", "time": "time", "visible": "visible"}
    local_day = datetime.fromisoformat(record["published"]).date().isoformat()
    return {"title": record["title"], "published": local_day,
            "published_source": source[record["meta"]], "url_date": local_day,
            "author": record["author"], "byline_source": record["source"],
            "section": SECTIONS[record["section"]], "language": "en",
            "text": record["paragraphs"]}


EXPECT = {"e-my399": emy, "binbei-kfq": portal, "riverside-times": press}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, site in SITES.items():
        expected = {site.path(r): EXPECT[name](r) for r in site.load()}
        (OUT / f"{name}.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8")
        print(f"{name}: {len(expected)} articles")


if __name__ == "__main__":
    main()
