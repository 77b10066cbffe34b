"""NewsQuant (590 general-news sentences, CQE project) scored for parkwatch and quantulum3.

The data set is not in this repository (never commit it). Get it once from the CQE project's
history, where it was removed from the head:

    git clone https://github.com/vivkaz/CQE && cd CQE
    git show e877fe689cc520d0b114df508e70c9752f08417b:data/formatted_test_set/NewsQuant.json \\
        > /tmp/newsquant.json

then `PARKWATCH_NEWSQUANT=/tmp/newsquant.json python bench/bench_newsquant.py` (or pass the
path). quantulum3 is scored in the same run when installed (`pip install -e '.[bench]'`); its
unit classifier needs scikit-learn (`pip install 'quantulum3[classifier]'`), and when the model
it ships does not load with the installed scikit-learn, retrain it from the training set it
ships (half a minute, no network):
`python -c "from quantulum3 import classifier; classifier.train_classifier(store=True)"`.
Without a working classifier the script scores quantulum3 without it and says so.

Scores, micro-averaged over quantities, sentence by sentence:
- value F1, ranges split: a gold "3.0 - 4.0" is two values; a value matches when equal up to
  0.1 % (signs ignored: gold writes "down 3", parkwatch -3);
- value+unit-family F1: the value and the unit family (currency, percent, point, count, time,
  length, area, mass, volume, energy, speed, temperature, data, frequency, other) both match.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.metrics.extract import extract_facts  # noqa: E402
from pipelines.metrics.units import CURRENCIES  # noqa: E402

Quantity = tuple[float, str]  # (absolute value, unit family)

_CURRENCY_WORDS = ("dollar", "yen", "yuan", "euro", "pound sterling", "ringgit", "shekel",
                   "krone", "krona", "rupee", "franc", "won", "ruble", "rouble", "cent", "sen",
                   "peso", "real", "rand", "baht", "lira", "dirham", "riyal", "renminbi")
_FAMILIES = {
    "time": ("year", "month", "day", "hour", "minute", "second", "week", "decade", "century",
             "year of age", "month of age", "millisecond", "nanosecond"),
    "length": ("mile", "yard", "inch", "foot", "metre", "kilometre", "centimetre", "millimetre",
               "micrometre", "nanometre", "light-year"),
    "speed": ("mile per hour", "kilometre per hour", "metre per second", "knot"),
    "mass": ("kilogram", "gram", "ton", "tonne", "pound-mass", "gigaton", "ounce", "milligram",
             "short ton", "long ton", "metric ton"),
    "area": ("square metre", "square mile", "square foot", "square kilometre", "acre",
             "hectare", "mu"),
    "volume": ("litre", "millilitre", "gallon", "cubic foot", "barrel", "cubic metre",
               "barrel per day"),
    "energy": ("kilowatt", "watt", "gigawatt", "megawatt", "kilowatt hour", "horsepower",
               "brake horsepower", "calorie", "megawatt hour", "terawatt hour", "joule"),
    "temperature": ("degree celsius", "celsius", "degree fahrenheit", "fahrenheit", "degree",
                    "kelvin"),
    "data": ("gigabyte", "megabyte", "terabyte", "kilobyte", "byte", "megabit per second",
             "gigabit per second"),
    "frequency": ("hertz", "kilohertz", "megahertz", "gigahertz", "revolutions per minute"),
    "point": ("point", "basis point", "point per game"),
}
_FAMILY_OF = {name: fam for fam, names in _FAMILIES.items() for name in names}
_PHYSICAL = ("pascal", "volt", "ampere", "newton", "decibel", "gauge", "pound-foot",
             "foot pound-force", "exavolt")
_PARKWATCH_FAMILY = {"percent": "percent", "times": "count", "count": "count", "teu": "count",
                     "sqm": "area", "km2": "area", "mu": "area", "hectare": "area",
                     "acre": "area", "ton": "mass", "kg": "mass", "m3": "volume",
                     "kwh": "energy", "mwh": "energy", "kw": "energy", "mw": "energy",
                     "gw": "energy", "km": "length", "mph": "speed", "kmh": "speed",
                     "celsius": "temperature", "fahrenheit": "temperature", "gb": "data",
                     "tb": "data", "mb": "data", "mbps": "data", "gbps": "data",
                     "ghz": "frequency", "mhz": "frequency", "khz": "frequency",
                     "hz": "frequency", "rpm": "frequency", "hp": "energy", "w": "energy",
                     "mile": "length", "yard": "length", "foot": "length", "inch": "length",
                     "cm": "length", "mm": "length", "nm": "length", "m": "length",
                     "lb": "mass", "oz": "mass", "g": "mass", "liter": "volume",
                     "gallon": "volume", "barrel": "volume", "point": "point",
                     "degree": "temperature", "bp": "point", "mpg": "length", "um": "length"}


def name_family(name: str) -> str:
    """Unit family of a NewsQuant / quantulum3 unit name ("mile per hour" → speed)."""
    low = name.strip().lower()
    if low in _FAMILY_OF:
        return _FAMILY_OF[low]
    if low.startswith(("%", "percent")):
        return "percent"
    head = low.split(" per ")[0]
    if any(w in head.split() or head.endswith(w) for w in _CURRENCY_WORDS):
        return "currency"
    if head in _FAMILY_OF:
        return _FAMILY_OF[head]
    if any(p in low for p in _PHYSICAL):
        return "other"
    return "count"  # "-", "count", "people", "vehicle", "dimensionless": a count of things


def gold_quantities(row: dict) -> list[Quantity]:
    """The sentence's gold quantities, ranges ("3.0 - 4.0") split into their two ends."""
    out = []
    for q in row["quantities"]:
        family = name_family(q["normalized_unit"])
        for part in _split_range(q["value"]):
            out.append((abs(part), family))
    return out


