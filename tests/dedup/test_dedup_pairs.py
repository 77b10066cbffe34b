"""Precision and recall of near-duplicate detection on the labelled pairs in pairs.json
(republished stories, wire copy, revised figures vs. template look-alikes, shared boilerplate,
short notices, unrelated stories) — by the rule alone and through the LSH index in SQLite."""

from __future__ import annotations

import json
from pathlib import Path

from archive.db import ensure_schema, session_scope
from archive.store import get_or_create_source, save_article, save_signature
from pipelines.dedup import decide, fingerprint, is_same_story
from pipelines.storage import text_hash

PAIRS = json.loads((Path(__file__).parent / "pairs.json").read_text(encoding="utf-8"))


def scores(predicted: list[bool], labels: list[bool]) -> tuple[float, float]:
    tp = sum(p and t for p, t in zip(predicted, labels, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, labels, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, labels, strict=True))
    return tp / (tp + fp), tp / (tp + fn)


def test_the_labelled_set_is_broad_enough() -> None:
    kinds = {p["kind"] for p in PAIRS}
    assert len(PAIRS) >= 30 and sum(p["same_story"] for p in PAIRS) >= 15
    assert {"republished", "syndicated", "revised-figures", "template", "boilerplate",
            "notice"} <= kinds


def test_precision_and_recall_of_the_same_story_rule() -> None:
    predicted = [is_same_story(p["a"]["text"], p["b"]["text"]) for p in PAIRS]
    precision, recall = scores(predicted, [p["same_story"] for p in PAIRS])
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_precision_and_recall_through_the_lsh_index(sqlite_url: str) -> None:
    """Every pair's first text is stored; each second text is looked up by bands only."""
    ensure_schema(sqlite_url)
    ids = []
    with session_scope(sqlite_url) as session:
        source_id = get_or_create_source(session, "pairs").id
        for n, pair in enumerate(PAIRS):
            text = pair["a"]["text"]
            print_ = fingerprint(text)
            _, article = save_article(session, source_id, {
                "url": f"http://s/a/{n}", "canonical_url": f"http://s/a/{n}",
                "title": pair["a"]["title"], "text": text, "text_hash": text_hash(text)})
            session.flush()
            save_signature(session, article.id, print_.bands, print_.minhash, print_.figures,
                           print_.shingles)
            ids.append(article.id)
    predicted = []
    with session_scope(sqlite_url) as session:
        for n, pair in enumerate(PAIRS):
            text = pair["b"]["text"]
            decision = decide(session, f"http://s/b/{n}", pair["b"]["title"], text,
                              text_hash(text))
            assert decision.kind in ("new", "duplicate"), pair["note"]
            if decision.kind == "duplicate":
                assert decision.article_id == ids[n], pair["note"]  # linked to its own pair
            predicted.append(decision.kind == "duplicate")
    precision, recall = scores(predicted, [p["same_story"] for p in PAIRS])
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
