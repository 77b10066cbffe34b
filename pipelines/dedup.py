"""Duplicate detection as plain functions: shingles, a MinHash fingerprint with LSH band keys, the
same-story rule over two fingerprints (estimated Jaccard plus figures) and the exact /
near-duplicate decision over a database lookup by bands — candidates are compared by their
stored fingerprints, never by re-reading their texts."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import cache
from operator import eq
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from archive.store import (
    StoredSignature,
    candidate_signatures,
    find_article_id,
    find_id_by_text_hash,
    shared_band_counts,
)
from pipelines.items import DedupResult, Fingerprint

if TYPE_CHECKING:  # numpy and trafilatura are imported where a fingerprint is made (a parse
    import numpy as np  # worker), not where stored ones are compared (the crawl's process)

SHINGLE_WORDS = 3  # words per shingle; figures are words, so changed numbers change shingles
# Chinese is one token per character: a 3-character shingle is about one word, and templated
# notices (one text, other names and dates) share most of them. Longer character shingles are
# broken by every scattered edit (a name, a date) yet survive a new lead or a trimmed ending.
CJK_SHINGLE_CHARS = 8
# A re-post (new lead, trimmed ending) keeps nearly all of the shorter text's shingles; a
# templated notice keeps the template but loses every shingle around each changed name, date or
# figure, on both sides. So Chinese stories must contain each other, not merely overlap.
CJK_CONTAINMENT = 0.9
CJK_MIN_SHINGLES = 50  # about 57 characters: shorter Chinese notices are never linked
CJK_MIN_FIGURES, CJK_FIGURE_CONTAINMENT = 2, 0.8  # the fewer figures, mostly in the other text
NUM_PERM = 128  # MinHash permutations (a fixed seed keeps band keys stable across runs)
BANDS, ROWS = 42, 3  # LSH: 42 bands of 3 rows → candidates from Jaccard ≈ 0.3 upwards
SEED = 1
NEAR_THRESHOLD = 0.4  # Jaccard of shingle sets from which two stories may be one story...
FIGURE_AGREEMENT = 0.4  # ...when they also share this share of their figures (look-alikes don't)
MIN_FIGURES = 3  # with fewer figures in either text the words alone must agree:
WORDS_ONLY_THRESHOLD = 0.6
MIN_SHINGLES = 25  # shorter texts (generic notices) are never near-duplicates of anything
MIN_EXACT_WORDS = 25  # equal short bodies are aliases only when the titles are equal too
MAX_CANDIDATES = 8  # verified per article, most shared bands first: a copy shares most of its
# 42 bands, a look-alike one or two; 8 are there from the first thousand articles on, so the
# number verified does not grow with the archive

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


def is_cjk(words: list[str]) -> bool:
    """Mostly Chinese (or Japanese kanji) characters: shingles are character runs."""
    cjk = sum(1 for word in words if len(word) == 1 and _CJK.match(word))
    return cjk * 2 > len(words)


def shingle_size(words: list[str]) -> int:
    return CJK_SHINGLE_CHARS if is_cjk(words) else SHINGLE_WORDS


def shingles(text: str, size: int | None = None) -> set[str]:
    """The set of `size`-token sequences of the text (the whole text if it is shorter); the
    size is the language's (3 words, or CJK_SHINGLE_CHARS Chinese characters) unless given."""
    words = tokens(text)
    size = size or shingle_size(words)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(text_a: str, text_b: str) -> float:
    """Jaccard similarity of the two texts' shingle sets, 0..1."""
    return jaccard(shingles(text_a), shingles(text_b))


def figures(text: str) -> set[str]:
    """The numbers a text states ("62.14", "2019", "14000")."""
    return {token for token in tokens(text) if token[0].isdigit()}


def _signed64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


# datasketch 2's MinHash with its "affine32" scheme and its default SHA-1 hash, computed here:
# importing datasketch costs 1.0–1.7 s and loads scipy (its LSH modules), in every parse
# worker and every crawl that parses in its own process, for the dozen lines of arithmetic
# below. tests/dedup/test_dedup_functions.py checks that the values are datasketch's, bit for
# bit, so stored signatures and band keys stay comparable across versions.
FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's 32-bit finalizer, a bijection


@cache
def _permutations():
    """(a, b) of the NUM_PERM affine permutations h → a·h + b mod 2^32, a odd, drawn as
    datasketch draws them from numpy's RandomState(SEED)."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _minhash(shingle_set: set[str]) -> np.ndarray:
    """The NUM_PERM minimum hash values (uint32) of the shingles."""
    import numpy as np

    a, b = _permutations()
    hv = np.fromiter((int.from_bytes(hashlib.sha1(s.encode()).digest()[:4], "little")
                      for s in shingle_set), dtype=np.uint32, count=len(shingle_set))
    s1, m1, s2, m2, s3 = (np.uint32(c) for c in FMIX32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s3)).reshape(-1, 1)
    return (hv * a + b).min(axis=0)


def _bands(values: np.ndarray) -> list[int]:
    return [_signed64(values[b * ROWS:(b + 1) * ROWS].tobytes()) for b in range(BANDS)]


def band_keys(shingle_set: set[str]) -> list[int]:
    """BANDS signed 64-bit keys of the MinHash signature; similar texts share some keys."""
    return _bands(_minhash(shingle_set)) if shingle_set else []


def simhash(text: str) -> int | None:
    """trafilatura's 64-bit SimHash of the text, stored signed (BigInteger)."""
    if not text.strip():
        return None
    from trafilatura.deduplication import Simhash

    value = Simhash(text).hash
    return value - (1 << 64) if value >= 1 << 63 else value


