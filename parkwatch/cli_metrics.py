"""`parkwatch metrics …`: try the extractor on any text, list and re-extract stored facts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parkwatch.console import out
from parkwatch.options import DateOpt

metrics_app = typer.Typer(help="Numeric facts extracted from articles.", no_args_is_help=True)

MAX_INPUT_BYTES = 16 * 1024 * 1024


def _read_text(source: str) -> str:
    from parkwatch.cli import UserError

    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        path = Path(source)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise UserError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UserError(f"{source}: input larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    return data.decode("utf-8", errors="replace")


def human(value: float) -> str:
    """100000000000 → 100,000,000,000; 6.5 → 6.5."""
    return f"{value:,.12g}" if abs(value) < 1e16 else f"{value:g}"


def _fact_table(facts: list[dict], title: str | None = None) -> Table:
    table = Table(
        "#",
        "value",
        "unit",
        "kind",
        "qualifier",
        "period",
        "basis",
        "metric",
        "subject",
        "conversion",
        title=title,
    )
    for index, fact in enumerate(facts):
        conv = fact.get("conversion")
        shown = "-"
        if conv:
            shown = f"{human(conv['value'])} {conv['unit']}" + ("" if conv["consistent"] else " ⚠")
        table.add_row(
            str(index),
            human(fact["value"]),
            fact["unit"],
            fact["kind"],
            fact["qualifier"],
            fact["period"] or "-",
            fact.get("basis") or "-",
            fact.get("metric") or "-",
            fact.get("subject") or "-",
            shown,
        )
    return table


@metrics_app.command("extract")
def metrics_extract(
    source: Annotated[
        str, typer.Argument(metavar="[FILE|-]", help="Text file, or - for stdin.")
    ] = "-",
    published: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON array of facts.")] = False,
) -> None:
    """Extract facts from any text (the extractor the crawler uses)."""
    from pipelines.metrics import extract_facts

    text = _read_text(source)
    facts = [f.to_dict() for f in extract_facts(text, published.date() if published else None)]
    if as_json:
        sys.stdout.write(json.dumps(facts, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(_fact_table(facts))
    out.print(f"{len(facts)} fact(s)")


@metrics_app.command("list")
def metrics_list(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    metric: Annotated[str | None, typer.Option(help="Words the metric must contain.")] = None,
    subject: Annotated[str | None, typer.Option(help="Words the subject must contain.")] = None,
    unit: Annotated[str | None, typer.Option(help="CNY, USD, percent, count, sqm, …")] = None,
    since: DateOpt = None,
    until: DateOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000_000)] = 100,
) -> None:
    """List stored facts, newest articles first."""
    from archive.db import open_archive, session_scope
    from archive.queries import FactFilter, list_facts
    from parkwatch.cli import settings

    config = settings()
    open_archive(config.database_url)
    filters = FactFilter(
        metric=metric,
        subject=subject,
        unit=unit,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    with session_scope(config.database_url) as session:
        facts = list_facts(session, filters, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps(facts, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("article", "published", "value", "unit", "kind", "period", "metric", "subject")
    for f in facts:
        table.add_row(
            str(f["article_id"]),
            f["published"] or "-",
            human(f["value"]),
            f["unit"],
            f["kind"],
            f["period"] or "-",
            f["metric"] or "-",
            f["subject"] or "-",
        )
    out.print(table)
    out.print(f"{len(facts)} fact(s)")


@metrics_app.command("reextract")
def metrics_reextract(
    outdated: Annotated[
        bool,
        typer.Option(
            "--outdated", help="Only articles whose facts came from another extractor version."
        ),
    ] = False,
) -> None:
    """Re-run the current extractor over the stored articles."""
    from archive.db import open_archive
    from parkwatch.cli import settings
    from pipelines.metrics import EXTRACTOR_VERSION
    from pipelines.reextract import reextract

    config = settings()
    open_archive(config.database_url)
    result = reextract(config.database_url, outdated_only=outdated)
    out.print(
        f"re-extracted {result['articles']} article(s) with extractor "
        f"{EXTRACTOR_VERSION}: {result['facts']} fact(s)"
    )


def register(app: typer.Typer) -> None:
    """Add the `metrics` group (other modules may add commands to `metrics_app`)."""
    app.add_typer(metrics_app, name="metrics")
