"""Linking at storage time: each stored fact gets its entity, measure, series id and status
(pipelines.entities.link), the analyst's corrections applied (alias, merge, split), and the
entity rows it names are made on first use (the gazetteer's, or provisional ones)."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from archive.entities import corrections, ensure_entities, known_ids
from archive.store import LINK_FIELDS
from pipelines.metrics.facts import Fact

from .gazetteer import Entity, Gazetteer, default_gazetteer
from .link import link_article, series_key
from .names import place_key

_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(Fact))
logger = logging.getLogger(__name__)
MAX_ID = 200  # entities.id, facts.entity_id (migration 0022)
_CACHE_KEY = "parkwatch.entities"  # session.info: corrections and known ids, per transaction


@dataclass(frozen=True)
class Corrections:
    """An analyst's corrections as linking applies them: aliases extend the gazetteer, a merged
    entity's figures are its target's, a split name's figures are the new entity's."""

    aliases: tuple[tuple[str, str], ...] = ()  # (entity id, name)
    merged: dict[str, str] = field(default_factory=dict)
    splits: dict[tuple[str, str], str] = field(default_factory=dict)  # (id, name) → new id

    @classmethod
    def from_rows(cls, rows: Iterable[Any]) -> Corrections:
        aliases, merged, splits = [], {}, {}
        for row in rows:
            if row.action == "alias" and row.name:
                aliases.append((row.entity_id, row.name))
            elif row.action == "merge" and row.target_id:
                merged[row.entity_id] = row.target_id
                merged.pop(row.target_id, None)  # a later merge back undoes the earlier one
            elif row.action == "split" and row.name and row.target_id:
                splits[(row.entity_id, row.name.casefold())] = row.target_id
        return cls(tuple(aliases), merged, splits)

    def entity(self, entity_id: str | None, mention: str | None) -> str | None:
        """The entity a linked figure is after the corrections."""
        if entity_id and mention:
            entity_id = self.splits.get((entity_id, mention.casefold()), entity_id)
        seen = 0
        while entity_id in self.merged and seen < 20:
            entity_id, seen = self.merged[entity_id], seen + 1
        return entity_id


NO_CORRECTIONS = Corrections()


def bounded(entity_id: str | None) -> str | None:
    """An entity id that fits its column (MAX_ID characters): a longer one (a group of many
    places) is its kind and a digest of the whole."""
    if entity_id is None or len(entity_id) <= MAX_ID:
        return entity_id
    kind = entity_id.split(":", 1)[0][:32]
    return f"{kind}:{hashlib.sha1(entity_id.encode()).hexdigest()[:24]}"


def split_id(entity_id: str, name: str) -> str:
    """The id of the entity `split ENTITY NAME` makes: ENTITY/KEY, KEY the name's pinyin."""
    return f"{entity_id}/{place_key(name) or 'split'}"


@lru_cache(maxsize=8)
def corrected_gazetteer(aliases: tuple[tuple[str, str, str], ...]) -> Gazetteer:
    """The gazetteer with the analyst's aliases ((entity id, kind, name)) added: an alias of an
    entity the gazetteer does not list adds that entity too."""
    from .gazetteer import index

    base = default_gazetteer()
    if not aliases:
        return base
    entities = dict(base.entities)
    for entity_id, kind, name in aliases:
        known = entities.get(entity_id) or Entity(entity_id, kind, None, None,
                                                  status="discovered")
        zh = any("\u4e00" <= ch <= "\u9fff" for ch in name)
        entities[entity_id] = dataclasses.replace(
            known, aliases_zh=known.aliases_zh + ((name,) if zh else ()),
            aliases_en=known.aliases_en + (() if zh else (name,)))
    gazetteer = Gazetteer(base.types, entities)
    index(gazetteer)
    return gazetteer


def _gazetteer_for(fixes: Corrections) -> Gazetteer:
    return corrected_gazetteer(tuple((eid, eid.split(":", 1)[0], name)
                                     for eid, name in fixes.aliases))


def facts_of(fact_dicts: Sequence[dict[str, Any]]) -> list[Fact]:
    """Extractor Fact records back from their dicts (as stored or as extract_facts gave)."""
    return [Fact(**{name: d.get(name) for name in _FACT_FIELDS if name != "conversion"},
                 conversion=None) for d in fact_dicts]


