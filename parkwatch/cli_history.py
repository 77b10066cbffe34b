"""`parkwatch reread`, `import` and `backfill`: the archive's history — its kept pages read again
with today's rules, WARC files made by other tools read in as if crawled, and a web archive's
older captures of a source fetched through a CDX server. Each is resumable (killed, the next
run goes on where it stopped) and hands the work to crawler.history."""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from foundation.settings import Settings, load_settings
from parkwatch.console import UserError, err, out
from parkwatch.options import DateOpt

ARCHIVES = ("wayback",)  # --archive: a CDX server, the endpoint a setting (PARKWATCH_ARCHIVE_CDX)
WARC_STARTS = (b"WARC/", b"filedesc:")  # a WARC record's first line, an ARC file's
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
AsJson = Annotated[bool, typer.Option("--json", help="The summary as JSON.")]
Batch = Annotated[int | None, typer.Option(
    min=1, max=100_000, help="Pages read and committed together (a run stopped midway does "
    "at most one batch again).")]


def _user_error(message: str) -> Exception:
    return UserError(message)


def _workers(config: Settings) -> int | None:
    """PARKWATCH_PARSE_WORKERS (environment, then config), else one per core."""
    from crawler.run import environment_settings

    chosen = environment_settings().get("PARKWATCH_PARSE_WORKERS",
                                        config.scrapy.get("PARKWATCH_PARSE_WORKERS"))
    return None if chosen in (None, "") else int(chosen)


@contextmanager
def _progress(quiet: bool, what: str) -> Iterator[Callable[..., None]]:
    """`update(done, total, line)`: a bar on stderr while it runs (nothing when piped)."""
    if quiet or not err.is_terminal:
        yield lambda done, total, line="": None
        return
    with Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[line]}"), console=err, transient=True) as bar:
        task = bar.add_task(what, total=None, line="")
        yield lambda done, total, line="": bar.update(task, completed=done, total=total,
                                                      line=line)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def provenance_line(p: dict[str, Any]) -> str:
    """`articles show`'s line on where the reading came from (archive.provenance)."""
    if not p["record_id"]:
        return "read from: a live fetch (its page was not kept: stored before pages were kept)"
    if not p["kept"]:
        return f"read from: record {p['record_id']} (no longer kept: its WARC file was pruned)"
    how = {"live": "a live fetch", "import": "a WARC import", "archive": "a web archive's "
           "capture"}.get(p["origin"], str(p["origin"]))
    line = f"read from: {how} captured {p['captured_at']}"
    if p["reading"] == "reread":
        line = f"read from: a reread on {p['reread_at']} of {how} captured {p['captured_at']}"
    line += f" · record {p['record_id']} in {p['warc_file']}"
    if p["imported_from"]:
        line += f" · imported from {p['imported_from']}"
    if p["replay_url"]:
        line += f" · capture {p['replay_url']}"
    return line


# ---------------------------------------------------------------- reread


def _stored_sources(config: Settings, source: str | None) -> list[str]:
    """The source asked for (checked against the configuration), else every configured
    source the archive holds articles of; StorageError when there is no archive."""
    from archive.db import open_archive, session_scope
    from archive.queries import source_names

    chosen = config.source(source).name if source is not None else None
    open_archive(config.database_url)  # a reread never creates an archive
    if chosen is not None:
        return [chosen]
    with session_scope(config.database_url) as session:
        stored = set(source_names(session).values())
    return [name for name in config.sources if name in stored]


def reread_summary_line(name: str, s: Any) -> str:
    rate = f", {s.read / s.seconds:.0f} pages/s" if s.seconds > 0 and s.read else ""
    line = (f"reread of {name}: {s.read} pages read, {s.changed} changed, {s.unchanged} "
            f"unchanged — {s.dates} dates moved, {s.bodies} bodies changed, {s.titles} titles, "
            f"{s.sections} sections, {s.topics} topics changed, {s.facts_added} facts added, "
            f"{s.facts_removed} removed; {s.without_page} without a kept page, "
            f"{s.unreadable} unreadable ({s.seconds:.1f} s{rate})")
    if s.resumed_after:
        line += f"; went on after article {s.resumed_after}, where a stopped run had reached"
    return line


