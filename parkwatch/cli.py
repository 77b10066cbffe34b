"""The `parkwatch` command: thin Typer commands that hand the work to plain functions."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from archive.db import StorageError, mask_url, open_archive, session_scope
from archive.queries import article_dict, get_article, list_articles, source_names
from foundation.settings import ConfigError, load_settings
from parkwatch.choices import check_source
from parkwatch.console import UserError, err, one_line, out, print_json, settings
from parkwatch.options import DateOpt
from parkwatch.tables import fitted_table

app = typer.Typer(help="Monitor regional news about industrial parks and development zones.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode=None)
articles_app = typer.Typer(help="Read the stored articles.", no_args_is_help=True)
db_app = typer.Typer(help="The archive's database.", no_args_is_help=True)
app.add_typer(articles_app, name="articles")
app.add_typer(db_app, name="db")



def as_date(value: datetime | None) -> date | None:
    return value.date() if value else None


@app.command()
def crawl(
    source: Annotated[str, typer.Option("--source", help="Source name (see `sources list`).")
                      ] = "e-my399",
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", help="Scrapy setting NAME=VALUE (repeatable).")] = None,
    max_articles: Annotated[int | None, typer.Option(min=1, help="Stop after N articles.")
                            ] = None,
    since: DateOpt = None,
    full: Annotated[bool, typer.Option(help="Walk every listing page (backfill).")] = False,
    refresh: Annotated[bool, typer.Option(help="Re-fetch known articles for revisions.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    queue: Annotated[bool, typer.Option(
        "--queue", help="Ask the running service to crawl it (returns at once).")] = False,
    wait: Annotated[bool, typer.Option(
        "--wait", help="If the source is being crawled, wait for that crawl to end.")] = False,
    distributed: Annotated[bool, typer.Option(
        "--distributed", help="Seed the run into Redis for `parkwatch worker`s; wait until "
        "it has drained.")] = False,
) -> None:
    """Crawl one source now, in this process, with a live progress display."""
    from parkwatch.crawling import crawl_now
    from scheduler.leases import SourceBusy

    config = settings()
    if queue:
        from scheduler.queue import enqueue

        request = enqueue(config, source, setting or [], {
            "max_articles": max_articles, "since": as_date(since) and str(as_date(since)),
            "full": full, "refresh": refresh})
        out.print(f"queued crawl request {request} of {source}: `parkwatch serve` starts it "
                  "within seconds (see `parkwatch runs`)")
        return
    if distributed:
        from parkwatch.cli_worker import crawl_distributed

        result = crawl_distributed(config, source, setting or [], {
            "max_articles": max_articles, "since": as_date(since), "full": full,
            "refresh": refresh}, quiet, err)
        summary(result)
        if result.status != "succeeded":
            raise UserError(f"crawl of {source} failed: {result.error}")
        return
    try:
        result = crawl_now(config, source, setting or [], max_articles=max_articles,
                           since=as_date(since), full=full, refresh=refresh, quiet=quiet,
                           console=err, wait=wait)
    except SourceBusy as exc:
        raise UserError(str(exc)) from None
    summary(result)
    if result.status != "succeeded":
        raise UserError(f"crawl of {source} failed: {result.error}")


def summary(result) -> None:
    c = result.counts
    out.print(f"run {result.run_id} of {result.source}: {result.status} — "
              f"{c.get('pages', 0)} pages fetched, {c.get('new', 0)} new, "
              f"{c.get('updated', 0)} updated, {c.get('unchanged', 0)} unchanged, "
              f"{c.get('duplicates', 0)} near-duplicates, {c.get('skipped', 0)} skipped, "
              f"{c.get('errors', 0)} errors")


@articles_app.command("list")
def articles_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON array of articles.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000_000)] = 20,
    source: Annotated[str | None, typer.Option()] = None,
    topic: Annotated[str | None, typer.Option()] = None,
    section: Annotated[str | None, typer.Option(help="Section path or name, any case.")
                       ] = None,
    since: DateOpt = None,
    until: DateOpt = None,
    with_duplicates: Annotated[bool, typer.Option(help="Include near-duplicates.")] = False,
    after: Annotated[int | None, typer.Option(
        metavar="ID", help="The page after this article (the last id of the previous page): "
        "as fast at any depth.")] = None,
) -> None:
    """List stored articles, newest first (undated last)."""
    from parkwatch.sections import article_filter

    config = settings()
    open_archive(config.database_url)
    check_source(config, source)
    filters = article_filter(config, source=source, topic=topic, section=section,
                             since=as_date(since), until=as_date(until),
                             with_duplicates=with_duplicates)
    with session_scope(config.database_url) as session:
        names = source_names(session)
        try:
            rows = list_articles(session, filters, limit=limit, after=after)
        except LookupError as exc:
            raise UserError(f"--after: {exc}") from None
        if as_json:
            print_json([article_dict(a, names.get(a.source_id)) for a in rows])
            return
        table = fitted_table("id", "published", "section", "title", "topics", "facts",
                             wrap=["section", "title", "topics"])
        for a in rows:
            table.add_row(str(a.id), a.published.isoformat() if a.published else "-",
                          a.section or "-", a.title, ", ".join(a.topics or []),
                          str(len(a.facts)))
        out.print(table)
        out.print(f"{len(rows)} article(s)")


@articles_app.command("show")
def articles_show(
    article_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one article with its text and facts."""
    from archive.provenance import provenance
    from parkwatch.cli_history import provenance_line

    config = settings()
    open_archive(config.database_url)
    with session_scope(config.database_url) as session:
        article = get_article(session, article_id)
        if article is None:
            raise UserError(f"no article with id {article_id}")
        data = article_dict(article, source_names(session).get(article.source_id))
        data["provenance"] = provenance(session, article)
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]{data['title']}[/bold]")
    out.print(f"{data['url']}\npublished {data['published']} (URL date {data['url_date']}) · "
              f"{data['section']} · by {data['author'] or '-'} ({data['byline_source'] or '-'})"
              f" · topics: {', '.join(data['topics']) or '-'}")
    if data["aliases"]:
        out.print("also at: " + ", ".join(data["aliases"]))
    out.print(provenance_line(data["provenance"]), markup=False)
    out.print()
    out.print(data["text"])
    if data["facts"]:
        from parkwatch.cli_metrics import human

        out.print()
        table = Table("#", "value", "unit", "kind", "period", "metric")
        for i, f in enumerate(data["facts"]):
            table.add_row(str(i), human(f["value"]), f["unit"], f["kind"], f["period"] or "-",
                          f["metric"] or "-")
        out.print(table)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the archive's tables to the newest schema."""
    from archive.db import current_revision, upgrade

    config = settings()
    upgrade(config.database_url)
    out.print(f"database at revision {current_revision(config.database_url)}: "
              f"{mask_url(config.database_url)}")


