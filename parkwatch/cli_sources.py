"""`parkwatch sources list | add | check`: the configured sites, a new site from its address,
and a look at how a site reads before its first crawl."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table

from parkwatch.console import UserError, out, print_json, settings

sources_app = typer.Typer(help="Configured sites: list, add one by its address, check one.",
                          no_args_is_help=True)
Pause = Annotated[float, typer.Option(
    min=0, help="Seconds between two requests to the site (politeness).")]


def register(app: typer.Typer) -> None:
    """Add the `sources` command group to the `parkwatch` app."""
    app.add_typer(sources_app, name="sources")


@sources_app.command("list")
def sources_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show the configured sources (built-in profiles merged with the config file)."""
    from archive.db import mask_url
    from parkwatch.tables import fitted_table
    from pipelines.topics import rules_for

    config = settings()
    rows = [{"name": p.name, "title": p.title, "base_url": p.base_url, "enabled": p.enabled,
             "schedule": p.schedule, "sections": p.sections,
             "topics": sorted(n for n, rule in rules_for(p.topics).items() if rule.terms)}
            for p in config.sources.values()]
    if as_json:
        print_json(rows)
        return
    table = fitted_table("name", "base URL", "schedule", "sections", "topics", "title",
                         wrap=["name", "base URL", "topics", "title"])
    for r in rows:
        table.add_row(r["name"], r["base_url"], r["schedule"],
                      str(len(r["sections"])) if r["sections"] else "discovered",
                      ", ".join(r["topics"]), r["title"])
    out.print(table)
    out.print(f"config file: {config.config_file or 'none'} · database: "
              f"{mask_url(config.database_url)}")


def _config_path(config) -> Path:
    if config.config_file is not None:
        return Path(config.config_file)
    if explicit := os.environ.get("PARKWATCH_CONFIG"):
        return Path(explicit).expanduser()
    return Path.cwd() / "parkwatch.toml"


def _fetcher(config, pause: float):
    from crawler.discovery.probe import PoliteFetcher

    return PoliteFetcher(config.user_agent, pause=pause)


@sources_app.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="Name of the new source, e.g. harbin-gov.")],
    url: Annotated[str, typer.Argument(help="The site's address, e.g. https://www.example.cn")],
    language: Annotated[str | None, typer.Option(help="en, zh…; detected when left out.")
                        ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing [sources.NAME] table.")
                     ] = False,
    pause: Pause = 1.0,
) -> None:
    """Probe a site politely (robots.txt, sitemaps, feeds, home page, a few listing and
    article pages) and write the [sources.NAME] table found to the config file."""
    import tomlkit

    from crawler.discovery.check import read_page
    from crawler.discovery.probe import ProbeError, probe_site
    from foundation.profile import Profile
    from parkwatch.options import url_problem

    config = settings()
    address = url if "://" in url else f"https://{url}"
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or url_problem(address):
        why = url_problem(address) or "not an http(s) address"
        raise UserError(f"not a site address: {url!r}: {why} (expected e.g. "
                        "https://www.example.cn)")
    base = f"{parts.scheme}://{parts.netloc}"
    path = _config_path(config)
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() \
            else tomlkit.document()
    except (OSError, tomlkit.exceptions.ParseError) as exc:
        raise UserError(f"cannot read config file {path}: {exc}") from None
    existing = document.get("sources", {})
    if name in existing and not force:
        raise UserError(f"{path} already has [sources.{name}] (use --force to replace it)")
    fetcher = _fetcher(config, pause)
    try:
        found = probe_site(base, fetcher)
    except ProbeError as exc:
        raise UserError(f"cannot probe {base}: {exc}") from None
    profile = Profile(name=name, base_url=base, language=language or "en")
    read = []
    for article in found.articles[:3]:
        answer = fetcher.get(article)
        if answer is not None and answer.status == 200:
            read.append(read_page(answer.body, article, profile, answer.content_type))
    good = [r for r in read if r.ok]
    detected = language or next((r.language for r in good if r.language), None) or "en"
    table = tomlkit.table()
    table.add("base_url", base)
    table.add("language", detected)
    rel = lambda u: urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "")  # noqa: E731
    if found.sitemaps:
        table.add("sitemaps", [rel(u) for u in found.sitemaps])
    if found.feeds:
        table.add("feeds", [rel(u) for u in found.feeds])
    if found.listings:
        table.add("start_pages", [rel(u) for u in found.listings])
    if "sources" not in document:
        document.add("sources", tomlkit.table(is_super_table=True))
    document["sources"][name] = table
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    out.print(f"probed {base} in {fetcher.count} requests")
    out.print(f"  sitemaps: {', '.join(found.sitemaps) or '-'}")
    out.print(f"  feeds: {', '.join(found.feeds) or '-'}")
    for listing in found.listings:
        pager = found.pagers.get(listing)
        out.print(f"  listing: {listing}" + (f" (next page {pager})" if pager else ""))
    out.print(f"  article URLs found: {len(found.articles)}; read {len(good)} of {len(read)}"
              + (f" (e.g. {good[0].published} · {good[0].title})" if good else ""))
    for line in found.missing:
        out.print(f"  could not find: {line}", markup=False)
    for r in read:
        if not r.ok:
            out.print(f"  could not read {r.url}: {r.reason}")
    out.print(f"wrote [sources.{name}] to {path}; next: parkwatch sources check {name}",
              markup=False)
    if not found.articles:
        raise UserError(f"no recognisable article on {base}: the table was written, but a "
                        "crawl would find nothing (add start_pages or article_pattern)")


@sources_app.command("check")
def sources_check(
    name: Annotated[str, typer.Argument(help="A configured source.")],
    pages: Annotated[int, typer.Option("--pages", min=1, max=200,
                                       help="Recent article pages to read.")] = 5,
    pause: Pause = 1.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="One line per page.")
                       ] = False,
) -> None:
    """Read N recent article pages as a crawl would and print per-field coverage."""
    from crawler.discovery.check import check_source
    from crawler.discovery.probe import ProbeError
    config = settings()
    profile = config.source(name)
    try:
        report = check_source(profile, _fetcher(config, pause), pages)
    except ProbeError as exc:
        raise UserError(f"cannot check {name}: {exc}") from None
    if not report.articles:
        reasons = "; ".join(sorted({p.reason for p in report.pages})) or "no article URL found"
        raise UserError(f"{name}: no recognisable articles at {profile.base_url} ({reasons})")
    table = Table("field", "coverage")
    for field_name, value in report.coverage().items():
        table.add_row(field_name, value)
    out.print(table)
    if verbose:
        for p in report.pages:
            out.print(f"{'ok ' if p.ok else 'no '} {p.url}  {p.published or '-'} "
                      f"({p.date_source or p.reason})  {p.body_chars} chars  {p.title[:60]}")
    out.print(f"{name}: {len(report.articles)} of {len(report.pages)} pages read as articles "
              f"({report.requests} requests)")
