"""The gazetteer (pipelines/entities/gazetteer.toml) loaded once: zone types, entities, and
the alias index that names resolve through, in both languages."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from .names import place_key

#: Kinds that are zones (what an industrial-park story is about), not places that hold them.
ZONE_KINDS = frozenset({"etdz", "htz", "ftz", "ftz_area", "new_area", "bonded_zone",
                        "border_zone", "park"})
#: Place kinds whose bare name ("哈尔滨", "Harbin") is an alias of their own.
_BARE_NAME_KINDS = frozenset({"city", "province"})


@dataclass(frozen=True)
class ZoneType:
    """A kind of zone or place with its names and the forms articles write it in."""

    kind: str
    name_zh: str
    name_en: str
    official_zh: str
    official_en: str
    forms_zh: tuple[str, ...]
    forms_en: tuple[str, ...]
    generic_zh: tuple[str, ...]
    generic_en: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    """A place or zone: names in both languages, kind, parent, and where it came from."""

    id: str
    kind: str
    name_zh: str | None
    name_en: str | None
    place_zh: str | None = None
    place_en: str | None = None
    parent: str | None = None
    region: str | None = None
    level: str | None = None
    fixture: bool = False
    status: str = "gazetteer"  # gazetteer | discovered (a provisional entity) | group
    aliases_zh: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()


@dataclass(eq=False)  # hashed by identity: compiled patterns are cached per gazetteer
class Gazetteer:
    """Entities by id, zone types by kind, and the alias indexes (zh exact; en casefolded)."""

    types: dict[str, ZoneType]
    entities: dict[str, Entity]
    zh: dict[str, str] = field(default_factory=dict)
    en: dict[str, str] = field(default_factory=dict)
    by_place: dict[tuple[str, str], str] = field(default_factory=dict)
    places_zh: frozenset[str] = frozenset()

    def alias_pairs(self, entity: Entity) -> list[tuple[str, str]]:
        """(alias, language) of an entity: its names, its place + each form of its type, and
        the aliases it lists."""
        out = [(a, "zh") for a in (entity.name_zh, *entity.aliases_zh) if a]
        out += [(a, "en") for a in (entity.name_en, *entity.aliases_en) if a]
        zone_type = self.types.get(entity.kind)
        if zone_type is not None:
            if entity.place_zh:
                out += [(entity.place_zh + f, "zh") for f in zone_type.forms_zh]
            if entity.place_en:
                out += [(f"{entity.place_en} {f}", "en") for f in zone_type.forms_en]
        if entity.kind in _BARE_NAME_KINDS:
            out += [(a, lang) for a, lang in ((entity.place_zh, "zh"), (entity.place_en, "en"))
                    if a]
        return out

    def ancestor(self, entity_id: str | None, kind: str) -> str | None:
        """The entity itself or its nearest ancestor of this kind."""
        seen = 0
        while entity_id and seen < 10:
            entity = self.entities.get(entity_id)
            if entity is None:
                return None
            if entity.kind == kind:
                return entity.id
            entity_id, seen = entity.parent, seen + 1
        return None


def _tuple(table: dict[str, object], key: str) -> tuple[str, ...]:
    value = table.get(key, ())
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


def _opt(table: dict[str, object], key: str) -> str | None:
    value = table.get(key)
    return str(value) if value is not None else None


def parse(data: dict[str, object]) -> Gazetteer:
    """A gazetteer from the TOML's tables (types, entity), with its indexes built."""
    types_table = data.get("types", {})
    assert isinstance(types_table, dict)
    types = {kind: ZoneType(kind, str(t["name_zh"]), str(t["name_en"]), str(t["official_zh"]),
                            str(t["official_en"]), _tuple(t, "forms_zh"), _tuple(t, "forms_en"),
                            _tuple(t, "generic_zh"), _tuple(t, "generic_en"))
             for kind, t in types_table.items()}
    rows = data.get("entity", [])
    assert isinstance(rows, list)
    entities: dict[str, Entity] = {}
    for t in rows:
        entity = Entity(id=str(t["id"]), kind=str(t["kind"]), name_zh=_opt(t, "name_zh"),
                        name_en=_opt(t, "name_en"), place_zh=_opt(t, "place_zh"),
                        place_en=_opt(t, "place_en"), parent=_opt(t, "parent"),
                        region=_opt(t, "region"), level=_opt(t, "level"),
                        fixture=bool(t.get("fixture", False)),
                        aliases_zh=_tuple(t, "aliases_zh"), aliases_en=_tuple(t, "aliases_en"))
        if entity.id in entities:
            raise ValueError(f"gazetteer: entity {entity.id} is listed twice")
        if entity.kind not in types:
            raise ValueError(f"gazetteer: entity {entity.id} has an unknown kind {entity.kind}")
        entities[entity.id] = entity
    gazetteer = Gazetteer(types, entities)
    index(gazetteer)
    return gazetteer


def index(gazetteer: Gazetteer) -> None:
    """Fill the alias and place indexes; the first entity listed keeps a shared alias."""
    places: set[str] = set()
    for entity in gazetteer.entities.values():
        for alias, language in gazetteer.alias_pairs(entity):
            book = gazetteer.zh if language == "zh" else gazetteer.en
            book.setdefault(alias if language == "zh" else alias.casefold(), entity.id)
        for place in (entity.place_zh, entity.place_en):
            if place:
                gazetteer.by_place.setdefault((entity.kind, place_key(place)), entity.id)
        if entity.place_zh:
            places.add(entity.place_zh)
        if entity.kind in ("city", "county", "district", "province") and entity.name_zh:
            places.add(re.sub(r"[市县区省]$", "", entity.name_zh))
    gazetteer.places_zh = frozenset(places)


@cache
def default_gazetteer() -> Gazetteer:
    """The built-in gazetteer (pipelines/entities/gazetteer.toml)."""
    text = resources.files("pipelines.entities").joinpath("gazetteer.toml").read_text("utf-8")
    return parse(tomllib.loads(text))


#: How a zone's own portal names it besides its names: the whole zone, this zone.
_SELF_ZH = ("全区", "本区", "我区")


def home_names(entity_id: str, gazetteer: Gazetteer | None = None) -> list[str]:
    """The names a source about this zone calls it by — its names and aliases, its type's
    generic forms and 全区/本区/我区 — for pipelines.topics (a portal's own name is no
    evidence of a park story by itself). An unknown id has none."""
    gaz = gazetteer or default_gazetteer()
    entity = gaz.entities.get(entity_id)
    if entity is None:
        return []
    names = [alias for alias, _ in gaz.alias_pairs(entity)]
    zone_type = gaz.types.get(entity.kind)
    if zone_type is not None:
        names += [*zone_type.generic_zh, *(f"the {g}" for g in zone_type.generic_en)]
    if entity.kind in ZONE_KINDS:
        names += list(_SELF_ZH)
    return sorted(set(names), key=len, reverse=True)
