"""Scoring extracted facts against expected ones: P/R/F1 on value+unit and per-field accuracy."""

from __future__ import annotations

import math
from collections.abc import Iterable

FIELDS = ("kind", "qualifier", "period", "basis", "refers_to", "conversion")
_DEFAULTS = {"qualifier": "exact", "period": None, "basis": None, "refers_to": None}


def same_value(a: float, b: float) -> bool:
    """Equal up to rounding (fractions in percent, float magnitudes)."""
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6)


def match_facts(gold: list[dict], predicted: list[dict]) -> dict[int, int]:
    """Greedy in-order matching on value+unit: gold index → predicted index."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    cursor = 0
    for gi, g in enumerate(gold):
        order = list(range(cursor, len(predicted))) + list(range(cursor))
        for pi in order:
            p = predicted[pi]
            if pi in used or p["unit"] != g["unit"] or not same_value(p["value"], g["value"]):
                continue
            used.add(pi)
            pairs[gi] = pi
            cursor = pi + 1
            break
    return pairs


def _field_ok(field: str, g: dict, p: dict, back: dict[int, int]) -> bool | None:
    """Whether a matched fact has the field right; None when the field is not scored here."""
    if field == "conversion":
        if "conversion" not in g:
            return None
        conv = p.get("conversion")
        return conv is not None and conv["consistent"] == g["conversion"]["consistent"]
    if field == "refers_to":
        want = g.get("refers_to")
        got = p.get("refers_to")
        return (back.get(got) if got is not None else None) == want
    return p.get(field, _DEFAULTS.get(field)) == g.get(field, _DEFAULTS.get(field))


def score(pairs: Iterable[tuple[list[dict], list[dict]]]) -> dict:
    """Micro-averaged scores over (gold facts, predicted facts) pairs of dicts.

    Returns precision, recall, f1, counts, per-field accuracy over matched facts, and
    `errors`: one entry per pair with missed gold, spurious predictions and wrong fields.
    """
    n_gold = n_pred = n_match = 0
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    errors = []
    for index, (gold, predicted) in enumerate(pairs):
        matched = match_facts(gold, predicted)
        back = {pi: gi for gi, pi in matched.items()}
        n_gold += len(gold)
        n_pred += len(predicted)
        n_match += len(matched)
        wrong = []
        for gi, pi in matched.items():
            for field in FIELDS:
                ok = _field_ok(field, gold[gi], predicted[pi], back)
                if ok is None:
                    continue
                total[field] += 1
                right[field] += ok
                if not ok:
                    wrong.append((field, gi, gold[gi].get(field), predicted[pi].get(field)))
        missed = [gold[i] for i in range(len(gold)) if i not in matched]
        spurious = [predicted[i] for i in range(len(predicted)) if i not in back]
        if missed or spurious or wrong:
            errors.append({"index": index, "missed": missed, "spurious": spurious,
                           "wrong": wrong})
    precision = n_match / n_pred if n_pred else 1.0
    recall = n_match / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fields = {f: (right[f] / total[f] if total[f] else None) for f in FIELDS}
    return {"gold": n_gold, "predicted": n_pred, "matched": n_match, "precision": precision,
            "recall": recall, "f1": f1, "fields": fields, "field_counts": total,
            "errors": errors}


def strict_f1(pairs: Iterable[tuple[list[dict], list[dict]]],
              fields: tuple[str, ...] = ("kind", "period")) -> dict:
    """P/R/F1 where a fact counts as found only when value+unit match and `fields` agree
    ("kind+period F1"): precision over all predicted facts, recall over all gold facts."""
    n_gold = n_pred = n_right = 0
    for gold, predicted in pairs:
        matched = match_facts(gold, predicted)
        n_gold += len(gold)
        n_pred += len(predicted)
        n_right += sum(
            all(predicted[pi].get(f, _DEFAULTS.get(f)) == gold[gi].get(f, _DEFAULTS.get(f))
                for f in fields)
            for gi, pi in matched.items())
    precision = n_right / n_pred if n_pred else 1.0
    recall = n_right / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "right": n_right}
