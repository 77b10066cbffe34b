"""The JSON API's parameters and dependencies, shared by its routers: the parameter types and
bounds, the token check, the read-only session; and the checks a type cannot express, answered
as FastAPI answers a bad parameter: 422 with `detail` a list of {loc, msg, type, input}."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Fact
from pipelines.metrics.units import KNOWN_UNITS, canonical_unit

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
MAX_ID = 2**31 - 1
READ_METHODS = ("GET",)
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL; refuse it up front (422)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Text = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]
Since = Annotated[date | None, Query(description="Published on or after (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="Published on or before (YYYY-MM-DD).")]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]


_bearer = HTTPBearer(auto_error=False)


def require_token(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """The bearer token, where the settings name one (401 otherwise)."""
    token = request.app.state.settings.api_token
    if token and (credentials is None or not secrets.compare_digest(
            credentials.credentials.encode(), token.encode())):
        raise HTTPException(401, "missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:  # never committed: closing rolls back
        yield session


DB = Annotated[Session, Depends(_session)]


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