def reread(
    source: Annotated[str | None, typer.Option(
        help="Only this source (default: every configured source with stored articles).")
                      ] = None,
    since: DateOpt = None,
    until: DateOpt = None,
    quiet: Quiet = False,
    as_json: AsJson = False,
    batch: Batch = None,
) -> None:
    """Read the stored articles again from their kept pages with today's rules (no request
    sent); what changed becomes a revision with the reason `reread`. Resumable."""
    from archive.provenance import pages_root
    from crawler.history.reread import reread as reread_source

    config = load_settings()
    if since and until and since > until:
        raise _user_error(f"--since {since.date()} is after --until {until.date()}")
    names = _stored_sources(config, source)
    results = {}
    for name in names:
        with _progress(quiet, f"rereading {name}") as update:
            summary = reread_source(
                config.database_url, config.source(name), pages_root(config),
                since=since.date() if since else None, until=until.date() if until else None,
                workers=_workers(config), batch=batch or 200,
                progress=lambda s: update(s.read, s.total,
                                          f"{s.changed} changed, {s.unchanged} unchanged"))
        results[name] = summary
        if not as_json:
            out.print(reread_summary_line(name, summary), markup=False)
    if as_json:
        _print_json({name: asdict(s) for name, s in results.items()})
    elif not names:
        out.print("nothing to reread: the archive holds no article of a configured source")


# ---------------------------------------------------------------- import


def check_warc(path: Path) -> None:
    """A readable WARC (or ARC) file, plain or gzipped; UserError (one line) otherwise."""
    if not path.is_file():
        raise _user_error(f"{path}: no such file")
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(path, "rb") as handle:
            start = handle.read(16).lstrip(b"\r\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise _user_error(f"{path}: cannot read it ({exc.strerror or exc})"
                          if isinstance(exc, OSError) and exc.strerror
                          else f"{path}: not a WARC file (a broken gzip stream)") from None
    if not start.startswith(WARC_STARTS):
        raise _user_error(f"{path}: not a WARC file (it does not start with a WARC record)")


def import_summary_line(name: str, s: Any) -> str:
    stored = s.new + s.updated
    skipped = s.off_source + s.not_articles + s.skipped
    known = s.known + s.unchanged + s.aliases
    done = f" ({s.files_done_before} imported before)" if s.files_done_before else ""
    return (f"import into {name}: {s.files} file(s){done}, {s.read.records} records "
            f"({s.read.responses} responses): {stored} stored ({s.new} new, {s.updated} "
            f"updated, {s.duplicates} near-duplicates), {known} known, {skipped} skipped "
            f"({s.off_source} other pages, {s.not_articles} not articles, {s.skipped} "
            f"unreadable), {s.read.bad + s.read.too_large} bad records, {s.errors} errors")


def import_files(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE.warc[.gz]...", help="WARC files (wget --warc-file, Browsertrix, pywb, "
        "Common Crawl, Heritrix; ARC files too).")],
    source: Annotated[str, typer.Option("--source", help="The source their pages are of.")],
    quiet: Quiet = False,
    as_json: AsJson = False,
    batch: Batch = None,
) -> None:
    """Store the article pages of WARC files made elsewhere as if crawled (first seen at their
    capture), kept with the file and record they came from. Resumable."""
    from archive.provenance import pages_root
    from crawler.history.imports import import_warcs

    config = load_settings()
    profile = config.source(source)
    for path in files:  # every file is checked before any is read
        check_warc(path)
    with _progress(quiet, f"importing into {profile.name}") as update:
        summary = import_warcs(
            config.database_url, profile, files, pages_root(config), workers=_workers(config),
            batch=batch or 50, progress=lambda s: update(s.read.records, None,
                                      f"{s.new + s.updated} stored, {s.known} known"))
    for reason in summary.read.errors:
        err.print(f"parkwatch: bad record skipped: {reason}", markup=False)
    if as_json:
        _print_json(asdict(summary))
    else:
        out.print(import_summary_line(profile.name, summary), markup=False)


# ---------------------------------------------------------------- backfill


