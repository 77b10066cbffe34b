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

from archive.models import Fact
from parkwatch.parks import park_detail, series
from parkwatch.web.layout import guard, human, open_session, render

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
    named = measure_name or {}
    what = named.get("short_en") or named.get("name_en") or parts["measure"]
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
                      "label": f"{p['period']}: {human(p['value'])} {found['unit']}"
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
    guard(request)
    if not park_id or len(park_id) > 200 or "\x00" in park_id:
        raise HTTPException(404, "no such park")
    with open_session(request) as session:
        data = park_detail(session, park_id)
    if data is None:
        raise HTTPException(404, f"no park with id {park_id}")
    charts = [series_chart(s) for s in data["series"]]
    return render(request, "park.html", {"p": data, "charts": charts})


def matching_measures(words: str) -> list[str]:
    """The measures of the vocabulary every one of these words names (in its names or
    phrasings, either language): "output value" and "产值" both find industrial output."""
    from pipelines.metrics.measures import vocabulary

    wanted = [w for w in words.casefold().split() if w]
    found = []
    for measure in vocabulary().measures.values():
        names = " | ".join(n for n in (measure.id, measure.name_zh, measure.name_en,
                                       *measure.zh, *measure.en) if n).casefold()
        if wanted and all(w in names for w in wanted):
            found.append(measure.id)
    return found


MAX_LINES = 12


def metric_lines(session: Session, points: list[dict[str, Any]], unit: str | None,
                 words: str) -> tuple[str | None, list[dict[str, Any]]]:
    """The /metric chart: its unit and lines, one per series id — never across parks, kinds or
    granularities: every series of the measures the words name (both languages: a Chinese
    figure has no metric as written) and of the facts the words found, those with most
    points first; values of no series (no park or measure linked) come last, as dots that
    no line joins (`series_id` None)."""
    found: dict[str, dict[str, Any]] = {}
    for measure in matching_measures(words):
        found.update((s["series_id"], s) for s in series(session, measure=measure))
    fact_ids = {s["fact_id"] for p in points for v in p["values"] for s in v["sources"]}
    series_of = dict(session.execute(
        select(Fact.id, Fact.series_id).where(Fact.id.in_(fact_ids),
                                              Fact.series_id.is_not(None))).all()
    ) if fact_ids else {}
    for key in set(series_of.values()) - found.keys():
        found.update((s["series_id"], s) for s in series(session, series_id=key))
    units: dict[str, int] = {}
    for s in found.values():
        units[s["unit"]] = units.get(s["unit"], 0) + len(s["points"])
    chosen = unit or (max(units, key=units.get) if units else None)
    mine = sorted((s for s in found.values() if s["unit"] == chosen),
                  key=lambda s: (-len(s["points"]), s["series_id"]))[:MAX_LINES]
    lines = [series_chart(s) for s in sorted(mine, key=lambda s: s["series_id"])]
    loose = []
    for p in points:
        stamp = _stamp(p["period_end"] or p["period_start"])
        for v in p["values"]:
            if stamp is None or v["comparison"] or v["unit"] != chosen or any(
                    s["fact_id"] in series_of for s in v["sources"]):
                continue
            loose.append((stamp, v, p["period"]))
    if loose:
        loose.sort(key=lambda item: item[0])
        lines.append({"series_id": None, "label": "not linked to a park and measure (not joined)",
                      "unit": chosen, "x": [x for x, _, _ in loose],
                      "y": [v["value"] for _, v, _ in loose],
                      "links": [{"href": f"/article/{v['sources'][0]['article_id']}",
                                 "label": f"{period}: {human(v['value'])} {chosen}",
                                 "conflict": v["conflict"]} for _, v, period in loose]})
    return chosen, lines
