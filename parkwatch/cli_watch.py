"""`parkwatch watch add|list|remove|test|deliver`: saved questions that notify and feed."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from parkwatch.console import UserError, out, print_json, settings

watch_app = typer.Typer(help="Watches: new matching articles notified (apprise) and fed (Atom).",
                        no_args_is_help=True)


def _ready():
    from archive.db import ensure_schema
    config = settings()
    ensure_schema(config.database_url)
    return config


@watch_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Lower-case name; also the feed's name.")],
    query: Annotated[str | None, typer.Option(help="Search query (the `search` syntax).")
                     ] = None,
    topic: Annotated[str | None, typer.Option()] = None,
    source: Annotated[str | None, typer.Option()] = None,
    section: Annotated[str | None, typer.Option(help="Section path or name.")] = None,
    metric: Annotated[str | None, typer.Option(help="Words all found in a fact's metric.")
                      ] = None,
    above: Annotated[float | None, typer.Option(help="With --metric: value above X.")] = None,
    below: Annotated[float | None, typer.Option(help="With --metric: value below X.")] = None,
    notify: Annotated[list[str] | None, typer.Option(
        "--notify", help="Apprise URL (json://, mailto://, tgram://, …); repeatable.")] = None,
) -> None:
    """Watch for new articles (or facts) matching all the options given."""
    from archive.search_syntax import SearchSyntaxError
    from parkwatch.choices import check_section, check_source, check_topic
    from parkwatch.sections import section_names
    from watches.store import WatchError, WatchSpec, add_watch, check_spec, describe, redact

    config = _ready()
    names = section_names(config, section)  # typed, then the profile's name for it
    named = (names[1] if len(names) > 1 else names[0]) if names else None
    spec = WatchSpec(name=name, query=query, topic=topic, source=source, section=named,
                     metric=metric, above=above, below=below, targets=list(notify or []))
    try:
        check_spec(spec)  # its name and shape first, then the names it filters by
        check_source(config, source)
        check_topic(config, topic)
        check_section(config, section)
        watch = add_watch(config.database_url, spec)
    except (WatchError, SearchSyntaxError) as exc:
        raise UserError(str(exc)) from None
    targets = ", ".join(redact(t) for t in spec.targets) or "no target (feed only)"
    out.print(f"watch {watch.name}: {escape(describe(watch))} → {escape(targets)}; matches "
              f"articles stored after #{watch.checked_article_id}; feed /feeds/{name}.atom")


@watch_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every watch: what it asks, its targets (redacted), matches, outbox and health."""
    from archive.db import session_scope
    from parkwatch.tables import fitted_table
    from watches.store import watch_rows

    config = _ready()
    with session_scope(config.database_url) as session:
        rows = watch_rows(session)
    if as_json:
        print_json(rows)
        return
    table = fitted_table("name", "asks", "targets", "matches", "sent", "pending", "health",
                         wrap=["asks", "targets", "health"])
    for r in rows:
        health = r["health"] + (": " + "; ".join(r["reasons"]) if r["reasons"] else "")
        table.add_row(r["name"], escape(r["asks"]), escape(", ".join(r["targets"]) or "-"),
                      str(r["matches"]), str(r["sent"]), str(r["pending"]), escape(health))
    out.print(table)
    out.print(f"{len(rows)} watch(es)")


@watch_app.command("remove")
def remove(name: Annotated[str, typer.Argument()]) -> None:
    """Delete a watch with its matches and outbox."""
    from watches.store import WatchError, remove_watch

    config = _ready()
    try:
        remove_watch(config.database_url, name)
    except WatchError as exc:
        raise UserError(str(exc)) from None
    out.print(f"watch {name} removed")


@watch_app.command("test")
def test(name: Annotated[str, typer.Argument()]) -> None:
    """Send a sample notification to each of the watch's targets now."""
    from archive.db import session_scope
    from watches.outbox import send
    from watches.store import get_watch, redact

    config = _ready()
    with session_scope(config.database_url) as session:
        watch = get_watch(session, name)
        if watch is None:
            raise UserError(f"no watch named {name}")
        targets = list(watch.targets or [])
    if not targets:
        raise UserError(f"watch {name} has no --notify target")
    failed = 0
    for target in targets:
        error = send(target, f"[{name}] parkwatch test", "A sample notification from "
                     f"parkwatch: watch {name} can reach this target.")
        failed += error is not None
        out.print(f"{escape(redact(target))}: " + ("sent" if error is None
                                                   else f"FAILED: {escape(error)}"))
    if failed:
        raise UserError(f"{failed} of {len(targets)} target(s) failed")


@watch_app.command("deliver")
def deliver() -> None:
    """Match new articles and send the due outbox now (runs do this when they end)."""
    from watches.run import after_run

    config = _ready()
    counts = after_run(config.database_url)
    out.print(f"{counts['matched']} new match(es), {counts['sent']} sent, "
              f"{counts['failed']} failed (retried later)")


def register(app: typer.Typer) -> None:
    """Add the `watch` group to the `parkwatch` app."""
    app.add_typer(watch_app, name="watch")