@app.command()
def demo(
    variant: Annotated[str, typer.Option(help="Sample site markup: classic or modern.")
                       ] = "classic",
    home: Annotated[Path | None, typer.Option(help="Where the demo archive goes.")] = None,
) -> None:
    """Serve the bundled sample site on 127.0.0.1, crawl it, and show what was stored."""
    from parkwatch.demo import run_demo

    run_demo(variant=variant, home=home, console=out)


def register_commands() -> None:
    """Command groups that live in their own modules (metrics, service, queries)."""
    import importlib

    for name in ("parkwatch.cli_metrics", "parkwatch.cli_service", "parkwatch.cli_query",
                 "parkwatch.cli_read", "parkwatch.cli_watch", "parkwatch.cli_sources",
                 "parkwatch.cli_worker",
                 "parkwatch.cli_parks"):
        importlib.import_module(name).register(app)
    importlib.import_module("parkwatch.cli_history").register(app)  # reread, import, backfill


register_commands()


def secrets() -> list[str]:
    """What must never be printed: the database password and the API token."""
    from archive.db import url_password

    found = [os.environ.get("PARKWATCH_API_TOKEN")]
    if url := os.environ.get("PARKWATCH_DATABASE_URL"):
        found.append(url_password(url))
    try:
        config = load_settings()
        found += [config.api_token, url_password(config.database_url)]
    except Exception:  # noqa: BLE001 - a broken config is reported elsewhere
        pass
    return [s for s in found if s]


def fail(message: str, code: int) -> None:
    """One line on stderr, secrets masked, then exit."""
    from archive.db import redact

    err.print(f"parkwatch: {redact(one_line(message), *secrets())}", markup=False)
    sys.exit(code)


def main() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from archive.db import storage_error

    try:
        app(prog_name="parkwatch")
    except (ConfigError, UserError) as exc:
        fail(f"error: {exc}", 2)
    except StorageError as exc:
        fail(f"error: {exc}", 1)
    except SQLAlchemyError as exc:  # a database failing mid-command (damaged, gone)
        fail(f"error: {storage_error(exc)}", 1)
    except KeyboardInterrupt:  # plain stderr: the interrupt may have cut a console print short
        sys.stderr.write("parkwatch: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug: one line for users, the traceback on request
        if os.environ.get("PARKWATCH_DEBUG"):
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} "
             "(set PARKWATCH_DEBUG=1 for the traceback)", 3)
