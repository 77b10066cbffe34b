"""Option types shared by the command modules."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

import typer

DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def real_date(text: str) -> datetime:
    """YYYY-MM-DD → datetime; a bad one is one line: "not a real date: 2024-02-30"."""
    if isinstance(text, datetime):
        return text
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        if DATE_SHAPE.fullmatch(text.strip()):
            raise typer.BadParameter(f"not a real date: {text.strip()}") from None
        raise typer.BadParameter(f"not a date: {text!r} (expected YYYY-MM-DD, e.g. "
                                 "2024-03-01)") from None


DateOpt = Annotated[datetime | None, typer.Option(parser=real_date, metavar="YYYY-MM-DD",
                                                  show_default=False)]


def url_problem(url: str) -> str | None:
    """Why an http(s) address cannot be fetched as given, or None."""
    if any(c.isspace() for c in url) or any(ord(c) < 32 for c in url):
        return "not a valid URL (it holds a space or a control character)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    return None if parts.hostname else "not a valid URL (no host name)"
