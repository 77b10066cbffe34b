"""The Fact record: one numeric mention that measures something."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .numbers import tidy


class Kind(StrEnum):
    """What a figure measures: a level, a delta (an absolute change), a change in percent or
    times, or a share of a whole."""

    LEVEL = "level"
    DELTA = "delta"
    CHANGE = "change"
    SHARE = "share"


class Qualifier(StrEnum):
    """How exact a figure is: "more than 500" is MORE_THAN, "500 or more" AT_LEAST."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    APPROX = "approx"


KINDS = tuple(k.value for k in Kind)
QUALIFIERS = tuple(q.value for q in Qualifier)


@dataclass
class Fact:
    """A numeric fact; `start`/`end` are offsets of the number mention in the given text."""

    value: float
    unit: str
    kind: str
    qualifier: str
    period: str | None
    basis: str | None
    metric: str | None
    subject: str | None
    share_of: str | None
    refers_to: int | None
    conversion: dict | None
    sentence: str
    start: int
    end: int

    def __post_init__(self) -> None:
        # one enum for every phrasing family (English and Chinese): an unknown kind or
        # qualifier is a bug, and stored values stay plain strings
        self.kind = Kind(self.kind).value
        self.qualifier = Qualifier(self.qualifier).value

    def to_dict(self) -> dict:
        """The fact as a JSON-safe dict, fields in declaration order, integral values as ints."""
        conversion = None
        if self.conversion is not None:
            rate = self.conversion.get("implied_rate")
            conversion = {
                "value": tidy(self.conversion["value"]),
                "unit": self.conversion["unit"],
                "consistent": bool(self.conversion["consistent"]),
                "implied_rate": None if rate is None else round(rate, 4),
            }
        return {
            "value": tidy(self.value),
            "unit": self.unit,
            "kind": self.kind,
            "qualifier": self.qualifier,
            "period": self.period,
            "basis": self.basis,
            "metric": self.metric,
            "subject": self.subject,
            "share_of": self.share_of,
            "refers_to": self.refers_to,
            "conversion": conversion,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }
