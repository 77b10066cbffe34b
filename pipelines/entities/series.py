"""Series points: the outcomes of one series for one period are one point, whatever number of
articles report it (an English and a Chinese report, a republished copy); values that
disagree make the point a conflict, shown as such rather than averaged away."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

#: Two reports of one figure agree within this relative difference (rounding: 15.23 billion
#: yuan and 152.3亿元 are equal; 4.58 and 4.68 billion are not).
TOLERANCE = 0.005
#: Qualifiers that bound a value rather than state it: "more than 30 billion" agrees with 30.2.
_LOWER_BOUNDS = frozenset({"more_than", "at_least"})
_UPPER_BOUNDS = frozenset({"less_than", "at_most"})


@dataclass(frozen=True)
class Observation:
    """One fact's report of a point: its series, period, value and where it was read."""

    series_key: str
    period: str
    value: float
    qualifier: str = "exact"
    source: Hashable = None  # an article id, URL or (article, fact index)


@dataclass
class Point:
    """One period of one series: the value, every source, and whether the sources disagree."""

    series_key: str
    period: str
    value: float
    sources: list[Hashable] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    conflict: bool = False


def agree(a: Observation, b: Observation) -> bool:
    """Whether two reports of one point can both be right."""
    if math.isclose(a.value, b.value, rel_tol=TOLERANCE, abs_tol=1e-9):
        return True
    for bound, other in ((a, b), (b, a)):
        if bound.qualifier in _LOWER_BOUNDS and other.value >= bound.value:
            return True
        if bound.qualifier in _UPPER_BOUNDS and other.value <= bound.value:
            return True
        if bound.qualifier == "approx" and math.isclose(bound.value, other.value, rel_tol=0.05):
            return True
    return False


def points(observations: Iterable[Observation]) -> list[Point]:
    """The points the observations make, in the order their series and periods first appear.

    A point's value is the one most of its exact reports give (the first of those tied);
    it is a conflict when two of its reports cannot both be right."""
    grouped: dict[tuple[str, str], list[Observation]] = {}
    for obs in observations:
        grouped.setdefault((obs.series_key, obs.period), []).append(obs)
    out: list[Point] = []
    for (key, period), reports in grouped.items():
        exact = [r for r in reports if r.qualifier == "exact"] or reports
        counts: dict[float, int] = {}
        for r in exact:
            match = next((v for v in counts if math.isclose(v, r.value, rel_tol=TOLERANCE)),
                         r.value)
            counts[match] = counts.get(match, 0) + 1
        value = max(counts, key=lambda v: counts[v])
        conflict = any(not agree(a, b) for i, a in enumerate(reports) for b in reports[i + 1:])
        out.append(Point(key, period, value, [r.source for r in reports],
                         [r.value for r in reports], conflict))
    return out
