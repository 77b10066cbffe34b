"""The park pages: `/park/ID` (names in both languages, kind and parent, its articles, a table
of its measures with the latest value and a small chart per series), and the lines the
/metric chart draws, one per series id."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Entity, Fact
from parkwatch.parks import park_detail, split_key
from parkwatch.web.routes import _guard, _human, _render, _session

router = APIRouter(include_in_schema=False)
_GRAINS = {"year": "yearly", "half": "half-yearly", "quarter": "quarterly", "month": "monthly",
           "ytd": "year to date", "multi_year": "over several years", "date": "on a date",
           "months": "over months"}


def _stamp(day: str | None) -> float | None:
    return datetime.combine(date.fromisoformat(day), time(12)).timestamp() if day else None


def line_label(entity: dict[str, Any] | None, parts: dict[str, str],
               measure_name: dict[str, Any] | None = None) -> str:
    """A legend that reads: whose, what, which kind, how often, in what unit."""
    who = (entity or {}).get("name_en") or (entity or {}).get("name_zh") or parts["entity_id"]
    what = (measure_name or {}).get("name_en") or parts["measure"]
    kind = {"level": "", "change": "change, ", "change_pp": "change in points, ",
            "delta": "added, ", "share": "share, "}.get(parts["kind"], parts["kind"] + ", ")
    return f"{who}: {what} ({kind}{_GRAINS.get(parts['granularity'], parts['granularity'])}, " \
           f"{parts['unit']})"


def series_chart(found: dict[str, Any]) -> dict[str, Any]:
    """One series as a small chart's data: x (period ends), y, and each point's link."""
    xs, ys, links = [], [], []
    for p in found["points"]:
        stamp = _stamp(p["period_end"] or p["period_start"])
        if stamp is None:
            continue
        xs.append(stamp)
        ys.append(p["value"])
        links.append({"href": f"/article/{p['sources'][0]['article_id']}",
                      "label": f"{p['period']}: {_human(p['value'])} {found['unit']}"
                               + (" (conflicting reports)" if p["conflict"] else ""),
                      "conflict": p["conflict"]})
    return {"series_id": found["series_id"], "unit": found["unit"],
            "granularity": found["granularity"], "kind": found["kind"],
            "label": line_label(found["entity"], found, found["measure_name"]),
            "x": xs, "y": ys, "links": links}


@router.get("/park/{park_id:path}", response_class=HTMLResponse)
def park_page(request: Request, park_id: str) -> HTMLResponse:
    """One park: names, kind, parent, its measures (latest value, a chart per series) and
    its articles."""
    _guard(request)
    if not park_id or len(park_id) > 200 or "\x00" in park_id:
        raise HTTPException(404, "no such park")
    with _session(request) as session:
        data = park_detail(session, park_id)
    if data is None:
        raise HTTPException(404, f"no park with id {park_id}")
    charts = [series_chart(s) for s in data["series"]]
    return _render(request, "park.html", {"p": data, "charts": charts})


def metric_lines(session: Session, points: list[dict[str, Any]],
                 unit: str | None) -> list[dict[str, Any]]:
    """The /metric chart's lines: its values (comparisons left out) grouped by their facts'
    series ids, in this unit — one line per series, never across parks, kinds or
    granularities; values of no series (no park or measure linked) are not drawn."""
    fact_ids = {s["fact_id"] for p in points for v in p["values"] if not v["comparison"]
                and v["unit"] == unit for s in v["sources"]}
    if not fact_ids:
        return []
    series_of = dict(session.execute(select(Fact.id, Fact.series_id)
                                     .where(Fact.id.in_(fact_ids),
                                            Fact.series_id.is_not(None))).all())
    keys = sorted(set(series_of.values()))
    entities = {e.id: e for e in session.scalars(
        select(Entity).where(Entity.id.in_({split_key(k)["entity_id"] for k in keys})))}
    lines: dict[str, dict[str, Any]] = {}
    for p in points:
        stamp = _stamp(p["period_end"] or p["period_start"])
        if stamp is None:
            continue
        for v in p["values"]:
            key = next((series_of[s["fact_id"]] for s in v["sources"]
                        if s["fact_id"] in series_of), None)
            if key is None or v["comparison"] or v["unit"] != unit:
                continue
            line = lines.setdefault(key, {"series_id": key, "points": {}})
            line["points"].setdefault(stamp, (v, p["period"]))
    out = []
    for key in keys:
        if key not in lines:
            continue
        parts = split_key(key)
        entity = entities.get(parts["entity_id"])
        names = {"name_en": entity.name_en, "name_zh": entity.name_zh} if entity else None
        ordered = sorted(lines[key]["points"].items())
        out.append({"series_id": key, **parts, "label": line_label(names, parts),
                    "x": [x for x, _ in ordered], "y": [v["value"] for _, (v, _) in ordered],
                    "links": [{"href": f"/article/{v['sources'][0]['article_id']}",
                               "label": f"{period}: {_human(v['value'])} {unit}",
                               "conflict": v["conflict"]} for _, (v, period) in ordered]})
    return out
