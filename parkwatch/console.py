"""What every command shares: the consoles it prints to (results on stdout, errors and progress
on stderr), JSON output, the settings it reads and the error that is bad input."""

from __future__ import annotations

import csv
import json
import os
import sys
from typing import Any

from rich.console import Console

from archive.export import safe_cell
from foundation.settings import Settings, load_settings

# Piped or redirected output is not cut to an 80-column terminal.
out = Console(highlight=False, soft_wrap=True,
              width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class UserError(Exception):
    """Bad input: printed as one line, exit code 2."""


def settings() -> Settings:
    return load_settings()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def one_line(message: str) -> str:
    return " ".join(message.split())


def print_csv(header: list[str], rows: list[list[Any]]) -> None:
    """Rows as CSV on stdout, each cell formula-safe."""
    writer = csv.writer(sys.stdout)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