def fingerprint(text: str) -> Fingerprint:
    """Everything the comparison needs of a text, in one pass over its tokens."""
    words = tokens(text)
    size = shingle_size(words)
    if len(words) < size:
        shingle_set = {" ".join(words)} if words else set()
    else:
        shingle_set = {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}
    import numpy as np

    values = _minhash(shingle_set) if shingle_set else np.zeros(0, dtype=np.uint64)
    return Fingerprint(
        bands=_bands(values) if shingle_set else [],
        minhash=values.astype("<u4").tobytes(),
        figures=frozenset(w for w in words if w[0].isdigit()),
        shingles=len(shingle_set),
        words=len(words),
        simhash=simhash(text),
        cjk=size == CJK_SHINGLE_CHARS,
    )


def estimated_jaccard(a: bytes, b: bytes) -> float:
    """The share of equal MinHash values: an unbiased estimate of the shingle sets' Jaccard."""
    if not a or len(a) != len(b) or len(a) % 4:
        return 0.0
    values = memoryview(a).cast("I")  # equal values are equal bytes, whatever their order
    return sum(map(eq, values, memoryview(b).cast("I"))) / len(values)


def containment(score: float, size_a: int, size_b: int) -> float:
    """The share of the smaller shingle set found in the other, from their Jaccard and sizes."""
    if not size_a or not size_b:
        return 0.0
    return min(1.0, score * (size_a + size_b) / ((1 + score) * min(size_a, size_b)))


def same_story(a: Fingerprint, b: Fingerprint) -> float | None:
    """The similarity score when the two texts tell one story, else None.

    Reports built on one template share most words but few figures; a story republished with
    a new lead or a revised number keeps most of both. Chinese texts must also contain each
    other (CJK_CONTAINMENT): templated notices differ all over, re-posts only at the ends.
    """
    if min(a.shingles, b.shingles) < MIN_SHINGLES:
        return None  # short generic notices look alike without being one story
    score = estimated_jaccard(a.minhash, b.minhash)
    if a.cjk or b.cjk:
        if not (a.cjk and b.cjk) or min(a.shingles, b.shingles) < CJK_MIN_SHINGLES:
            return None
        if containment(score, a.shingles, b.shingles) < CJK_CONTAINMENT:
            return None
        fewer = min(len(a.figures), len(b.figures))
        if fewer >= CJK_MIN_FIGURES and \
                len(a.figures & b.figures) < CJK_FIGURE_CONTAINMENT * fewer:
            return None  # a notice's other date or figures: another notice
        return score
    if min(len(a.figures), len(b.figures)) >= MIN_FIGURES:
        agreed = score >= NEAR_THRESHOLD and jaccard(a.figures, b.figures) >= FIGURE_AGREEMENT
    else:
        agreed = score >= WORDS_ONLY_THRESHOLD
    return score if agreed else None


def is_same_story(text_a: str, text_b: str) -> bool:
    return same_story(fingerprint(text_a), fingerprint(text_b)) is not None


def stored_fingerprint(row: StoredSignature) -> Fingerprint:
    """The comparable part of a fingerprint, as storage keeps it."""
    return Fingerprint(bands=[], minhash=row.minhash, figures=frozenset(row.figures),
                       shingles=row.shingles, words=0, cjk=row.cjk)


def best_match(own: Fingerprint, candidates: dict[int, Fingerprint]) -> tuple[int, float] | None:
    """(id, score) of the candidate most similar to `own` among those telling its story."""
    best: tuple[int, float] | None = None
    for article_id, other in sorted(candidates.items()):
        score = same_story(own, other)
        if score is not None and (best is None or score > best[1]):
            best = (article_id, score)
    return best


def decide(session: Session, canonical: str, title: str, text: str, text_hash: str,
           published: date | None = None, print_: Fingerprint | None = None) -> DedupResult:
    """Classify one fetched article against the archive (a few indexed queries; the stored
    candidates' fingerprints are read, not their texts)."""
    print_ = print_ or fingerprint(text)
    known = find_article_id(session, canonical)
    if known is not None:
        return DedupResult("known", known)
    same = find_id_by_text_hash(session, text_hash)
    if same is not None and (print_.words >= MIN_EXACT_WORDS or same[1] == title):
        return DedupResult("alias", same[0], similarity=1.0)
    decision = DedupResult("new")
    if print_.shingles < MIN_SHINGLES:
        return decision
    counts = shared_band_counts(session, print_.bands, MAX_CANDIDATES)
    stored = candidate_signatures(session, list(counts))
    match = best_match(print_, {i: stored_fingerprint(row) for i, row in stored.items()})
    if match is None:
        return decision
    article_id, score = match
    row = stored[article_id]
    decision.similarity = round(score, 4)
    if row.duplicate_of is None and published and row.dated and published < row.dated:
        decision.supersedes = article_id  # the stored one is the later copy of this story
    else:  # point at the original, not at another copy of it
        decision.kind, decision.article_id = "duplicate", row.duplicate_of or article_id
    return decision
