"""Option types shared by the command modules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

import typer

DateOpt = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], show_default=False)]


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
