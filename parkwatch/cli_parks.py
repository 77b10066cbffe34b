"""`parkwatch parks list|show|alias|merge|split|relink`: the parks figures are linked to, and an
analyst's corrections (kept in the archive, re-applied on every relink)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from parkwatch.console import UserError, err, out, print_json, settings

parks_app = typer.Typer(help="Parks, zones and places: figures linked to them, and corrections.",
                        no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="ID", help="A park's id (see `parks list`).")]
NameArg = Annotated[str, typer.Argument(metavar="NAME")]


def _ready():
    """The settings, the archive migrated and the gazetteer's rows made on first use (a
    write only when some are missing; none on a read-only archive)."""
    from archive.db import ensure_schema, is_read_only, session_scope
    from archive.entities import known_ids
    from pipelines.entities import default_gazetteer
    from pipelines.entities.stored import seed_gazetteer

    config = settings()
    engine = ensure_schema(config.database_url)
    wanted = default_gazetteer().entities.keys()
    with session_scope(config.database_url) as session:
        missing = len(known_ids(session, wanted)) < len(wanted)
    if missing and not is_read_only(engine):
        with session_scope(config.database_url, write=True) as session:
            seed_gazetteer(session)
    return config


def _entity(session, entity_id: str):
    from archive.entities import get_entity
    entity = get_entity(session, entity_id)
    if entity is None:
        raise UserError(f"no park with id {entity_id!r} (see `parkwatch parks list --all`)")
    return entity


def _name(value: str, what: str = "NAME") -> str:
    value = " ".join(value.split())
    if not value or len(value) > 200:
        raise UserError(f"{what} must be 1 to 200 characters")
    return value


@parks_app.command("list")
def list_(
    kind: Annotated[str | None, typer.Option(help="Only this kind (etdz, htz, city, …).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also parks with no figure yet.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 200,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Parks with their figures and articles, most figures first."""
    from archive.db import session_scope
    from parkwatch.parks import parks

    config = _ready()
    with session_scope(config.database_url) as session:
        rows = parks(session, kind, with_unused=all_, limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name (zh)", "name (en)", "kind", "parent", "facts", "articles")
    for r in rows:
        id_ = r["id"] + (" (provisional)" if r["provisional"] else "") + (
            f" → {r['merged_into']}" if r["merged_into"] else "")
        table.add_row(escape(id_), escape(r["name_zh"] or "-"), escape(r["name_en"] or "-"),
                      r["kind"], escape(r["parent_id"] or "-"), str(r["facts"]),
                      str(r["articles"]))
    out.print(table)
    out.print(f"{len(rows)} park(s)")


@parks_app.command("show")
def show(entity_id: IdArg, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """One park: names, kind, parent, aliases, articles and a line per series."""
    from archive.db import session_scope
    from parkwatch.cli_metrics import human
    from parkwatch.parks import park_detail

    config = _ready()
    with session_scope(config.database_url) as session:
        _entity(session, entity_id)
        data = park_detail(session, entity_id)
    if as_json:
        print_json(data)
        return
    names = " / ".join(n for n in (data["name_zh"], data["name_en"]) if n) or data["id"]
    out.print(f"[bold]{escape(names)}[/bold]  {escape(data['id'])} · {data['kind']}"
              + (" · provisional" if data["provisional"] else "")
              + (f" · in {escape(data['parent_id'])}" if data["parent_id"] else ""))
    analyst = [a["name"] for a in data["aliases"] if a["source"] != "gazetteer"]
    if analyst:
        out.print("also named: " + escape(", ".join(analyst)))
    table = Table("measure", "kind", "granularity", "unit", "points", "latest period", "latest")
    for m in data["measures"]:
        latest = m["latest"] or {}
        table.add_row(m["measure"], m["kind"], m["granularity"], m["unit"], str(m["points"]),
                      escape(latest.get("period") or "-"),
                      human(latest["value"]) + (" (conflict)" if latest.get("conflict") else "")
                      if latest else "-")
    out.print(table)
    articles = Table("id", "published", "title")
    for a in data["articles"]:
        articles.add_row(str(a["id"]), a["published"] or "-", escape(a["title"]))
    out.print(articles)
    out.print(f"{len(data['measures'])} series, {len(data['articles'])} article(s)")


@parks_app.command("alias")
def alias(entity_id: IdArg, name: NameArg) -> None:
    """NAME also names park ID (applied to stored facts by `parks relink`)."""
    from archive.db import session_scope
    from archive.entities import add_correction
    config = _ready()
    name = _name(name)
    with session_scope(config.database_url, write=True) as session:
        _entity(session, entity_id)
        add_correction(session, "alias", entity_id, name=name)
    out.print(f"{escape(name)} is now an alias of {escape(entity_id)}; "
              "`parkwatch parks relink` links the stored facts with it")


@parks_app.command("merge")
def merge(source: Annotated[str, typer.Argument(metavar="A")],
          target: Annotated[str, typer.Argument(metavar="B")]) -> None:
    """Park A is park B: A's figures (stored, and every one linked from now on) are B's."""
    from archive.db import session_scope
    from archive.entities import add_correction
    from pipelines.entities.relink import merge_stored

    config = _ready()
    if source == target:
        raise UserError("merge: A and B are the same park")
    with session_scope(config.database_url, write=True) as session:
        _entity(session, source)
        if _entity(session, target).merged_into:
            raise UserError(f"{target} is merged into {_entity(session, target).merged_into}: "
                            "merge into that one")
        add_correction(session, "merge", source, target_id=target)
        moved = merge_stored(session, source, target)
    out.print(f"{escape(source)} merged into {escape(target)}: {moved} fact(s) moved")


@parks_app.command("split")
def split(entity_id: IdArg, name: NameArg) -> None:
    """Figures named NAME are not park ID's but a park of their own (made now)."""
    from archive.db import session_scope
    from archive.entities import add_correction, ensure_entities
    from pipelines.entities.relink import relink_entity
    from pipelines.entities.stored import provisional_row, split_id

    config = _ready()
    name = _name(name)
    new_id = split_id(entity_id, name)
    with session_scope(config.database_url, write=True) as session:
        entity = _entity(session, entity_id)
        row = provisional_row(new_id, name)
        row["kind"], row["parent_id"], row["region"] = entity.kind, entity.parent_id, \
            entity.region
        row["aliases"] = [(n, lang, "analyst") for n, lang, _ in row["aliases"]]
        ensure_entities(session, [row])
        add_correction(session, "split", entity_id, target_id=new_id, name=name)
    moved = relink_entity(config.database_url, entity_id)
    out.print(f"{escape(name)} split from {escape(entity_id)} as {escape(new_id)}; "
              f"{moved} fact(s) of {escape(entity_id)} linked again")


@parks_app.command("relink")
def relink_(
    restart: Annotated[bool, typer.Option(help="Start over instead of resuming an unfinished "
                                          "relink.")] = False,
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="Articles a transaction.")
                     ] = 200,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes that link (the "
                                         "default: both cores; a small archive: one).")
                       ] = 2,
) -> None:
    """Link every stored fact again (gazetteer, rules and corrections as they are now);
    resumes an interrupted relink after its last committed batch."""
    from rich.progress import Progress

    from pipelines.entities.relink import relink

    config = _ready()
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("relinking", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = relink(config.database_url, restart=restart, batch=batch, progress=progress,
                        workers=workers)
    resumed = (f" (resumed after article #{result['resumed_after']})"
               if result["resumed_after"] else "")
    out.print(f"relinked {result['facts']} fact(s) of {result['articles']} article(s)"
              f"{resumed}, {result['workers']} process(es) linking")


def print_series(park: str | None, measure: str | None, as_json: bool = False,
                 as_csv: bool = False) -> None:
    """Every series of a park and/or measure, one table section per series id (a park's
    measure of one kind, granularity and unit: never another's values on its line)."""
    from archive.db import session_scope
    from parkwatch.cli_metrics import human
    from parkwatch.console import print_csv
    from parkwatch.parks import series

    config = _ready()
    with session_scope(config.database_url) as session:
        if park is not None:
            _entity(session, park)
        found = series(session, park, measure)
    if as_json:
        print_json(found)
        return
    if as_csv:
        print_csv(["series_id", "entity_id", "measure", "kind", "granularity", "unit",
                    "period", "period_start", "period_end", "value", "conflict", "sources",
                    "article_ids"],
                   [[s["series_id"], s["entity_id"], s["measure"], s["kind"], s["granularity"],
                     s["unit"], p["period"], p["period_start"], p["period_end"], p["value"],
                     p["conflict"], len(p["sources"]),
                     ";".join(str(x["article_id"]) for x in p["sources"])]
                    for s in found for p in s["points"]])
        return
    table = Table("series", "period", "value", "articles")
    for s in found:
        for index, p in enumerate(s["points"]):
            value = f"{human(p['value'])} {s['unit']}" + ("  ≠" if p["conflict"] else "")
            table.add_row(escape(s["series_id"]) if index == 0 else "", escape(p["period"]),
                          value, ", ".join(str(x["article_id"]) for x in p["sources"]),
                          end_section=index == len(s["points"]) - 1)
    out.print(table)
    if any(p["conflict"] for s in found for p in s["points"]):
        out.print("≠: articles report different values for the same period (not averaged)")
    out.print(f"{len(found)} series")


@parks_app.command("series")
def series_(
    park: Annotated[str | None, typer.Option(help="A park's id.")] = None,
    measure: Annotated[str | None, typer.Option(help="A measure's id.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_csv: Annotated[bool, typer.Option("--csv")] = False,
) -> None:
    """Every series of a park and/or measure, each on its own (= `metrics series --park`)."""
    if not (park or measure):
        raise UserError("give --park and/or --measure")
    if as_json and as_csv:
        raise UserError("give --json or --csv, not both")
    print_series(park, measure, as_json, as_csv)


def register(app: typer.Typer) -> None:
    """Add the `parks` group to the `parkwatch` app."""
    app.add_typer(parks_app, name="parks")
