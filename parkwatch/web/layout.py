"""What every web page shares: the templates with their filters, the token check and the
cookie that remembers it, rendering in the site's layout, the archive session."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

HERE = Path(__file__).parent
TOKEN_COOKIE = "parkwatch_token"
templates = Jinja2Templates(directory=str(HERE / "templates"))


def human(value: float | int | None) -> str:
    """100000000000 → '100 billion', 14930000 → '14.93 million', 12.4 → '12.4'."""
    if value is None:
        return "-"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.4g} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def snippet(snippet: str) -> Markup:
    """A search snippet: everything escaped but its <mark> tags."""
    safe = str(escape(snippet))
    return Markup(safe.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


def query_url(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(kept) if kept else "")


templates.env.filters["human"] = human
templates.env.globals["query_url"] = query_url


# ---------------------------------------------------------------- access


def token_ok(request: Request) -> bool:
    """No token configured, or the right one as a bearer header, ?token= or the cookie."""
    token = request.app.state.settings.api_token
    if not token:
        return True
    header = request.headers.get("authorization", "")
    given = (header[7:] if header.lower().startswith("bearer ") else None) \
        or request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE)
    return bool(given) and secrets.compare_digest(given.encode(), token.encode())


def guard(request: Request) -> None:
    """401 unless the request carries the token (where one is set)."""
    if not token_ok(request):
        raise HTTPException(401, "this server needs its token: add ?token=… to the address "
                                 "(or an Authorization: Bearer header)",
                            headers={"WWW-Authenticate": "Bearer"})


def render(request: Request, name: str, context: dict[str, Any],
            status_code: int = 200) -> HTMLResponse:
    """A page of the site's layout; a right ?token= is remembered in a cookie."""
    response = templates.TemplateResponse(request, name, {"page": name.split(".")[0],
                                                          **context},
                                          status_code=status_code)
    token = request.query_params.get("token")
    if token and token_ok(request):  # remembered, so links need not carry it
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


def open_session(request: Request) -> Session:
    """A read-only session of the app's archive (closed by the caller)."""
    return request.app.state.sessions()