_RANGE_RE = re.compile(r"(-?[\d.]+(?:e-?\d+)?)\s*(?:-|to)\s*([\d.]+(?:e-?\d+)?)", re.IGNORECASE)


def _split_range(value: str) -> list[float]:
    text = value.strip()
    m = _RANGE_RE.fullmatch(text)
    if m:
        return [float(m.group(1)), float(m.group(2))]
    return [float(text)]


def parkwatch_quantities(text: str) -> list[Quantity]:
    """parkwatch's facts, with each parenthetical conversion ("($7.5 million)") as one more
    quantity: the extractor reads it, as a field of the amount it converts."""
    out = []
    for fact in extract_facts(text):
        if fact.conversion is not None:
            out.append((abs(fact.conversion["value"]), "currency"))
        if fact.unit in CURRENCIES:
            family = "currency"
        elif fact.basis == "percentage-points":
            family = "point"
        else:
            family = _PARKWATCH_FAMILY.get(fact.unit, "other")
        out.append((abs(fact.value), family))
    return out


def quantulum_parser() -> Callable[[str], list[Quantity]] | None:
    """quantulum3's parse as a Quantity list (ranges as value ± uncertainty), or None."""
    try:
        from quantulum3 import parser
    except ImportError:
        return None

    def parse(text: str) -> list[Quantity]:
        out = []
        for q in parser.parse(text):
            family = name_family(q.unit.name)
            if q.uncertainty:
                out.extend([(abs(q.value - q.uncertainty), family),
                            (abs(q.value + q.uncertainty), family)])
            else:
                out.append((abs(q.value), family))
        return out

    return parse


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)


def _matches(gold: list[Quantity], predicted: list[Quantity], with_family: bool) -> int:
    used = [False] * len(predicted)
    n = 0
    for value, family in gold:
        for i, (pv, pf) in enumerate(predicted):
            if not used[i] and _same(value, pv) and (not with_family or pf == family):
                used[i] = True
                n += 1
                break
    return n


def score(rows: list[dict], predict: Callable[[str], list[Quantity]]) -> dict:
    """Value F1 and value+unit-family F1 over every sentence, with the run time."""
    n_gold = n_pred = n_value = n_family = 0
    start = time.perf_counter()
    for row in rows:
        gold = gold_quantities(row)
        predicted = predict(row["text"])
        n_gold += len(gold)
        n_pred += len(predicted)
        n_value += _matches(gold, predicted, with_family=False)
        n_family += _matches(gold, predicted, with_family=True)
    seconds = time.perf_counter() - start

    def f1(n: int) -> dict:
        p = n / n_pred if n_pred else 1.0
        r = n / n_gold if n_gold else 1.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    return {"gold": n_gold, "predicted": n_pred, "value": f1(n_value),
            "value_family": f1(n_family), "seconds": seconds}


def _line(name: str, result: dict) -> str:
    v, f = result["value"], result["value_family"]
    return (f"{name:<11} gold={result['gold']} predicted={result['predicted']}  "
            f"value F1={v['f1']:.3f} (P {v['precision']:.3f} R {v['recall']:.3f})  "
            f"value+unit-family F1={f['f1']:.3f} (P {f['precision']:.3f} R {f['recall']:.3f})"
            f"  {result['seconds']:.2f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=os.environ.get("PARKWATCH_NEWSQUANT"),
                    help="NewsQuant.json (default: $PARKWATCH_NEWSQUANT)")
    args = ap.parse_args(argv)
    if not args.path or not Path(args.path).is_file():
        print("NewsQuant.json not found: pass its path or set PARKWATCH_NEWSQUANT "
              "(see this script's docstring)", file=sys.stderr)
        return 2
    rows = json.loads(Path(args.path).read_text(encoding="utf-8"))
    print(f"NewsQuant: {len(rows)} sentences")
    print(_line("parkwatch", score(rows, parkwatch_quantities)))
    q3 = quantulum_parser()
    if q3 is None:
        print("quantulum3  not installed (pip install -e '.[bench]'), skipped")
    else:
        mode = "with its classifier"
        try:
            q3("warm up: the 5 pound note weighs 5 pounds")  # loads its models untimed
        except Exception as exc:  # noqa: BLE001 - a stale pickled model, reported below
            from quantulum3 import classifier

            classifier.USE_CLF = False
            mode = f"WITHOUT its classifier ({type(exc).__name__}: retrain it, see docstring)"
            q3("warm up 5 km")
        print(_line("quantulum3", score(rows, q3)) + f"  [{mode}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
