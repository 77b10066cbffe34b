"""The article record that flows from the parser through the pipeline stages to storage, and the
typed results the stages hand each other (no free-form keys between stages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from archive.warc import KeptPage

DedupKind = Literal["new", "known", "alias", "duplicate"]
Outcome = Literal["new", "updated", "unchanged", "alias", "error"]


@dataclass
class Fingerprint:
    """What the near-duplicate comparison needs of a text, computed once (in a worker process)
    and stored beside the article, so that candidates are compared without their texts."""

    bands: list[int]  # LSH band keys of the MinHash signature (the lookup index)
    minhash: bytes  # the MinHash signature (NUM_PERM little-endian uint32): estimated Jaccard
    figures: frozenset[str]  # the numbers the text states
    shingles: int  # how many distinct shingles the text has
    words: int  # how many tokens
    simhash: int | None = None
    cjk: bool = False  # shingled as Chinese characters (compared by containment too)


@dataclass
class DedupResult:
    """The dedup decision: "new", "known" (same URL: a re-fetch), "alias" (exact copy of
    `article_id`) or "duplicate" (near copy of `article_id`). A new article can be the earlier
    original of a stored copy: `supersedes` names that copy."""

    kind: DedupKind
    article_id: int | None = None
    supersedes: int | None = None
    similarity: float | None = None


@dataclass
class StorageOutcome:
    """What storage did with the item: its row id, or the one-line reason it was refused."""

    outcome: Outcome
    article_id: int | None = None
    error: str | None = None


@dataclass
class ArticleItem:
    url: str
    title: str
    text: str
    published: date | None = None
    # Where `published` came from: jsonld, meta, time, visible, url or profile.
    published_source: str | None = None
    url_date: date | None = None
    section: str | None = None
    byline_source: str | None = None
    author: str | None = None
    language: str | None = None
    source: str = ""
    # Where each read field came from ({"title": "jsonld", "body": "trafilatura", ...}).
    provenance: dict[str, str] = field(default_factory=dict)
    # Filled by the pipeline stages.
    canonical_url: str = ""
    topics: list[str] = field(default_factory=list)
    topic_terms: dict[str, list[str]] = field(default_factory=dict)
    topics_tagged: bool = False  # set once topics were tagged (in a worker or the pipeline)
    facts: list[dict[str, Any]] = field(default_factory=list)
    extractor_version: str | None = None  # set once facts were extracted
    text_hash: str = ""  # the normalised body's hash (pipelines.storage.text_hash)
    fingerprint: Fingerprint | None = None  # pipelines.dedup.fingerprint of the text
    dedup: DedupResult | None = None  # decided when the article is written
    stored: StorageOutcome | None = None
    page: KeptPage | None = None  # the WARC record it was read from (archive.warc), if kept
