"""The consoles every command prints to: results on stdout, errors and progress on stderr."""

from __future__ import annotations

import os
import sys

from rich.console import Console

# Piped or redirected output is not cut to an 80-column terminal.
out = Console(highlight=False, soft_wrap=True,
              width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)
