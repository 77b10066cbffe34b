"""Tables that stay readable in an 80-column terminal: the free-text columns wrap into what
the terminal leaves; every other column (ids, dates, counts, states) stays whole on one line."""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.table import Table


def fitted_table(*names: str, wrap: Iterable[str], **options) -> Table:
    """A table of these columns; those named in `wrap` fold (at word boundaries first) to fit,
    the others are never wrapped or cut. Columns sit one space apart, under one header rule."""
    wrapping = set(wrap)
    table = Table(box=box.SIMPLE_HEAD, padding=0, pad_edge=False, show_edge=False,
                  **options)
    for name in names:
        if name in wrapping:
            table.add_column(name, overflow="fold", min_width=8, ratio=1)
        else:
            table.add_column(name, no_wrap=True, min_width=len(name))
    return table
