"""Shared fixtures: fixture sites on a real local server, real databases, the CLI in a child."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.workspace import Workspace

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
        # Data beside the repository, not a service: a clone without it skips, in CI too.
        pytest.skip(f"../shared (seed and gold) not found at {SHARED} (a clone without it)")
    return SHARED


def _admin_connect():
    import psycopg

    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)


@contextmanager
def _postgres_database() -> Iterator[str]:
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
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the machine's server, dropped afterwards."""
    with _postgres_database() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request, tmp_path_factory) -> Iterator[str]:
    """One database per test module and backend, for tests that only read what the module's
    fixture wrote once (a test that writes takes `db_url`)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('module') / 'archive.db'}"
        return
    with _postgres_database() as url:
        yield url


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


@pytest.fixture
def workspace(request, tmp_path: Path, sqlite_url: str) -> Workspace:
    workspace = Workspace(tmp_path, sqlite_url)
    if request.node.get_closest_marker("parse_workers"):
        workspace.parse_workers = ""  # as a user's crawl: two parse workers
    return workspace


@pytest.fixture
def site():
    """The sample site (classic markup) on a local server, absolute links included."""
    from tests.support.sites import serve

    server = serve("classic")
    try:
        yield server
    finally:
        server.stop()
