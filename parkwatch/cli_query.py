"""`parkwatch search`, `metrics series`, `export`, `api`: querying the archive."""

from __future__ import annotations

import ipaddress
import sys
from contextlib import ExitStack
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from parkwatch.choices import check_source
from parkwatch.console import UserError, err, out, print_csv, print_json, settings
from parkwatch.options import DateOpt
from parkwatch.sections import article_filter, section_facets

AsJson = Annotated[bool, typer.Option("--json", help="JSON output.")]
AsCsv = Annotated[bool, typer.Option("--csv", help="CSV output (spreadsheet-safe).")]


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"


def _day(value: datetime | None):
    return value.date() if value else None


def _one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise UserError("choose one of --json and --csv")


def _highlight(snippet: str) -> str:
    from rich.markup import escape

    return escape(snippet).replace("<mark>", "[bold]").replace("</mark>", "[/bold]")


def search(
    query: Annotated[str, typer.Argument(
        metavar="QUERY", help='Words, "phrases", AND / OR / NOT, prefix*, (parentheses).')],
    since: DateOpt = None,
    until: DateOpt = None,
    source: Annotated[str | None, typer.Option()] = None,
    section: Annotated[str | None, typer.Option()] = None,
    topic: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option(help="e.g. en, zh.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Full-text search over titles and texts, best matches first."""
    from archive.db import open_archive, session_scope
    from archive.search import SearchSyntaxError
    from archive.search import search as run_search
    _one_format(as_json, as_csv)
    config = settings()
    open_archive(config.database_url)
    check_source(config, source)
    filters = article_filter(config, source=source, section=section, topic=topic,
                             since=_day(since), until=_day(until), language=language)
    try:
        with session_scope(config.database_url) as session:
            hits = [hit.as_dict() for hit in run_search(session, query, filters, limit=limit)]
    except SearchSyntaxError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        print_json(hits)
    elif as_csv:
        columns = ["id", "published", "title", "snippet", "url", "score", "source", "section"]
        print_csv(columns, [[hit[c] for c in columns] for hit in hits])
    else:
        for hit in hits:
            out.print(f"[bold]{hit['published'] or '-'}[/bold]  {_highlight(hit['title'])}"
                      f"  [dim]#{hit['id']}[/dim]")
            out.print(f"    {_highlight(hit['snippet'])}")
            out.print(f"    [dim]{hit['url']}[/dim]", markup=True)
        out.print(f"{len(hits)} result(s)")


def series(
    metric: Annotated[str | None, typer.Argument(
        metavar="[METRIC_TEXT]", help="Words all found in the fact's metric.")] = None,
    subject: Annotated[str | None, typer.Option(help="Text found in the fact's subject.")
                       ] = None,
    unit: Annotated[str | None, typer.Option(
        help="Unit: percent (or %), CNY (or yuan), USD, km2, … — see `parkwatch facets`.")
                    ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    park: Annotated[str | None, typer.Option(help="A park's id: its series, one per line of "
                                             "measure, kind and granularity.")] = None,
    measure: Annotated[str | None, typer.Option(help="A measure's id (`parkwatch facets`).")
                       ] = None,
) -> None:
    """One point per period for a metric; conflicting values are shown side by side. With
    --park and/or --measure instead: every series of them, each on its own (parks)."""
    from rich.markup import escape

    from archive.db import open_archive, session_scope
    from archive.queries import FactFilter, metric_series
    from archive.search import SearchSyntaxError
    from parkwatch.cli_metrics import human
    from parkwatch.tables import fitted_table
    from pipelines.metrics.units import canonical_unit

    _one_format(as_json, as_csv)
    if metric is None and (park or measure):
        from parkwatch.cli_parks import print_series

        print_series(park, measure, as_json, as_csv)
        return
    if not (metric or "").strip():
        raise UserError("METRIC_TEXT needs at least one word (or give --park / --measure)")
    config = settings()
    open_archive(config.database_url)
    try:
        with session_scope(config.database_url) as session:
            points = metric_series(session, FactFilter(
                metric=metric, subject=subject, unit=canonical_unit(unit) if unit else None))
    except SearchSyntaxError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        print_json(points)
        return
    if as_csv:
        columns = ["period", "period_start", "period_end", "value", "unit", "kind", "basis",
                   "subject", "metric", "comparison", "conflict", "sources", "article_ids",
                   "urls"]
        rows = [[p["period"], p["period_start"], p["period_end"], v["value"], v["unit"],
                 v["kind"], v["basis"], v["subject"], v["metric"], v["comparison"],
                 v["conflict"], len(v["sources"]),
                 ";".join(str(s["article_id"]) for s in v["sources"]),
                 " ".join(s["url"] for s in v["sources"])]
                for p in points for v in p["values"]]
        print_csv(columns, rows)
        return
    table = fitted_table("period", "value", "kind", "subject", "articles",
                         wrap=["subject", "articles"])
    for p in points:
        for index, v in enumerate(p["values"]):
            mark = "  ≠" if v["conflict"] else ("  (vs)" if v["comparison"] else "")
            value = f"{human(v['value'])} {v['unit']}" + mark
            kind = v["kind"] + (f" {v['basis']}" if v["basis"] else "")
            table.add_row(escape(p["period"]) if index == 0 else "", escape(value), kind,
                          escape(v["subject"] or "-"),
                          ", ".join(str(s["article_id"]) for s in v["sources"]),
                          end_section=index == len(p["values"]) - 1)
    out.print(table)
    if any(p["conflict"] for p in points):
        out.print("≠: articles report different values for the same period (not averaged)")
    if any(v["comparison"] for p in points for v in p["values"]):
        out.print("(vs): a comparison with another figure (percentage points), not a rival "
                  "value")
    out.print(f"{len(points)} period(s)")


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv, jsonl or xlsx.")],
    since: DateOpt = None,
    until: DateOpt = None,
    topic: Annotated[str | None, typer.Option()] = None,
    source: Annotated[str | None, typer.Option()] = None,
    section: Annotated[str | None, typer.Option(help="Section path or name.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (default stdout).",
                                                dir_okay=False)] = None,
    facts: Annotated[Path | None, typer.Option("--facts", help="CSV only: facts to this file.",
                                               dir_okay=False)] = None,
) -> None:
    """Export every matching article, streamed: CSV (+ facts CSV), JSON lines with facts, or
    an xlsx workbook (articles and facts sheets; needs -o)."""
    from archive.db import open_archive, session_scope
    from archive.export import write_csv, write_jsonl, write_xlsx
    if facts is not None and fmt is not ExportFormat.csv:
        raise UserError("--facts goes with --format csv (jsonl lines and the xlsx workbook "
                        "carry their facts)")
    if fmt is ExportFormat.xlsx and output is None:
        raise UserError("--format xlsx writes a file: give -o FILE.xlsx")
    config = settings()
    open_archive(config.database_url)
    check_source(config, source)
    filters = article_filter(config, source=source, topic=topic, section=section,
                             since=_day(since), until=_day(until), with_duplicates=True)
    if fmt is ExportFormat.xlsx:
        with session_scope(config.database_url) as session:
            try:
                count = write_xlsx(session, output, filters)
            except OSError as exc:
                raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
        err.print(f"exported {count} article(s) to {output} (sheets: articles, facts)")
        return
    with ExitStack() as files, session_scope(config.database_url) as session:
        try:
            stream = (files.enter_context(output.open("w", encoding="utf-8", newline=""))
                      if output else sys.stdout)
            facts_stream = (files.enter_context(facts.open("w", encoding="utf-8", newline=""))
                            if facts else None)
        except OSError as exc:
            raise UserError(f"cannot write {exc.filename}: {exc.strerror}") from None
        if fmt is ExportFormat.csv:
            count = write_csv(session, stream, filters, facts_stream)
        else:
            count = write_jsonl(session, stream, filters)
    err.print(f"exported {count} article(s) to {output or 'stdout'}"
              + (f", facts to {facts}" if facts else ""))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api(
    host: Annotated[str, typer.Option(help="Interface to bind; non-loopback needs a token.")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535)] = 8000,
) -> None:
    """Serve the read-only JSON API and the web pages (/ ; OpenAPI docs at /docs)."""
    import contextlib

    import uvicorn

    from parkwatch.api import create_app
    config = settings()
    if not _loopback(host) and not config.api_token:
        raise UserError(f"binding {host} (not loopback) needs an API token: set api_token in "
                        "the config file or PARKWATCH_API_TOKEN")
    from archive.db import open_archive
    from parkwatch.listen import ListenError, listening_socket

    open_archive(config.database_url)
    app = create_app(config)
    try:
        sock = listening_socket(host, port)
    except ListenError as exc:
        raise UserError(str(exc)) from None
    port = sock.getsockname()[1]
    err.print(f"parkwatch on http://{host}:{port} (web pages at /, API docs at /docs)"
              + (" — bearer token required" if config.api_token else ""))
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run: Ctrl-C is how it stops
        server.run(sockets=[sock])


def facets(as_json: AsJson = False) -> None:
    """What the archive holds, with counts: sections, topics, languages, units, metrics."""
    from archive.db import open_archive, session_scope
    from archive.queries import facets as archive_facets
    config = settings()
    open_archive(config.database_url)
    with session_scope(config.database_url) as session:
        data = archive_facets(session)
    data["sections"] = section_facets(config, data["sections"])
    if as_json:
        print_json(data)
        return
    from rich.markup import escape

    for group, rows in data.items():
        out.print(f"[bold]{group}[/bold] ({len(rows)})")
        for row in rows[:50]:
            extra = f"  [dim]path {row['path']}[/dim]" if row.get("path") else ""
            extra += (f"  [dim]e.g. {escape(row['example'])}[/dim]"
                      if row.get("example") and row["example"] != row["name"] else "")
            out.print(f"  {row['count']:>7}  {escape(str(row['name']))}{extra}")
        if len(rows) > 50:
            out.print(f"  … {len(rows) - 50} more (--json lists them all)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `parkwatch` app (and `series` to `metrics`)."""
    from parkwatch.cli_metrics import metrics_app

    app.command()(search)
    app.command()(export)
    app.command()(api)
    app.command("web", help="Serve the web pages (the same server as `parkwatch api`).")(api)
    app.command()(facets)
    metrics_app.command("series")(series)
