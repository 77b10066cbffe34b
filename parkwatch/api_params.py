"""Parameter checks of the JSON API that a type cannot express, answered as FastAPI answers a
bad parameter: 422 with `detail` a list of {loc, msg, type, input}."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Fact
from pipelines.metrics.units import KNOWN_UNITS, canonical_unit


def invalid(name: str, message: str, given: Any, where: str = "query") -> RequestValidationError:
    """A 422 about one parameter, in the shape of FastAPI's own."""
    return RequestValidationError([{"type": "value_error", "loc": (where, name), "msg": message,
                                    "input": given}])


def known_unit(session: Session, typed: str | None) -> str | None:
    """The stored unit a user's `unit=` means ('%' → 'percent'); 422 for one that is neither
    of the vocabulary nor held by any fact of this archive (older extractors stored others)."""
    if not typed:
        return None
    unit = canonical_unit(typed)
    if unit in KNOWN_UNITS or session.scalar(select(Fact.id).where(Fact.unit == unit).limit(1)):
        return unit
    known = ", ".join(sorted(KNOWN_UNITS, key=str.lower))
    raise invalid("unit", f"not a known unit: {typed[:40]} (known: {known}; usual spellings "
                          "such as %, yuan or sq km are accepted)", typed)
