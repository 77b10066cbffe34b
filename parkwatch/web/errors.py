"""Errors on the web pages answer as pages: the site's layout, one sentence and a way back.
The API's routes, the feeds and the CSV download keep the answers they had (JSON)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

Handler = Callable[[Request, Any], Awaitable[Response]]
SHOWN_CHARS = 120  # of a requested value or path, in a sentence

TITLES = {400: "Bad request", 401: "Token required", 404: "Not found",
          422: "Not a valid address", 500: "Something went wrong",
          503: "Archive unavailable"}

# pydantic's error types, said the way a reader of an address would say them
PROBLEMS = {"int_parsing": "should be a whole number", "int_type": "should be a whole number",
            "bool_parsing": "should be true or false", "date_from_datetime_parsing":
            "should be a date (YYYY-MM-DD)", "date_parsing": "should be a date (YYYY-MM-DD)",
            "missing": "is missing", "string_pattern_mismatch": "holds a character it cannot",
            "string_too_long": "is too long", "string_too_short": "is empty"}


def install_error_pages(app: FastAPI) -> None:
    """Wrap the app's error handlers (FastAPI's defaults and the API's own, installed before
    this): a page route's error renders error.html, any other route's goes where it went."""
    fallbacks: dict[type[Exception], Handler] = {
        StarletteHTTPException: http_exception_handler,
        RequestValidationError: request_validation_exception_handler,
        SQLAlchemyError: _database_unavailable}
    for kind, fallback in fallbacks.items():
        app.add_exception_handler(kind, _either(app.exception_handlers.get(kind, fallback)))
    app.add_exception_handler(Exception, _either(_internal_error))


def _either(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not wants_page(request):
            return await api_handler(request, exc)
        try:
            return error_page(request, exc)
        except Exception:  # the error page itself failed: still no traceback
            log.exception("the error page for %s failed", request.url.path)
            return PlainTextResponse("Internal Server Error", status_code=500)
    return handle


def wants_page(request: Request) -> bool:
    """A route that answers HTML answers its errors in HTML. An unknown path does too, unless
    it lies under an API route's first segment (`/articles/…`) or the client asks for JSON."""
    route = request.scope.get("route")
    if route is not None:
        return getattr(route, "response_class", None) is HTMLResponse
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return False
    first = request.url.path.strip("/").split("/")[0]
    return first not in _api_segments(request.app)


def _api_segments(app: FastAPI) -> set[str]:
    segments = getattr(app.state, "api_segments", None)
    if segments is None:
        segments = {getattr(r, "path", "").strip("/").split("/")[0] for r in app.routes
                    if getattr(r, "response_class", None) is not HTMLResponse}
        segments.discard("")
        app.state.api_segments = segments
    return segments


def error_page(request: Request, exc: Exception) -> HTMLResponse:
    """The page for this error: its status, a title, one sentence."""
    from parkwatch.web.layout import templates

    status, headers = 500, None
    if isinstance(exc, StarletteHTTPException):
        status, headers = exc.status_code, exc.headers
        sentence = _http_sentence(request, exc)
    elif isinstance(exc, RequestValidationError):
        status, sentence = 422, _validation_sentence(exc)
    elif isinstance(exc, SQLAlchemyError):
        status = 503
        sentence = (f"The archive's database did not answer ({type(exc).__name__}); "
                    "try again in a moment.")
    else:  # the server logs the exception itself
        sentence = "Something went wrong on the server; the error has been logged."
    title = TITLES.get(status) or _phrase(status)
    return templates.TemplateResponse(request, "error.html", {
        "page": "error", "status": status, "title": title, "sentence": sentence},
        status_code=status, headers=headers)


def _http_sentence(request: Request, exc: StarletteHTTPException) -> str:
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if exc.status_code == 404 and detail in ("", "Not Found"):
        return f"There is no page at {_shown(request.url.path)}."
    if not detail or detail == _phrase(exc.status_code):
        return f"The server could not answer this address ({_phrase(exc.status_code)})."
    detail = detail if detail.endswith((".", "!", "?")) else detail + "."
    if exc.status_code == 422:
        return f"This address is not valid: {detail}"
    return detail[:1].upper() + detail[1:]


def _validation_sentence(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors()[:3]:
        name = str(error.get("loc", ("", "value"))[-1])
        problem = PROBLEMS.get(error.get("type", ""))
        if problem is None:
            msg = str(error.get("msg", "is not valid")).removeprefix("Input ")
            problem = msg[:1].lower() + msg[1:]
        given = error.get("input")
        if error.get("type") != "missing" and isinstance(given, str | int | float):
            problem += f", not {_shown(str(given))}"
        problems.append(f"{name} {problem}")
    return "This address is not valid: " + "; ".join(problems) + "."


def _shown(text: str) -> str:
    text = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
    return f"“{text}”"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


async def _database_unavailable(_request: Request, exc: SQLAlchemyError) -> Response:
    return JSONResponse({"detail": f"database unavailable: {type(exc).__name__}"},
                        status_code=503)


async def _internal_error(_request: Request, _exc: Exception) -> Response:
    return JSONResponse({"detail": "internal server error"}, status_code=500)
