"""Precision and recall of near-duplicate detection on the labelled pairs in pairs.json, per
language (English: republished stories, wire copy, revised figures vs. template look-alikes,
shared boilerplate, short notices; Chinese: re-posts with a new lead or a trimmed ending vs.
templated notices that differ in names, dates and figures) — by the rule alone and through the
LSH index in SQLite — and on pairs_blind.json, written after the rule was frozen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.db import ensure_schema, session_scope
from archive.store import get_or_create_source, save_article, save_signature
from pipelines.dedup import decide, fingerprint, is_same_story
from pipelines.storage import text_hash

HERE = Path(__file__).parent
PAIRS = json.loads((HERE / "pairs.json").read_text(encoding="utf-8"))
BLIND = json.loads((HERE / "pairs_blind.json").read_text(encoding="utf-8"))


def scores(predicted: list[bool], labels: list[bool]) -> tuple[float, float]:
    tp = sum(p and t for p, t in zip(predicted, labels, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, labels, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, labels, strict=True))
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def of(pairs: list[dict], lang: str) -> list[dict]:
    return [p for p in pairs if p["lang"] == lang]


def test_the_labelled_set_is_broad_enough() -> None:
    en, zh = of(PAIRS, "en"), of(PAIRS, "zh")
    assert len(en) >= 30 and sum(p["same_story"] for p in en) >= 15
    assert {"republished", "syndicated", "revised-figures", "template", "boilerplate",
            "notice"} <= {p["kind"] for p in en}
    assert len(zh) >= 20 and sum(p["same_story"] for p in zh) >= 10
    assert {"republished", "trimmed", "template", "notice"} <= {p["kind"] for p in zh}
    assert len(BLIND) >= 9 and {p["same_story"] for p in BLIND} == {True, False}


@pytest.mark.parametrize(("pairs", "lang"), [(PAIRS, "en"), (PAIRS, "zh"), (BLIND, "zh")],
                         ids=["en", "zh", "zh-blind"])
def test_precision_and_recall_of_the_same_story_rule(pairs: list[dict], lang: str) -> None:
    chosen = of(pairs, lang)
    predicted = [is_same_story(p["a"]["text"], p["b"]["text"]) for p in chosen]
    precision, recall = scores(predicted, [p["same_story"] for p in chosen])
    assert precision >= 0.9 and recall >= 0.9, (lang, precision, recall)


def test_templated_chinese_notices_stay_apart() -> None:
    """The failure of issue 10: each template pair shares most of its text, yet is two notices."""
    for pair in of(PAIRS, "zh") + BLIND:
        if pair["kind"] in ("template", "notice"):
            assert not is_same_story(pair["a"]["text"], pair["b"]["text"]), pair["note"]


@pytest.mark.parametrize(("pairs", "lang"), [(PAIRS, "en"), (PAIRS, "zh"), (BLIND, "zh")],
                         ids=["en", "zh", "zh-blind"])
def test_precision_and_recall_through_the_lsh_index(sqlite_url: str, pairs: list[dict],
                                                    lang: str) -> None:
    """Every pair's first text is stored; each second text is looked up by bands only, and
    candidates are compared by their stored signatures."""
    chosen = of(pairs, lang)
    ensure_schema(sqlite_url)
    stored: dict[int, str] = {}
    with session_scope(sqlite_url) as session:
        source_id = get_or_create_source(session, "pairs").id
        for n, pair in enumerate(chosen):
            text = pair["a"]["text"]
            print_ = fingerprint(text)
            _, article = save_article(session, source_id, {
                "url": f"http://s/a/{n}", "canonical_url": f"http://s/a/{n}",
                "title": pair["a"]["title"], "text": text, "text_hash": text_hash(text)})
            session.flush()
            save_signature(session, article.id, print_.bands, print_.minhash, print_.figures,
                           print_.shingles, cjk=print_.cjk)
            stored[article.id] = text
    predicted = []
    with session_scope(sqlite_url) as session:
        for n, pair in enumerate(chosen):
            text = pair["b"]["text"]
            decision = decide(session, f"http://s/b/{n}", pair["b"]["title"], text,
                              text_hash(text))
            assert decision.kind in ("new", "duplicate"), pair["note"]
            if decision.kind == "duplicate":  # linked to its own story (some pairs share one)
                assert stored[decision.article_id] == pair["a"]["text"], pair["note"]
            predicted.append(decision.kind == "duplicate")
    precision, recall = scores(predicted, [p["same_story"] for p in chosen])
    assert precision >= 0.9 and recall >= 0.9, (lang, precision, recall)
