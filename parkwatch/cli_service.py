"""`parkwatch serve`, `status`, `runs`, `jobs`: the background service and its run history."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `parkwatch` app."""
