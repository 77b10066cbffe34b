"""`parkwatch metrics …`: try the extractor on any text, list and re-extract stored facts."""

from __future__ import annotations

import typer

metrics_app = typer.Typer(help="Numeric facts extracted from articles.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `metrics` group (other modules may add commands to `metrics_app`)."""
    app.add_typer(metrics_app, name="metrics")
