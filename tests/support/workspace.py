"""A config file + database for driving the real `parkwatch` command in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


class Workspace:
    """A config file + database for driving the real `parkwatch` command in a child process."""

    #: PARKWATCH_PARSE_WORKERS of the commands run: "0" (pages parsed in the crawl's own
    #: process) unless a test sets it. Starting a crawl's parse workers costs more CPU than a
    #: fixture site's few pages; the tests that crawl through them (sample site, kills,
    #: service stop, distributed workers, demo) set "" (the default: two workers here).
    parse_workers = "0"

    def __init__(self, root: Path, database_url: str) -> None:
        self.root, self.database_url = root, database_url
        self.config = root / "parkwatch.toml"
        self.config.write_text("")

    def point(self, base_url: str, extra: str = "") -> None:
        self.config.write_text(f'[sources.e-my399]\nbase_url = "{base_url}"\n{extra}')

    def env(self, **more: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
        env.update(PARKWATCH_CONFIG=str(self.config), PARKWATCH_DATABASE_URL=self.database_url,
                   PARKWATCH_HOME=str(self.root), NO_COLOR="1", COLUMNS="200")
        if self.parse_workers:
            env["PARKWATCH_PARSE_WORKERS"] = self.parse_workers
        env.update(more)
        return env

    def run(self, *args: str, timeout: float = 120, check: bool = False,
            input_text: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "parkwatch", *args], cwd=self.root, env=self.env(**env),
            capture_output=True, text=True, timeout=timeout, input=input_text,
            stdin=None if input_text is not None else subprocess.DEVNULL)
        if check and proc.returncode != 0:
            raise AssertionError(f"parkwatch {' '.join(args)} exited {proc.returncode}:\n"
                                 f"{proc.stdout}\n{proc.stderr}")
        return proc

    def crawl(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return self.run("crawl", "--source", "e-my399", "-s", "DOWNLOAD_DELAY=0",
                        "-s", "AUTOTHROTTLE_ENABLED=False", *args, timeout=timeout, check=True)

    def articles(self, *args: str) -> list[dict]:
        proc = self.run("articles", "list", "--json", "--limit", "100000",
                        "--with-duplicates", *args, check=True)
        return json.loads(proc.stdout)
