"""`parkwatch demo`: serve the bundled sample site on 127.0.0.1 and crawl it through exactly the
code path used for the real site (only the profile's base URL points at the local server)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from archive.db import dispose_all, session_scope
from archive.queries import ArticleFilter, list_articles
from crawler.config import ConfigError, load_settings
from crawler.run import run_crawl
from parkwatch.cli_metrics import human
from parkwatch.samplesite import SiteServer, build_site, load_records

MARKER = ".parkwatch-demo"  # written into a home the demo made; only then is it reused
DEMO_FILES = ("parkwatch.db", "parkwatch.db-wal", "parkwatch.db-shm", "parkwatch.db-journal")


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


def run_demo(variant: str = "classic", home: Path | None = None,
             console: Console | None = None) -> int:
    console = console or Console()
    home = (home or Path.cwd() / "demo-data").resolve()
    prepare_home(home)
    database_url = f"sqlite:///{home / 'parkwatch.db'}"
    config = load_settings().model_copy(update={"database_url": database_url, "home": home})
    records = load_records()
    with SiteServer(build_site(records, variant=variant)) as server:
        profile = config.source("e-my399").model_copy(update={"base_url": server.url})
        console.print(f"Serving the sample site ({len(records)} articles, {variant} markup) at "
                      f"{server.url}; crawling it as source e-my399 …")
        result = run_crawl(config, "e-my399", profile=profile, overrides=DEMO_SETTINGS)
    with session_scope(database_url) as session:
        rows = list_articles(session, ArticleFilter(with_duplicates=True), limit=1000)
        table = Table(title="Stored articles (newest first)")
        for name, width in (("id", 3), ("published", 10), ("URL date", 10), ("section", 12),
                            ("facts", 5), ("parks", 5)):
            table.add_column(name, no_wrap=True, min_width=width, overflow="ellipsis")
        table.add_column("title", no_wrap=True, overflow="ellipsis",
                         max_width=max(20, console.width - 75))
        for a in rows:
            park = "yes" if "industrial-parks" in (a.topics or []) else ""
            dup = f" (near-duplicate of {a.duplicate_of})" if a.duplicate_of else ""
            table.add_row(str(a.id), str(a.published), str(a.url_date), a.section or "-",
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
    console.print(f"Explore it: PARKWATCH_DATABASE_URL={database_url} parkwatch articles list")
    return 0 if result.status == "succeeded" else 1
