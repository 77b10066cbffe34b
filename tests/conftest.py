"""Shared fixtures: fixture sites on a real local server, real databases, the CLI in a child."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REQUIRE = os.environ.get("PARKWATCH_REQUIRE_SERVICES") == "1"
POSTGRES_ADMIN_URL = os.environ.get(
    "PARKWATCH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("PARKWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def unavailable(what: str, why: str) -> None:
    """Skip with a reason, or fail when CI requires the service."""
    message = f"{what} unavailable: {why}"
    if REQUIRE:
        pytest.fail(message + " (PARKWATCH_REQUIRE_SERVICES=1)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "gold" / "seed-metrics.json").is_file():
        unavailable("../shared (seed and gold)", f"{SHARED} not found (a user's clone)")
    return SHARED


def _admin_connect():
    import psycopg

    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the machine's server, dropped afterwards."""
    try:
        admin = _admin_connect()
    except Exception as exc:  # psycopg.OperationalError and friends
        unavailable("PostgreSQL", str(exc).splitlines()[0])
    name = f"parkwatch_t_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield url
    finally:
        from archive.db import dispose_all

        dispose_all()
        with _admin_connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        unavailable("Redis", str(exc).splitlines()[0])
    return REDIS_URL


class Workspace:
    """A config file + database for driving the real `parkwatch` command in a child process."""

    def __init__(self, root: Path, database_url: str) -> None:
        self.root, self.database_url = root, database_url
        self.config = root / "parkwatch.toml"
        self.config.write_text("")

    def point(self, base_url: str, extra: str = "") -> None:
        self.config.write_text(f'[sources.e-my399]\nbase_url = "{base_url}"\n{extra}')

    def env(self, **more: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
        env.update(PARKWATCH_CONFIG=str(self.config), PARKWATCH_DATABASE_URL=self.database_url,
                   PARKWATCH_HOME=str(self.root), NO_COLOR="1", COLUMNS="200", **more)
        return env

    def run(self, *args: str, timeout: float = 120, check: bool = False,
            **env: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "parkwatch", *args], cwd=self.root, env=self.env(**env),
            capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"parkwatch {' '.join(args)} exited {proc.returncode}:\n"
                                 f"{proc.stdout}\n{proc.stderr}")
        return proc

    def crawl(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return self.run("crawl", "--source", "e-my399", "-s", "DOWNLOAD_DELAY=0",
                        "-s", "AUTOTHROTTLE_ENABLED=False", *args, timeout=timeout, check=True)

    def articles(self, *args: str) -> list[dict]:
        import json

        proc = self.run("articles", "list", "--json", "--limit", "100000",
                        "--with-duplicates", *args, check=True)
        return json.loads(proc.stdout)


@pytest.fixture
def workspace(tmp_path: Path, sqlite_url: str) -> Workspace:
    return Workspace(tmp_path, sqlite_url)


@pytest.fixture
def site():
    """The sample site (classic markup) on a local server, absolute links included."""
    from tests.support.sites import serve

    server = serve("classic")
    try:
        yield server
    finally:
        server.stop()