def backfill_summary_line(name: str, c: dict[str, int]) -> str:
    return (f"backfill of {name}: {c.get('captures', 0)} captures listed, "
            f"{c.get('listing_links', 0)} article URLs, {c.get('known', 0)} already stored; "
            f"{c.get('fetched', 0)} captures fetched: {c.get('new', 0)} new, "
            f"{c.get('updated', 0)} updated, {c.get('unchanged', 0)} unchanged, "
            f"{c.get('skipped', 0)} skipped, {c.get('errors', 0)} errors")


def backfill(
    source: Annotated[str, typer.Option("--source", help="The source to backfill.")],
    archive: Annotated[str, typer.Option(
        "--archive", help="The web archive: `wayback`, a CDX server (the Wayback Machine's "
        "unless PARKWATCH_ARCHIVE_CDX or --cdx names another).")] = "wayback",
    from_year: Annotated[int | None, typer.Option(
        "--from", min=1990, max=2200, metavar="YYYY", help="Captures from this year.")] = None,
    to_year: Annotated[int | None, typer.Option(
        "--to", min=1990, max=2200, metavar="YYYY", help="Captures up to this year.")] = None,
    cdx: Annotated[str | None, typer.Option(
        envvar="PARKWATCH_ARCHIVE_CDX", help="The CDX endpoint (any CDX server: pywb's "
        "…/COLLECTION/cdx).")] = None,
    replay: Annotated[str | None, typer.Option(
        help="Where its captures are replayed (default: from the CDX address).")] = None,
    rate: Annotated[float | None, typer.Option(
        min=0.001, help="At most this many requests a second to the archive (default "
        "PARKWATCH_ARCHIVE_RATE, 1).")] = None,
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", help="Scrapy setting NAME=VALUE (repeatable).")] = None,
    quiet: Quiet = False,
) -> None:
    """Fetch a web archive's captures of the source's articles that the archive does not hold
    (`id_` replay, politely: 1 request/s by default), stored as from the archive. Resumable."""
    from crawler.history.backfill import run_backfill
    from crawler.history.cdx import WAYBACK_CDX, CdxError, replay_prefix_for
    from crawler.run import parse_overrides

    if archive not in ARCHIVES:
        raise _user_error(f"unknown archive {archive!r}: expected {', '.join(ARCHIVES)} (any "
                          "CDX server: set its endpoint with --cdx or PARKWATCH_ARCHIVE_CDX)")
    if from_year and to_year and from_year > to_year:
        raise _user_error(f"--from {from_year} is after --to {to_year}")
    config = load_settings()
    profile = config.source(source)
    overrides = {"LOG_LEVEL": "ERROR", **parse_overrides(setting or [])}
    endpoint = cdx or overrides.get("PARKWATCH_ARCHIVE_CDX") or \
        config.scrapy.get("PARKWATCH_ARCHIVE_CDX") or WAYBACK_CDX
    if not str(endpoint).lower().startswith(("http://", "https://")):
        raise _user_error(f"bad CDX endpoint {endpoint!r}: expected an http(s) address")
    try:
        replay_prefix_for(endpoint) if not (replay or config.scrapy.get(
            "PARKWATCH_ARCHIVE_REPLAY")) else None
    except CdxError as exc:
        raise _user_error(str(exc)) from None
    err.print(f"backfilling {profile.name} from {endpoint} …", markup=False)
    with _progress(quiet, f"backfilling {profile.name}") as update:
        counts = run_backfill(
            config, profile.name, endpoint, replay, from_year, to_year, rate, overrides,
            on_progress=lambda c: update(c["fetched"], c["listing_links"] - c["known"] or None,
                                         f"{c['new']} new, {c['skipped']} skipped, "
                                         f"{c['errors']} errors"))
    out.print(backfill_summary_line(profile.name, counts), markup=False)
    if counts.get("listing_pages", 0) == 0 or (counts.get("errors", 0)
                                                and not counts.get("captures", 0)):
        raise _user_error(f"backfill of {profile.name}: the CDX server {endpoint} listed "
                          "nothing (unreachable, or not a CDX endpoint)")


def register(app: typer.Typer) -> None:
    """Add `reread`, `import` and `backfill` to the `parkwatch` app."""
    app.command()(reread)
    app.command("import")(import_files)
    app.command()(backfill)
