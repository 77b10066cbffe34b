"""The plain dedup functions: tokens, shingles, band keys, the same-story rule and the decision
over a real archive, SQLite and PostgreSQL (exact copies → alias, near copies → duplicate_of,
re-fetch → known)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.db import ensure_schema, session_scope
from archive.store import get_or_create_source, save_article, save_signature
from pipelines.dedup import (
    BANDS,
    band_keys,
    decide,
    figures,
    fingerprint,
    is_same_story,
    shingles,
    simhash,
    similarity,
    tokens,
)
from pipelines.storage import text_hash

PAIRS = json.loads((Path(__file__).parent / "pairs.json").read_text(encoding="utf-8"))
REPUBLISHED = next(p for p in PAIRS if p["note"].startswith("sample site records 6388"))
LOOKALIKE = next(p for p in PAIRS if p["note"].startswith("sample site records 5790"))


def test_tokens_keep_whole_figures_and_fold_case() -> None:
    assert tokens("GDP rose 5.8 percent to 1,200.5 billion yuan ($168 million).") == [
        "gdp", "rose", "5.8", "percent", "to", "1200.5", "billion", "yuan", "168", "million"]
    assert tokens("哈尔滨新区") == ["哈", "尔", "滨", "新", "区"]
    assert figures("In 2019 it had 112 firms, 236 foreign.") == {"2019", "112", "236"}


def test_shingles_and_similarity() -> None:
    assert shingles("a b c d") == {"a b c", "b c d"}
    assert shingles("a b") == {"a b"}
    assert shingles("") == set()
    text = REPUBLISHED["a"]["text"]
    assert similarity(text, text) == 1.0
    assert similarity(text, " ".join(text.upper().split())) == 1.0  # case and spacing
    assert 0.5 < similarity(text, REPUBLISHED["b"]["text"]) < 1.0
    assert similarity(text, "Harbin hosts a book fair.") < 0.05


def test_band_keys_are_stable_signed_64_bit_and_shared_by_similar_texts() -> None:
    a, b = (shingles(REPUBLISHED[k]["text"]) for k in ("a", "b"))
    keys = band_keys(a)
    assert len(keys) == BANDS and keys == band_keys(set(a))
    assert all(-(2**63) <= k < 2**63 for k in keys)
    shared = sum(x == y for x, y in zip(keys, band_keys(b), strict=True))
    unrelated = band_keys(shingles(PAIRS[-3]["a"]["text"]))
    assert shared >= 3
    assert sum(x == y for x, y in zip(keys, unrelated, strict=True)) == 0
    assert band_keys(set()) == []


def test_simhash_fits_a_signed_bigint() -> None:
    value = simhash(REPUBLISHED["a"]["text"])
    assert value is not None and -(2**63) <= value < 2**63
    assert simhash("   ") is None


def test_same_story_rule_on_the_sample_site_pairs() -> None:
    assert is_same_story(REPUBLISHED["a"]["text"], REPUBLISHED["b"]["text"])
    assert not is_same_story(LOOKALIKE["a"]["text"], LOOKALIKE["b"]["text"])
    short = "The service hall will be closed on Monday. Online services remain available."
    assert not is_same_story(short, short)  # too short to call: notices stay apart


@pytest.fixture
def archive(db_url: str):
    """An empty archive on SQLite and on PostgreSQL (the candidate lookups are each driver's
    own SQL)."""
    ensure_schema(db_url)
    with session_scope(db_url) as session:
        source_id = get_or_create_source(session, "test").id
    return db_url, source_id


def store(url: str, source_id: int, canonical: str, title: str, text: str) -> int:
    with session_scope(url) as session:
        print_ = fingerprint(text)
        _, article = save_article(session, source_id, {
            "url": canonical, "canonical_url": canonical, "title": title, "text": text,
            "text_hash": text_hash(text), "simhash": print_.simhash})
        session.flush()
        save_signature(session, article.id, print_.bands, print_.minhash, print_.figures,
                       print_.shingles)
        return article.id


def classify(url: str, canonical: str, title: str, text: str):
    with session_scope(url) as session:
        return decide(session, canonical, title, text, text_hash(text))


def test_decide_over_the_archive(archive) -> None:
    url, source_id = archive
    original = store(url, source_id, "http://s/a/1.html", REPUBLISHED["a"]["title"],
                     REPUBLISHED["a"]["text"])
    lookalike = store(url, source_id, "http://s/b/2.html", LOOKALIKE["a"]["title"],
                      LOOKALIKE["a"]["text"])
    # The same URL again is a re-fetch, whatever its text.
    assert classify(url, "http://s/a/1.html", "x", "changed text").kind == "known"
    # The same body (spacing and case aside) at another URL: an alias of the first article.
    copy = classify(url, "http://s/c/3.html", "Other title",
                    "  " + REPUBLISHED["a"]["text"].upper())
    assert (copy.kind, copy.article_id) == ("alias", original)
    # The republished story: its own article, linked to the original with a score.
    near = classify(url, "http://s/c/4.html", REPUBLISHED["b"]["title"], REPUBLISHED["b"]["text"])
    assert (near.kind, near.article_id) == ("duplicate", original)
    assert 0.5 < near.similarity < 1
    # The template look-alike with other figures stays apart.
    other = classify(url, "http://s/c/5.html", LOOKALIKE["b"]["title"], LOOKALIKE["b"]["text"])
    assert other.kind == "new" and other.article_id is None
    assert lookalike != original


def test_a_copy_of_a_copy_points_at_the_original(archive) -> None:
    url, source_id = archive
    original = store(url, source_id, "http://s/1.html", "t", REPUBLISHED["a"]["text"])
    copy_id = store(url, source_id, "http://s/2.html", "t2", REPUBLISHED["b"]["text"])
    with session_scope(url) as session:
        from archive.models import Article

        session.get(Article, copy_id).duplicate_of = original
    # The nearest stored text is the copy; the decision follows its link to the original.
    third = REPUBLISHED["b"]["text"].replace("38.7 percent", "38.9 percent")
    decision = classify(url, "http://s/3.html", "t3", third)
    assert (decision.kind, decision.article_id) == ("duplicate", original)


def test_equal_short_bodies_with_other_titles_are_not_aliases(archive) -> None:
    url, source_id = archive
    body = "The service hall will be closed on Monday."
    first = store(url, source_id, "http://s/n/1.html", "Holiday notice", body)
    assert classify(url, "http://s/n/2.html", "Another notice", body).kind == "new"
    same = classify(url, "http://s/n/3.html", "Holiday notice", body)
    assert (same.kind, same.article_id) == ("alias", first)


def test_an_original_found_after_its_copy_becomes_the_original(archive) -> None:
    from datetime import date

    from archive.models import Article
    from archive.store import relink_duplicates

    url, source_id = archive
    copy_id = store(url, source_id, "http://s/late.html", "late", REPUBLISHED["b"]["text"])
    with session_scope(url) as session:
        session.get(Article, copy_id).published = date(2023, 9, 5)
    text = REPUBLISHED["a"]["text"]
    with session_scope(url) as session:
        decision = decide(session, "http://s/early.html", "early", text, text_hash(text),
                          date(2023, 8, 10))
    assert (decision.kind, decision.supersedes) == ("new", copy_id)
    original = store(url, source_id, "http://s/early.html", "early", text)
    with session_scope(url) as session:
        relink_duplicates(session, copy_id, original, decision.similarity)
    with session_scope(url) as session:
        copy = session.get(Article, copy_id)
        assert (copy.duplicate_of, copy.similarity) == (original, decision.similarity)
        assert session.get(Article, original).duplicate_of is None


def test_minhash_values_are_datasketchs_bit_for_bit() -> None:
    """pipelines.dedup computes datasketch 2's affine32 MinHash itself (importing datasketch
    costs a second and loads scipy); stored signatures and band keys must not change."""
    import random

    import numpy as np
    from datasketch import MinHash

    from pipelines import dedup

    reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32")
    rng = random.Random(7)
    words = ["park", "yuan", "2024", "62.14", "开发区", "产值", "同比增长", "Songbei", "é",
             "x" * 300]
    for size in (1, 2, 3, 17, 250, 2000):
        shingles = {" ".join(rng.choices(words, k=3)) + str(rng.random()) for _ in range(size)}
        theirs = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32",
                         permutations=reference.permutations)
        theirs.update_batch([s.encode() for s in shingles])
        ours = dedup._minhash(shingles)
        assert ours.dtype == np.uint32 and np.array_equal(ours, theirs.hashvalues), size
    text = "The Songbei park's output value reached 62.14 billion yuan in 2024, up 6.5 percent."
    print_ = dedup.fingerprint(text * 3)
    assert len(print_.bands) == dedup.BANDS and len(print_.minhash) == 4 * dedup.NUM_PERM


def test_shared_band_counts_ranks_by_bands_shared_then_id(db_url: str) -> None:
    """The database counts each article's shared bands over the capped buckets and returns the
    `limit` best: most bands first, then the lower id; a crowded bucket gives its newest."""
    from archive.db import ensure_schema, session_scope
    from archive.models import Article, ArticleBand
    from archive.store import get_or_create_source, shared_band_counts

    ensure_schema(db_url)
    mine = [11, 22, 33, 44]
    stored = {1: [11, 22, 0, 0], 2: [11, 22, 33, 0], 3: [0, 22, 0, 0], 4: [11, 0, 0, 44],
              5: [0, 0, 0, 0]}
    stored.update({100 + i: [0, 0, 33, 0] for i in range(6)})  # band 2's bucket: 7 members
    with session_scope(db_url, write=True) as session:
        source = get_or_create_source(session, "e-my399")
        session.flush()
        session.add_all(Article(id=i, source_id=source.id, url=f"http://x/{i}",
                                canonical_url=f"http://x/{i}", title="t", text="t",
                                text_hash=str(i)) for i in stored)
        session.flush()
        session.add_all(ArticleBand(article_id=i, band=b, value=v)
                        for i, values in stored.items() for b, v in enumerate(values))
    with session_scope(db_url) as session:
        assert shared_band_counts(session, mine, 3, per_bucket=8) == {2: 3, 1: 2, 4: 2}
        crowded = shared_band_counts(session, mine, 50, per_bucket=4)
        assert list(crowded.items())[:4] == [(1, 2), (2, 2), (4, 2), (3, 1)]  # 2 fell off
        assert set(crowded) == {1, 2, 3, 4, 102, 103, 104, 105}  # band 2's 4 newest
        assert shared_band_counts(session, [], 3) == {}
