"""Scoring page reading: bag-of-tokens F1 of a body against its gold paragraphs (CJK characters
count one token each), and the corpora it is measured on (dev: the fixture sites; blind: saved
pages in markups written after the reading rules were frozen)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

TOKEN = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*|[\u3400-\u9fff]")
BLIND_DIR = Path(__file__).resolve().parents[1] / "parsing" / "blind"


def tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text.lower()))


def f1(got: str, gold: str) -> float:
    a, b = tokens(got), tokens(gold)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Case:
    """One stored page and what a reader should take from it."""

    name: str
    body: bytes
    url: str
    encoding: str | None
    gold: dict  # title, published, text (list of paragraphs), ...
    profile: str | None  # a built-in profile name, or None for an address-only source


def dev_cases() -> Iterator[Case]:
    from parkwatch.samplesite.sites import SITES

    expected_dir = Path(__file__).resolve().parents[1] / "sites" / "expected"
    for name, site in SITES.items():
        expected = json.loads((expected_dir / f"{name}.json").read_text(encoding="utf-8"))
        for record in site.load():
            path = site.path(record)
            for variant in site.variants:
                yield Case(f"{name}/{variant}{path}", site.render(record, variant),
                           site.base_url + path, site.content_type(record), expected[path],
                           name if name == "e-my399" else None)


def blind_cases() -> Iterator[Case]:
    expected = json.loads((BLIND_DIR / "expected.json").read_text(encoding="utf-8"))
    for file_name, gold in sorted(expected.items()):
        yield Case(f"blind/{file_name}", (BLIND_DIR / file_name).read_bytes(), gold["url"],
                   gold.get("encoding"), gold, None)


def gold_date(case: Case) -> date | None:
    raw = case.gold.get("published")
    return date.fromisoformat(raw) if raw else None


def address_profile(url: str, language: str | None = None, **rules):
    """A source known by its address only (what `[sources.X] base_url = …` gives)."""
    from urllib.parse import urlsplit

    from foundation.profile import Profile

    parts = urlsplit(url)
    extra = {"language": language} if language else {}
    return Profile(name=parts.hostname or "site", base_url=f"{parts.scheme}://{parts.netloc}",
                   **extra, **rules)


def profile_for(case: Case):
    from foundation.settings import load_settings

    if case.profile:
        return load_settings().source(case.profile)
    return address_profile(case.url, case.gold.get("language"))
