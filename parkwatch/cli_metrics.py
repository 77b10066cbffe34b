"""`parkwatch metrics …`: try the extractor on any text, list and re-extract stored facts."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `parkwatch` app."""
