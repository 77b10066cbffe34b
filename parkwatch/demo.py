"""`parkwatch demo`: serve the bundled sample sites on 127.0.0.1 (e-my399, a TRS government
portal and a WordPress portal) and crawl each through exactly the code path used for real sites
(only the base URLs point at the local servers; the two new sites are given by address)."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console
from rich.table import Table

from archive.db import dispose_all, session_scope
from archive.filters import ArticleFilter
from archive.queries import list_articles, source_names
from crawler.run import run_crawl
from foundation.settings import ConfigError, load_settings
from parkwatch.cli_metrics import human
from parkwatch.samplesite import SiteServer, build_site, load_records
from parkwatch.samplesite.render import VARIANTS
from parkwatch.samplesite.sites import SITES

MARKER = ".parkwatch-demo"  # written into a home the demo made; only then is it reused
DEMO_FILES = ("parkwatch.db", "parkwatch.db-wal", "parkwatch.db-shm", "parkwatch.db-journal",
              "demo-sources.toml", "parkwatch.toml")
CONFIG_FILE = "parkwatch.toml"  # the demo's three sources at their local addresses, found by
# every command run with PARKWATCH_HOME set to the demo's folder
NEW_SITES = ("binbei-kfq", "riverside-times")  # crawled by address in child processes


def prepare_home(home: Path) -> None:
    """An empty or new folder, or one an earlier demo made (only its own files are removed);
    ConfigError for any other folder: the demo never deletes what it did not create."""
    if home.exists() and not home.is_dir():
        raise ConfigError(f"--home {home} is a file, not a folder")
    if home.is_dir() and any(home.iterdir()):
        ours = {MARKER, *DEMO_FILES}
        if not (home / MARKER).is_file() and not all(p.name in ours for p in home.iterdir()):
            raise ConfigError(f"--home {home} is not empty and was not made by `parkwatch "
                              "demo`: choose an empty or new folder (nothing was changed)")
        for name in DEMO_FILES:
            (home / name).unlink(missing_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    (home / MARKER).write_text("made by `parkwatch demo`; it may delete parkwatch.db here\n")


DEMO_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                 "LOG_LEVEL": "WARNING"}


def _source_table(name: str, base_url: str) -> str:
    """`[sources.NAME]` for a fixture site: its address and language, nothing else."""
    return f"[sources.{name}]\nbase_url = '{base_url}'\nlanguage = '{SITES[name].language}'\n"


def _crawl_child(name: str, config_file: Path, database_url: str) -> str:
    """One crawl in its own process (a Twisted reactor runs once per process)."""
    env = {**os.environ, "PARKWATCH_CONFIG": str(config_file),
           "PARKWATCH_DATABASE_URL": database_url, "PARKWATCH_HOME": str(config_file.parent)}
    args = [sys.executable, "-m", "parkwatch", "crawl", "--source", name]
    for key, value in DEMO_SETTINGS.items():
        args += ["-s", f"{key}={value}"]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    return lines[-1] if lines else f"exit {proc.returncode}"


def run_demo(variant: str = "classic", home: Path | None = None,
             console: Console | None = None) -> int:
    console = console or Console()
    if variant not in VARIANTS:  # checked before anything is deleted
        raise ConfigError(f"--variant {variant}: the sample site's markup is one of "
                          f"{', '.join(VARIANTS)} (nothing was changed)")
    home = (home or Path.cwd() / "demo-data").resolve()
    prepare_home(home)
    database_url = f"sqlite:///{home / 'parkwatch.db'}"
    config = load_settings().model_copy(update={"database_url": database_url, "home": home})
    records = load_records()
    with ExitStack() as stack:
        servers = {name: stack.enter_context(SiteServer()) for name in NEW_SITES}
        for name, other in servers.items():
            other.pages.update(SITES[name].pages(base_url=other.url))
        server = stack.enter_context(SiteServer(build_site(records, variant=variant)))
        config_file = home / CONFIG_FILE
        config_file.write_text(
            "# Written by `parkwatch demo`: its sample sites, at the addresses it served them.\n"
            + _source_table("e-my399", server.url)
            + "".join(_source_table(n, s.url) for n, s in servers.items()), encoding="utf-8")
        profile = config.source("e-my399").model_copy(update={"base_url": server.url})
        console.print(f"Serving the sample site ({len(records)} articles, {variant} markup) at "
                      f"{server.url}; crawling it as source e-my399 …")
        result = run_crawl(config, "e-my399", profile=profile, overrides=DEMO_SETTINGS)
        for name, other in servers.items():
            console.print(f"Serving {name} ({len(SITES[name].load())} articles) at {other.url}; "
                          f"crawling it by its address …")
            console.print(f"  {_crawl_child(name, config_file, database_url)}", markup=False)
    with session_scope(database_url) as session:
        rows = list_articles(session, ArticleFilter(with_duplicates=True), limit=1000)
        names = source_names(session)
        table = Table(title="Stored articles (newest first)")
        for name, width in (("id", 3), ("site", 8), ("published", 10), ("from", 7),
                            ("URL date", 10), ("section", 12), ("facts", 5), ("parks", 5)):
            table.add_column(name, no_wrap=True, min_width=width, overflow="ellipsis")
        table.add_column("title", no_wrap=True, overflow="ellipsis",
                         max_width=max(20, console.width - 95))
        for a in rows:
            park = "yes" if "industrial-parks" in (a.topics or []) else ""
            dup = f" (near-duplicate of {a.duplicate_of})" if a.duplicate_of else ""
            table.add_row(str(a.id), names.get(a.source_id, "-"), str(a.published),
                          a.published_source or "-", str(a.url_date), a.section or "-",
                          str(len(a.facts)), park, a.title + dup)
        console.print(table)
        parks = [a for a in rows if "industrial-parks" in (a.topics or [])]
        example = max(parks, key=lambda a: len(a.facts), default=None)
        if example is not None:
            facts = Table("value", "unit", "kind", "qualifier", "period", "metric",
                          title=f"Facts of article {example.id}: {example.title}")
            for f in example.facts[:8]:
                facts.add_row(human(f.value), f.unit, f.kind, f.qualifier, f.period or "-",
                              f.metric or "-")
            console.print(facts)
    dispose_all()
    c = result.counts
    console.print(f"run {result.run_id}: {result.status} — {c['pages']} pages, {c['new']} new, "
                  f"{c['duplicates']} near-duplicate(s), {c['skipped']} skipped, "
                  f"{c['errors']} errors; {len(rows)} articles stored, {len(parks)} about "
                  "industrial parks.")
    console.print(f"Explore it (the archive and its three sources, {home / CONFIG_FILE}): "
                  f"export PARKWATCH_HOME={home}; parkwatch status; parkwatch articles list",
                  markup=False)
    return 0 if result.status == "succeeded" else 1
