"""The CDX protocol, client side: the query that lists a site's captures (the Wayback Machine's
CDX server, pywb's, any that speaks it), the answer in each of its shapes (a JSON array of rows
under a header row, one JSON object a line, or space-separated fields), and the `id_` replay
address of a capture's original bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"
FIELDS = ("timestamp", "original", "statuscode", "mimetype", "digest")
# pywb's names of the same fields in its JSON lines
ALIASES = {"url": "original", "status": "statuscode", "mime": "mimetype"}


class CdxError(ValueError):
    """An answer that is not a CDX listing (the message is one line)."""


@dataclass(frozen=True)
class CdxCapture:
    """One capture a CDX server lists."""

    timestamp: str  # 14 digits, UTC
    original: str
    statuscode: str = ""
    mimetype: str = ""
    digest: str = ""

    @property
    def captured_at(self) -> datetime:
        stamp = (self.timestamp + "00000000000000")[:14]
        return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)

    def replay_url(self, replay_prefix: str) -> str:
        """The capture's original bytes (`id_`: no rewriting, no banner)."""
        return f"{replay_prefix.rstrip('/')}/{self.timestamp}id_/{self.original}"


def replay_prefix_for(endpoint: str) -> str:
    """Where captures are replayed, for the usual layouts: the Wayback Machine's
    `…/cdx/search/cdx` → `…/web`, pywb's `…/COLL/cdx` → `…/COLL`."""
    base = endpoint.split("?", 1)[0].rstrip("/")
    if base.endswith("/cdx/search/cdx"):
        return base.removesuffix("/cdx/search/cdx") + "/web"
    if base.endswith("/cdx"):
        return base.removesuffix("/cdx")
    raise CdxError(f"cannot tell where {endpoint} replays its captures: set the replay "
                   "address too")


def query_url(endpoint: str, site: str, since: int | None = None, until: int | None = None,
              resume_key: str | None = None, limit: int | None = None) -> str:
    """The listing of every capture under the site (host and path prefix), years inclusive."""
    parts = urlsplit(site)
    # no `fl`: the servers name the fields differently (pywb: url, status, mime); each
    # answers its own full rows, read by their names
    params: list[tuple[str, str]] = [("url", f"{parts.netloc}{parts.path.rstrip('/')}/*"),
                                     ("output", "json")]
    if since:
        params.append(("from", str(since)))
    if until:
        params.append(("to", str(until)))
    if limit:
        params += [("limit", str(limit)), ("showResumeKey", "true")]
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{endpoint}?{urlencode(params)}"


def parse_listing(text: str) -> tuple[list[CdxCapture], str | None]:
    """(the captures, the resume key of the next page if the server gave one)."""
    text = text.strip()
    if not text:
        return [], None
    if text.startswith("["):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CdxError(f"the CDX answer is not JSON: {exc}") from None
        return _rows(rows)
    if text.startswith("{"):
        found = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                found.append(_capture(json.loads(line)))
            except (json.JSONDecodeError, TypeError, KeyError) as exc:
                raise CdxError(f"CDX line {number} is not a capture: {exc}") from None
        return found, None
    return [_plain(line) for line in text.splitlines() if line.strip()], None


def _rows(rows: object) -> tuple[list[CdxCapture], str | None]:
    if not isinstance(rows, list) or not rows:
        return [], None
    header, *body = rows
    if not isinstance(header, list):
        raise CdxError("the CDX answer has no header row")
    resume = None
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:  # [], [resume key]
        resume, body = str(body[-1][0]), body[:-2]
    names = [ALIASES.get(str(h), str(h)) for h in header]
    return [_capture(dict(zip(names, row, strict=False))) for row in body if row], resume


def _capture(row: dict[str, object]) -> CdxCapture:
    row = {ALIASES.get(k, k): v for k, v in row.items()}
    return CdxCapture(str(row["timestamp"]), str(row["original"]),
                      str(row.get("statuscode", "")), str(row.get("mimetype", "")),
                      str(row.get("digest", "")))


def _plain(line: str) -> CdxCapture:
    """A space-separated line in the `fl` order (or the classic 11-field CDX line)."""
    fields = line.split()
    if len(fields) >= 7 and fields[1].isdigit():  # urlkey timestamp original mime status …
        return CdxCapture(fields[1], fields[2], fields[4], fields[3], fields[5])
    if len(fields) < 2 or not fields[0].isdigit():
        raise CdxError(f"not a CDX line: {line[:80]!r}")
    values = dict(zip(FIELDS, fields, strict=False))
    return CdxCapture(values["timestamp"], values["original"], values.get("statuscode", ""),
                      values.get("mimetype", ""), values.get("digest", ""))


def is_page(capture: CdxCapture) -> bool:
    """A capture of a web page answered 200 (not a redirect, an error or a revisit)."""
    mime = capture.mimetype.lower()
    return capture.statuscode == "200" and (not mime or "html" in mime or mime == "unk")


def newest_per_url(captures: list[CdxCapture],
                   key: Callable[[str], str] = str) -> list[CdxCapture]:
    """The newest capture of each URL (by `key`, e.g. the canonical URL), newest URLs first."""
    newest: dict[str, CdxCapture] = {}
    for capture in captures:
        k = key(capture.original)
        if k not in newest or capture.timestamp > newest[k].timestamp:
            newest[k] = capture
    return sorted(newest.values(), key=lambda c: c.timestamp, reverse=True)
