"""Parks in the archive (migration 0022): the tables on SQLite and PostgreSQL, facts linked as
they are stored, provisional entities for zones the gazetteer does not list."""

from __future__ import annotations

from sqlalchemy import inspect, select

from archive.db import (
    current_revision,
    downgrade,
    get_engine,
    head_revision,
    session_scope,
    upgrade,
)
from archive.models import Entity, EntityAlias, Fact
from pipelines.storage import write_batch

from .stored import build, item


def test_0022_upgrades_and_downgrades_on_both_backends(db_url: str) -> None:
    upgrade(db_url, "0022")
    assert current_revision(db_url) == "0022"
    inspector = inspect(get_engine(db_url))
    assert {"entities", "entity_aliases", "entity_corrections", "entity_relinks"} <= set(
        inspector.get_table_names())
    columns = {c["name"] for c in inspector.get_columns("facts")}
    assert {"entity_id", "measure", "series_id", "status"} <= columns
    indexes = {i["name"] for i in inspector.get_indexes("facts")}
    assert {"ix_facts_series_id", "ix_facts_entity_measure"} <= indexes
    downgrade(db_url, "0021")
    get_engine(db_url).dispose()
    inspector = inspect(get_engine(db_url))
    assert "entities" not in inspector.get_table_names()
    assert "series_id" not in {c["name"] for c in inspector.get_columns("facts")}
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()


def test_stored_facts_are_linked_and_their_entities_made(db_url: str) -> None:
    build(db_url)
    with session_scope(db_url) as session:
        facts = session.scalars(select(Fact).order_by(Fact.article_id, Fact.position)).all()
        by_entity = {f.entity_id for f in facts}
        assert {"etdz:harbin", "htz:daqing"} <= by_entity
        output = [f for f in facts if f.measure == "industrial_output_value"
                  and f.kind == "level"]
        assert output and all(f.status == "outcome" and f.series_id for f in output)
        harbin = {f.series_id for f in output if f.entity_id == "etdz:harbin"}
        daqing = {f.series_id for f in output if f.entity_id == "htz:daqing"}
        assert harbin and daqing and not harbin & daqing
        # the English and the Chinese H1 report share a series (ytd: H1 is a cumulative)
        assert len({f.series_id for f in output if f.entity_id == "etdz:harbin"}) == 1
        entity = session.get(Entity, "etdz:harbin")
        assert entity.name_zh and entity.name_en and not entity.provisional
        assert entity.parent_id and session.get(Entity, entity.parent_id) is not None
        assert facts[0].entity.id == facts[0].entity_id  # loaded with the fact


def test_a_zone_the_gazetteer_does_not_list_becomes_provisional(sqlite_url: str) -> None:
    source = build(sqlite_url, [])
    story = item("http://x.example/1.html", "北安经济开发区招商引资",
                 "今年以来，北安经济开发区签约项目12个。", "2023-05-02", "zh")
    assert write_batch(sqlite_url, source, [story])[0].outcome == "new"
    with session_scope(sqlite_url) as session:
        entity = session.get(Entity, "etdz:beian")
        assert entity is not None and entity.provisional and entity.name_zh == "北安经济开发区"
        aliases = session.scalars(select(EntityAlias.source)
                                  .where(EntityAlias.entity_id == "etdz:beian")).all()
        assert aliases == ["archive"]
        assert session.scalars(select(Fact.entity_id)).all() == ["etdz:beian"]


def test_a_group_of_many_places_gets_an_id_that_fits(db_url: str) -> None:
    from pipelines.entities import link_article
    from pipelines.entities.stored import bounded, facts_of

    names = "、".join(f"{p}经济开发区" for p in ("北安", "五大连池", "嫩江", "逊克", "孙吴",
                                             "爱辉", "呼玛", "塔河", "漠河", "加格达奇",
                                             "松岭", "新林", "呼中", "伊春", "鹤岗",
                                             "双鸭山", "七台河", "鸡西", "绥芬河"))
    long_id = "group:" + "+".join(f"etdz:place{n:02d}" for n in range(30))
    assert len(bounded(long_id)) <= 200 and bounded(long_id).startswith("group:")
    assert bounded("etdz:harbin") == "etdz:harbin"
    story = item("http://x.example/many.html", "多个开发区", f"今年上半年，{names}签约项目120个。",
                 "2023-07-02", "zh")
    raw = link_article(story.title, story.text, facts_of(story.facts)).links[0].entity_id
    assert raw.startswith("group:") and len(raw) > 200  # what PostgreSQL would refuse
    source = build(db_url, [])
    assert write_batch(db_url, source, [story])[0].outcome == "new"
    with session_scope(db_url) as session:
        ids = session.scalars(select(Fact.entity_id)).all()
        assert ids and all(len(i or "") <= 200 for i in ids)
        assert all(session.get(Entity, i) is not None for i in ids if i)


def test_a_linking_failure_loses_no_article(sqlite_url: str, monkeypatch) -> None:
    from pipelines.entities import stored

    def broken(*_args, **_kwargs):
        raise RuntimeError("a linking bug")

    monkeypatch.setattr(stored, "link_article", broken)
    source = build(sqlite_url, [])
    story = item("http://x.example/2.html", "北安经济开发区招商引资",
                 "今年以来，北安经济开发区签约项目12个。", "2023-05-02", "zh")
    assert write_batch(sqlite_url, source, [story])[0].outcome == "new"
    with session_scope(sqlite_url) as session:
        assert session.scalars(select(Fact.entity_id)).all() == [None]