def link_facts(title: str, text: str, fact_dicts: Sequence[dict[str, Any]],
               fixes: Corrections = NO_CORRECTIONS, home: str | None = None
               ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The link of each fact ({entity_id, measure, series_id, status}) and the entities they
    name that are not the gazetteer's ({id: the words that first named it})."""
    if not fact_dicts:
        return [], {}
    gazetteer = _gazetteer_for(fixes)
    facts = facts_of(fact_dicts)
    linked = link_article(title or "", text or "", facts, home, gazetteer)
    named: dict[str, str] = {}
    for r in linked.mentions:
        if r.entity_id and r.mention.role != "anaphor":
            named.setdefault(r.entity_id, r.mention.text)
    out = []
    for fact, link in zip(facts, linked.links, strict=True):
        entity_id = bounded(fixes.entity(link.entity_id, link.mention))
        if entity_id and entity_id != link.entity_id and link.entity_id in named:
            named.setdefault(entity_id, named[link.entity_id])
        if link.mention and entity_id != link.entity_id:
            named.setdefault(entity_id, link.mention)
        series = link.series_key
        if entity_id != link.entity_id:
            series = series_key(entity_id, link.measure, fact.kind, fact.basis,
                                link.granularity, fact.unit, link.status)
        out.append({"entity_id": entity_id, "measure": link.measure, "series_id": series,
                    "status": link.status})
    return out, {eid: text for eid, text in named.items() if eid not in gazetteer.entities
                 or gazetteer.entities[eid].status != "gazetteer"}


def gazetteer_row(entity: Entity, gazetteer: Gazetteer) -> dict[str, Any]:
    return {"id": entity.id, "name_zh": entity.name_zh, "name_en": entity.name_en,
            "kind": entity.kind, "parent_id": entity.parent, "region": entity.region,
            "provisional": entity.status != "gazetteer",
            "aliases": [(name, lang, "gazetteer") for name, lang in
                        dict.fromkeys(gazetteer.alias_pairs(entity))]}


def provisional_row(entity_id: str, words: str | None) -> dict[str, Any]:
    zh = bool(words) and any("\u4e00" <= ch <= "\u9fff" for ch in words or "")
    kind = entity_id.split(":", 1)[0] if ":" in entity_id else "park"
    return {"id": entity_id, "name_zh": words if zh else None,
            "name_en": None if zh else words, "kind": kind[:32], "parent_id": None,
            "region": None, "provisional": True,
            "aliases": [(words, "zh" if zh else "en", "archive")] if words else []}


def entity_rows(ids: Iterable[str], named: dict[str, str]) -> list[dict[str, Any]]:
    """Rows for these entity ids: the gazetteer's with their ancestors, else provisional."""
    gazetteer = default_gazetteer()
    rows: dict[str, dict[str, Any]] = {}
    for entity_id in ids:
        hops = 0
        current: str | None = entity_id
        while current and current not in rows and hops < 10:
            entity = gazetteer.entities.get(current)
            if entity is None:
                rows[current] = provisional_row(current, named.get(current))
                break
            rows[current] = gazetteer_row(entity, gazetteer)
            current, hops = entity.parent, hops + 1
    return list(rows.values())


def seed_gazetteer(session: Session) -> int:
    """Make a row of every gazetteer entity the archive lacks (first use, relink) → how many."""
    gazetteer = default_gazetteer()
    return ensure_entities(session, [gazetteer_row(e, gazetteer)
                                     for e in gazetteer.entities.values()])


def _cache(session: Session) -> dict[str, Any]:
    """The corrections and the entity ids known, read once per transaction."""
    cache = session.info.get(_CACHE_KEY)
    if cache is None:
        cache = {"fixes": Corrections.from_rows(corrections(session)), "known": set()}
        session.info[_CACHE_KEY] = cache
    return cache


def forget(session: Session) -> None:
    """Drop the per-transaction cache (after a correction, or a rolled-back transaction)."""
    session.info.pop(_CACHE_KEY, None)


def link_for_storage(session: Session, title: str, text: str,
                     fact_dicts: list[dict[str, Any]], home: str | None = None
                     ) -> list[dict[str, Any]]:
    """The fact dicts with their links, the entities they name made if missing."""
    if not fact_dicts:
        return fact_dicts
    try:
        links, named = link_facts(title, text, fact_dicts, _cache(session)["fixes"], home)
    except Exception:  # a linking bug loses no article: its facts wait for `parks relink`
        logger.exception("linking failed; the facts are stored unlinked")
        return fact_dicts
    ensure_named(session, links, named)
    return [{**fact, **link} for fact, link in zip(fact_dicts, links, strict=True)]


def ensure_named(session: Session, links: Sequence[dict[str, Any]],
                 named: dict[str, str]) -> None:
    """Make the entity rows these links name that the archive lacks (known ids remembered
    for the transaction)."""
    cache = _cache(session)
    ids = {link["entity_id"] for link in links if link["entity_id"]} - cache["known"]
    if ids:
        new = ids - known_ids(session, ids)
        if new:
            ensure_entities(session, entity_rows(new, named))
        cache["known"] |= ids


__all__ = ["LINK_FIELDS", "Corrections", "link_facts", "link_for_storage", "seed_gazetteer",
           "split_id"]
