"""The API's parks: `/parks`, `/parks/{id}`, and `/series?park=&measure=` (a line per series
id: one park's measure, never another park's, kind or granularity)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from sqlalchemy.orm import Session

from archive.entities import get_entity
from parkwatch import api_schemas as out
from parkwatch.api_params import DB, MAX_LIMIT, NO_NUL, Limit, Text, require_token
from parkwatch.parks import park_detail, parks, series

router = APIRouter(dependencies=[Depends(require_token)])
ParkId = Annotated[str, Path(min_length=1, max_length=200, pattern=NO_NUL,
                             description="A park's id (`/parks`), e.g. etdz:harbin.")]


@router.get("/parks", response_model=out.ParkList)
def list_parks(session: DB, kind: Text = None,
               with_unused: Annotated[bool, Query(
                   alias="all", description="Also parks with no figure yet.")] = False,
               limit: Limit = MAX_LIMIT) -> dict[str, Any]:
    """Parks, zones and places figures are linked to, those with most figures first."""
    return {"items": parks(session, kind, with_unused=with_unused, limit=limit)}


@router.get("/parks/{park_id:path}", response_model=out.ParkDetail)
def one_park(session: DB, park_id: ParkId) -> dict[str, Any]:
    """One park: names, kind, parent, aliases, its articles and every series of its figures."""
    data = park_detail(session, park_id)
    if data is None:
        raise HTTPException(404, f"no park with id {park_id}")
    return data


def park_series(session: Session, park: str | None, measure: str | None) -> dict[str, Any]:
    """`/series?park=&measure=`: every series of the park (of that measure)."""
    if park is not None and get_entity(session, park) is None:
        raise HTTPException(404, f"no park with id {park}")
    return {"metric": None, "park": park, "measure": measure,
            "series": series(session, park, measure)}
