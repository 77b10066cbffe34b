"""The Fact record: one numeric mention that measures something."""

from __future__ import annotations

from dataclasses import dataclass

from .numbers import tidy

KINDS = ("level", "delta", "change", "share")
QUALIFIERS = ("exact", "more_than", "at_least", "less_than", "at_most", "approx")


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
