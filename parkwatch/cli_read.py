"""`parkwatch read FILE_OR_URL…`: read saved pages or live URLs exactly as a crawl would and
show what parkwatch takes from each, field by field, with where each field came from."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.table import Table

from foundation.profile import Profile
from foundation.settings import Settings, load_settings
from parkwatch.console import out

MAX_PAGE_BYTES = 32 * 1024 * 1024
FETCH_TIMEOUT = 30.0
FIELDS = ("title", "published", "published_source", "url_date", "author", "byline_source",
          "section", "language")


@dataclass
class Input:
    """One page to read: its bytes, the URL it stands for, the charset its server declared."""

    name: str
    body: bytes
    url: str
    encoding: str | None


def _user_error(message: str) -> Exception:
    from parkwatch.cli import UserError

    return UserError(message)


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8")):
        return True
    return b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def read_file(path: Path, url: str | None) -> Input:
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        raise _user_error(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(body) > MAX_PAGE_BYTES:
        raise _user_error(f"{path}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB")
    if _looks_binary(body):
        raise _user_error(f"{path}: not an HTML page (binary file)")
    return Input(str(path), body, url or path.resolve().as_uri(), None)


def fetch(url: str, user_agent: str, timeout: float = FETCH_TIMEOUT) -> Input:
    """GET a page through the environment's http_proxy/https_proxy/no_proxy, as one request."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler())  # reads the environment
    request = urllib.request.Request(url, headers={"User-Agent": user_agent,
                                                   "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_PAGE_BYTES + 1)
            final_url = response.geturl()
            headers: Message = response.headers
    except urllib.error.HTTPError as exc:
        raise _user_error(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise _user_error(f"{url}: cannot fetch ({reason})") from None
    if len(body) > MAX_PAGE_BYTES:
        raise _user_error(f"{url}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB")
    return Input(url, body, final_url, headers.get_content_charset())


def address_profile(url: str, settings: Settings) -> Profile:
    """The configured source for the URL's host, else a source known by its address alone."""
    host = urlsplit(url).hostname or ""
    for profile in settings.sources.values():
        if host and profile.host == host:
            return profile
    base = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" if host else "http://localhost"
    return Profile(name=host or "file", base_url=base)


def read_one(page: Input, profile: Profile) -> dict[str, Any]:
    """What parkwatch takes from one page (or an `error` when it holds no article)."""
    from crawler.parsing import ParseError, parse_article

    result: dict[str, Any] = {"input": page.name, "url": page.url, "source": profile.name}
    try:
        article = parse_article(page.body, page.url, profile, page.encoding)
    except ParseError as exc:
        result["error"] = f"no article: {exc}"
        return result
    for name in FIELDS:
        value = getattr(article, name)
        result[name] = value.isoformat() if hasattr(value, "isoformat") else value
    result["provenance"] = article.provenance
    result["text"] = article.text
    return result


def _show(result: dict[str, Any]) -> None:
    out.print(f"== {result['input']}  ({result['url']}, source {result['source']})",
              markup=False)
    if "error" in result:
        out.print(f"   {result['error']}", markup=False)
        return
    provenance = result["provenance"]
    table = Table("field", "value", "from", show_header=True, box=None, pad_edge=False)
    rows = [("title", result["title"], provenance.get("title")),
            ("published", result["published"], result["published_source"]),
            ("url date", result["url_date"], "url" if result["url_date"] else None),
            ("author", result["author"], provenance.get("author")),
            ("byline source", result["byline_source"], provenance.get("byline_source")),
            ("section", result["section"], provenance.get("section")),
            ("language", result["language"], "text"),
            ("body", f"{len(result['text'])} characters, "
                     f"{result['text'].count(chr(10)) + 1} paragraphs", provenance.get("body"))]
    for name, value, source in rows:
        table.add_row(name, "-" if value is None else str(value), source or "-")
    out.print(table)
    for paragraph in result["text"].split("\n"):
        out.print(f"   | {paragraph}", markup=False)


def read(
    inputs: Annotated[list[str], typer.Argument(
        metavar="FILE_OR_URL...", help="Saved pages (files) or http(s) URLs.")],
    url: Annotated[str | None, typer.Option(
        help="The URL a saved page was fetched from (one file only).")] = None,
    source: Annotated[str | None, typer.Option(
        help="Read with this source's profile (default: the source of the URL's host, "
             "else the generic reader).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="An array, one object per input.")
                       ] = False,
) -> None:
    """Read pages as a crawl would and show each field with where it came from."""
    settings = load_settings()
    if url is not None and len(inputs) != 1:
        raise _user_error("--url names the address of one saved page; give one FILE with it")
    profile = settings.source(source) if source else None
    pages = []
    for item in inputs:  # every input is checked before any is read
        if item.startswith(("http://", "https://")):
            pages.append(item)
        else:
            path = Path(item)
            if not path.is_file():
                raise _user_error(f"{item}: no such file (or not a URL)")
            pages.append(read_file(path, url))
    results = []
    for page in pages:
        if isinstance(page, str):
            page = fetch(page, settings.user_agent)
        results.append(read_one(page, profile or address_profile(page.url, settings)))
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return
    for result in results:
        _show(result)


def register(app: typer.Typer) -> None:
    """Add `read` to the `parkwatch` app."""
    app.command()(read)
