"""`parkwatch read FILE_OR_URL…`: read saved pages (files, folders of them, gzip-compressed
pages) or live URLs exactly as a crawl would and show what parkwatch takes from each, field by
field, with where each field came from. One input failing is reported with it, never its batch."""

from __future__ import annotations

import gzip
import http.client
import json
import sys
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.table import Table

from foundation.profile import Profile
from foundation.settings import Settings, load_settings
from parkwatch.console import UserError, err, one_line, out
from parkwatch.options import url_problem

MAX_PAGE_BYTES = 32 * 1024 * 1024
FETCH_TIMEOUT = 30.0
PAGE_SUFFIXES = (".html", ".htm", ".gz")  # what a folder given to `read` is searched for
FIELDS = ("title", "published", "published_source", "url_date", "author", "byline_source",
          "section", "language")


@dataclass
class Input:
    """One page to read: its bytes, the URL it stands for, the charset its server declared."""

    name: str
    body: bytes
    url: str
    encoding: str | None


class InputError(Exception):
    """One input cannot be read (missing, binary, too large, not fetched): reported with it."""


def _user_error(message: str) -> Exception:
    return UserError(message)


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8")):
        return True
    return b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def read_file(path: Path, url: str | None) -> Input:
    """A saved page's bytes (a gzip-compressed page decompressed); InputError if it is none."""
    try:
        if _is_gzip(path):
            with gzip.open(path, "rb") as handle:
                body = handle.read(MAX_PAGE_BYTES + 1)
        else:
            with path.open("rb") as handle:
                body = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (EOFError, zlib.error) as exc:
        raise InputError(f"cannot read {path}: damaged gzip file ({exc})") from None
    if len(body) > MAX_PAGE_BYTES:
        raise InputError(f"{path}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB")
    if _looks_binary(body):
        raise InputError(f"{path}: not an HTML page (binary file)")
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
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise InputError(f"{url}: cannot fetch ({reason})") from None
    if len(body) > MAX_PAGE_BYTES:
        raise InputError(f"{url}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB")
    return Input(url, body, final_url, headers.get_content_charset())


def address_profile(url: str, settings: Settings) -> Profile:
    """The configured source for the URL's host, else a source known by its address alone."""
    host = urlsplit(url).hostname or ""
    for profile in settings.sources.values():
        if host and profile.host == host:
            return profile
    base = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" if host else "http://localhost"
    return Profile(name=host or "file", base_url=base)


def pages_of(item: str) -> Iterator[str | Path]:
    """The pages one input stands for: a URL, a file, or a folder's pages (recursively, in
    name order); InputError when it is none of these."""
    if item.startswith(("http://", "https://")):
        if problem := url_problem(item):
            raise InputError(f"{item}: {problem}")
        yield item
        return
    path = Path(item)
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        raise InputError(f"{item}: no such file or folder (or not an http(s) URL)")
    try:
        found = sorted(p for p in path.rglob("*")
                       if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())
    except OSError as exc:
        raise InputError(f"cannot read folder {item}: {exc.strerror or exc}") from None
    if not found:
        raise InputError(f"{item}: a folder with no {', '.join(PAGE_SUFFIXES)} pages in it")
    yield from found


def read_one(page: Input, profile: Profile) -> dict[str, Any]:
    """What parkwatch takes from one page (or an `error` when it holds no article or reading
    it failed, with the failure's `kind`)."""
    from crawler.parsing.article import ParseError, ReadError, parse_article

    result: dict[str, Any] = {"input": page.name, "url": page.url, "source": profile.name}
    try:
        article = parse_article(page.body, page.url, profile, page.encoding)
    except ReadError as exc:
        result.update(error=str(exc), kind=exc.kind)
        return result
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
    if "error" in result:  # one line on stderr; the other inputs are still shown
        message = result["error"]
        if not message.startswith(result["input"]):
            message = f"{result['input']}: {message}"
        err.print(f"parkwatch: error: {one_line(message)}", markup=False)
        return
    out.print(f"== {result['input']}  ({result['url']}, source {result['source']})",
              markup=False)
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
        metavar="FILE_OR_URL...", help="Saved pages (files; folders are searched for *.html, "
        "*.htm and gzip-compressed *.gz pages) or http(s) URLs.")],
    url: Annotated[str | None, typer.Option(
        help="The URL a saved page was fetched from (one file only).")] = None,
    source: Annotated[str | None, typer.Option(
        help="Read with this source's profile (default: the source of the URL's host, "
             "else the generic reader).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="An array, one object per page, in order; a failed one has `error`.")
                       ] = False,
) -> None:
    """Read pages as a crawl would and show each field with where it came from; exit 1 if any
    input failed (each failure is reported with its input, the others are still shown)."""
    settings = load_settings()
    if url is not None and (len(inputs) != 1 or not Path(inputs[0]).is_file()):
        raise _user_error("--url names the address of one saved page; give one FILE with it")
    profile = settings.source(source) if source else None
    profiles: dict[str, Profile] = {}

    def results() -> Iterator[dict[str, Any]]:
        for item in inputs:
            try:
                for page in pages_of(item):
                    yield read_page(page)
            except InputError as exc:
                yield {"input": item, "error": str(exc)}

    def read_page(page: str | Path) -> dict[str, Any]:
        try:
            loaded = (fetch(page, settings.user_agent) if isinstance(page, str)
                      else read_file(page, url))
        except InputError as exc:
            return {"input": str(page), "error": str(exc)}
        host = urlsplit(loaded.url).hostname or ""
        if host not in profiles:
            profiles[host] = address_profile(loaded.url, settings)
        return read_one(loaded, profile or profiles[host])

    failed = 0
    if as_json:  # streamed: a folder of thousands of pages is not held in memory
        sys.stdout.write("[")
        for i, result in enumerate(results()):
            failed += "error" in result
            element = json.dumps(result, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            sys.stdout.write(("," if i else "") + "\n  " + element)
        sys.stdout.write("\n]\n")
    else:
        for result in results():
            failed += "error" in result
            _show(result)
    sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `read` to the `parkwatch` app."""
    app.command()(read)
