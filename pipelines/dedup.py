"""Duplicate detection as plain functions: word shingles, MinHash-LSH band keys, Jaccard
similarity and the exact / near-duplicate decision over a database lookup by bands."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from datasketch import MinHash
from sqlalchemy.orm import Session
from trafilatura.deduplication import Simhash

from archive.store import article_texts, find_article, find_by_text_hash, shared_band_counts

SHINGLE_WORDS = 3  # words per shingle; figures are words, so changed numbers change shingles
NUM_PERM = 128  # MinHash permutations (a fixed seed keeps band keys stable across runs)
BANDS, ROWS = 42, 3  # LSH: 42 bands of 3 rows → candidates from Jaccard ≈ 0.3 upwards
SEED = 1
NEAR_THRESHOLD = 0.4  # Jaccard of shingle sets from which two stories may be one story...
FIGURE_AGREEMENT = 0.4  # ...when they also share this share of their figures (look-alikes don't)
MIN_FIGURES = 3  # with fewer figures in either text the words alone must agree:
WORDS_ONLY_THRESHOLD = 0.6
MIN_SHINGLES = 25  # shorter texts (generic notices) are never near-duplicates of anything
MIN_EXACT_WORDS = 25  # equal short bodies are aliases only when the titles are equal too
MAX_CANDIDATES = 20  # verified candidates per article: the check costs the same at any size

_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff]")


def tokens(text: str) -> list[str]:
    """Lower-case words and whole figures ("62.14", "1,200"); each CJK character is a token."""
    out: list[str] = []
    for token in _TOKEN.findall(text.casefold()):
        if _CJK.search(token):
            out.extend(token)
        else:
            out.append(token.replace(",", ""))
    return out


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of `size`-word sequences of the text (the whole text if it is shorter)."""
    words = tokens(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(text_a: str, text_b: str) -> float:
    """Jaccard similarity of the two texts' shingle sets, 0..1."""
    return jaccard(shingles(text_a), shingles(text_b))


def figures(text: str) -> set[str]:
    """The numbers a text states ("62.14", "2019", "14000")."""
    return {token for token in tokens(text) if token[0].isdigit()}


def same_story(shingles_a: set[str], figures_a: set[str], shingles_b: set[str],
               figures_b: set[str]) -> float | None:
    """The similarity score when the two texts tell one story, else None.

    Reports built on one template share most words but few figures; a story republished with
    a new lead or a revised number keeps most of both.
    """
    if min(len(shingles_a), len(shingles_b)) < MIN_SHINGLES:
        return None  # short generic notices look alike without being one story
    score = jaccard(shingles_a, shingles_b)
    if min(len(figures_a), len(figures_b)) >= MIN_FIGURES:
        agreed = score >= NEAR_THRESHOLD and jaccard(figures_a, figures_b) >= FIGURE_AGREEMENT
    else:
        agreed = score >= WORDS_ONLY_THRESHOLD
    return score if agreed else None


def is_same_story(text_a: str, text_b: str) -> bool:
    return same_story(shingles(text_a), figures(text_a), shingles(text_b),
                      figures(text_b)) is not None


def _signed64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def band_keys(shingle_set: set[str]) -> list[int]:
    """BANDS signed 64-bit keys of the MinHash signature; similar texts share some keys."""
    if not shingle_set:
        return []
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([s.encode() for s in sorted(shingle_set)])
    values = minhash.hashvalues
    return [_signed64(values[b * ROWS:(b + 1) * ROWS].tobytes()) for b in range(BANDS)]


def simhash(text: str) -> int | None:
    """trafilatura's 64-bit SimHash of the text, stored signed (BigInteger)."""
    if not text.strip():
        return None
    value = Simhash(text).hash
    return value - (1 << 64) if value >= 1 << 63 else value


@dataclass
class Fingerprint:
    shingles: set[str]
    bands: list[int]
    simhash: int | None
    words: int

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        shingle_set = shingles(text)
        return cls(shingle_set, band_keys(shingle_set), simhash(text), len(tokens(text)))


@dataclass
class Decision:
    """"new", "known" (same URL: a re-fetch), "alias" (exact copy) or "duplicate" (near).

    A new article can be the earlier original of a stored copy: `supersedes` names that copy.
    """

    kind: str
    article_id: int | None = None
    supersedes: int | None = None
    similarity: float | None = None
    bands: list[int] = field(default_factory=list)
    simhash: int | None = None


def best_match(text: str, candidates: dict[int, str]) -> tuple[int, float] | None:
    """(id, score) of the candidate text most similar to `text` among those telling its story."""
    own_shingles, own_figures = shingles(text), figures(text)
    best: tuple[int, float] | None = None
    for article_id, other in sorted(candidates.items()):
        score = same_story(own_shingles, own_figures, shingles(other), figures(other))
        if score is not None and (best is None or score > best[1]):
            best = (article_id, score)
    return best


def decide(session: Session, canonical: str, title: str, text: str, text_hash: str,
           published: date | None = None) -> Decision:
    """Classify one fetched article against the archive (a few indexed queries)."""
    print_ = Fingerprint.of(text)
    known = find_article(session, canonical)
    if known is not None:
        return Decision("known", known.id, bands=print_.bands, simhash=print_.simhash)
    same = find_by_text_hash(session, text_hash)
    if same is not None and (print_.words >= MIN_EXACT_WORDS or same.title == title):
        return Decision("alias", same.id, 1.0)
    decision = Decision("new", bands=print_.bands, simhash=print_.simhash)
    if len(print_.shingles) < MIN_SHINGLES:
        return decision
    counts = shared_band_counts(session, print_.bands, MAX_CANDIDATES)
    texts = article_texts(session, list(counts))
    match = best_match(text, {i: row[0] for i, row in texts.items()})
    if match is None:
        return decision
    article_id, score = match
    _, root, dated = texts[article_id]
    decision.similarity = round(score, 4)
    if root is None and published and dated and published < dated:
        decision.supersedes = article_id  # the stored one is the later copy of this story
    else:  # point at the original, not at another copy of it
        decision.kind, decision.article_id = "duplicate", root or article_id
    return decision
