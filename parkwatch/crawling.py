"""A one-off crawl from the command line: this process runs it, rich shows its progress."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.live import Live
from rich.text import Text

from crawler.config import Settings
from crawler.run import RunResult, parse_overrides, run_crawl


def _line(source: str, counts: dict[str, int]) -> Text:
    return Text.assemble(
        ("crawling ", "dim"), (source, "bold"),
        f"  pages {counts.get('pages', 0)}  new {counts.get('new', 0)}"
        f"  updated {counts.get('updated', 0)}  unchanged {counts.get('unchanged', 0)}"
        f"  skipped {counts.get('skipped', 0)}  errors {counts.get('errors', 0)}",
    )


def crawl_now(config: Settings, source: str, settings: list[str], *,
              max_articles: int | None = None, since: date | None = None, full: bool = False,
              refresh: bool = False, quiet: bool = False,
              console: Console | None = None) -> RunResult:
    """Validate, then crawl `source` in this process; ConfigError/StorageError on bad input."""
    overrides = parse_overrides(settings)
    profile = config.source(source)
    overrides.setdefault("LOG_LEVEL", "WARNING")
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        return run_crawl(config, source, overrides=overrides, max_articles=max_articles,
                         since=since, full=full, refresh=refresh, profile=profile)
    with Live(_line(source, {}), console=console, refresh_per_second=8,
              transient=True) as live:
        return run_crawl(config, source, overrides=overrides, max_articles=max_articles,
                         since=since, full=full, refresh=refresh, profile=profile,
                         on_progress=lambda counts: live.update(_line(source, counts)))
