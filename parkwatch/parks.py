"""The parks read layer the CLI, the API and the pages share: parks with their counts, one
park with its articles and measures, and series (one line per series id, a point per period
with every source that reports it, conflicts shown)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from archive.entities import (
    aliases_of,
    entity_articles,
    entity_names,
    get_entity,
    list_entities,
    series_facts,
)
from archive.models import Entity
from pipelines.entities.series import Observation, points
from pipelines.metrics.measures import vocabulary


def park_dict(entity: Entity, facts: int | None = None,
              articles: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": entity.id, "name_zh": entity.name_zh, "name_en": entity.name_en,
        "kind": entity.kind, "parent_id": entity.parent_id, "region": entity.region,
        "provisional": bool(entity.provisional), "merged_into": entity.merged_into}
    if facts is not None:
        data["facts"], data["articles"] = facts, articles
    return data


def park_name(entity: Entity | None, entity_id: str | None = None) -> str:
    """How a park is shown: its names in both languages, else its id."""
    if entity is None:
        return entity_id or "-"
    names = [n for n in (entity.name_zh, entity.name_en) if n]
    return " / ".join(names) or entity.id


def parks(session: Session, kind: str | None = None, with_unused: bool = False,
          limit: int | None = None) -> list[dict[str, Any]]:
    return [park_dict(e, f, a) for e, f, a in list_entities(session, kind, with_unused, limit)]


def measure_name(measure: str | None) -> dict[str, Any] | None:
    if measure is None:
        return None
    known = vocabulary().measures.get(measure)
    return {"id": measure, "name_zh": known.name_zh if known else None,
            "name_en": known.name_en if known else None,
            "short_en": known.en[0] if known and known.en else None}


def split_key(series_id: str) -> dict[str, str]:
    """A series id's parts: entity|measure|kind|granularity|unit."""
    entity, measure, kind, grain, unit = (series_id.split("|") + [""] * 5)[:5]
    return {"entity_id": entity, "measure": measure, "kind": kind, "granularity": grain,
            "unit": unit}


def series(session: Session, entity_id: str | None = None, measure: str | None = None,
           series_id: str | None = None) -> list[dict[str, Any]]:
    """Every series of a park (and measure), or one by its id: its parts, entity and measure
    names, and its points in period order."""
    grouped: dict[str, list[Any]] = {}
    for row in series_facts(session, entity_id, measure, series_id):
        grouped.setdefault(row.series_id, []).append(row)
    names = entity_names(session, {rows[0].entity_id for rows in grouped.values()})
    out = []
    for key, rows in grouped.items():
        bounds = {}
        observations = []
        for row in rows:
            period = row.period or "-"
            bounds.setdefault(period, (row.period_start, row.period_end))
            observations.append(Observation(key, period, row.value, row.qualifier or "exact", {
                "article_id": row.article_id, "url": row.url, "fact_id": row.id,
                "published": _iso(row.published), "value": row.value}))
        made = [{"period": p.period,
                 "period_start": _iso(bounds[p.period][0]), "period_end": _iso(bounds[p.period][1]),
                 "value": p.value, "conflict": p.conflict, "sources": p.sources}
                for p in points(observations)]
        made.sort(key=lambda p: (p["period_end"] or "9999", p["period"]))
        parts = split_key(key)
        entity = rows[0].entity_id
        out.append({"series_id": key, **parts,
                    "entity": names.get(entity, {"id": entity, "name_zh": None,
                                                 "name_en": None}),
                    "measure_name": measure_name(parts["measure"]), "points": made})
    return out


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def park_detail(session: Session, entity_id: str, articles: int = 200) -> dict[str, Any] | None:
    """A park with its aliases, parent, articles and series (each with its latest point)."""
    entity = get_entity(session, entity_id)
    if entity is None:
        return None
    parent = get_entity(session, entity.parent_id) if entity.parent_id else None
    found = series(session, entity_id)
    data = park_dict(entity)
    data["parent"] = park_dict(parent) if parent is not None else None
    data["aliases"] = [{"name": a.name, "language": a.language, "source": a.source}
                       for a in aliases_of(session, entity_id)]
    data["articles"] = [{"id": a.id, "title": a.title, "url": a.url, "language": a.language,
                         "published": a.published.isoformat() if a.published else None}
                        for a in entity_articles(session, entity_id, articles)]
    data["series"] = found
    data["measures"] = [{**{k: s[k] for k in ("series_id", "measure", "measure_name", "kind",
                                                "granularity", "unit")},
                         "points": len(s["points"]),
                         "latest": s["points"][-1] if s["points"] else None} for s in found]
    return data
