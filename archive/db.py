"""Engines, sessions and migrations for any SQLAlchemy URL (SQLite by default, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


class StorageError(Exception):
    """The archive cannot be reached or used; the message is one line a user can act on."""


def _describe(url: str, exc: BaseException) -> str:
    shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"database {shown}: {detail[0] if detail else type(exc).__name__}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    from archive.search_syntax import register_sqlite_functions

    register_sqlite_functions(dbapi_connection)  # the full-text triggers call it (0007)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str) -> Engine:
    """One engine per URL per process; SQLite files get WAL and a busy timeout."""
    url = normalise_url(url)
    if url in _ENGINES:
        return _ENGINES[url]
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, connect_args=_connect_args(parsed))
    except (ArgumentError, NoSuchModuleError, ValueError, OSError) as exc:
        raise StorageError(f"invalid database URL {url!r}: {exc}") from None
    _ENGINES[url] = engine
    return engine


def _connect_args(parsed) -> dict:
    if parsed.get_backend_name() == "postgresql":
        return {"connect_timeout": 10}
    return {}


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise StorageError(f"cannot connect to {_describe(str(engine.url), exc)}") from None


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("archive") / "migrations"))
    cfg.attributes["database_url"] = normalise_url(url)
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database to the newest schema (idempotent)."""
    from alembic import command

    engine = get_engine(url)
    check_connection(engine)
    cfg = alembic_config(url)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except (DBAPIError, SQLAlchemyError) as exc:
        raise StorageError(f"cannot migrate {_describe(url, exc)}") from None


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


_AT_HEAD: set[str] = set()  # databases this process has seen at the newest schema


def ensure_schema(url: str) -> Engine:
    """Connect, upgrade the schema if it is behind, and return the engine. Checked once per
    database and process: a crawl's run bookkeeping and pipeline stages all call it."""
    engine = get_engine(url)
    if normalise_url(url) in _AT_HEAD:
        return engine
    check_connection(engine)
    try:
        behind = current_revision(url) != head_revision()
    except (DBAPIError, SQLAlchemyError) as exc:
        raise StorageError(f"cannot read {_describe(url, exc)}") from None
    if behind:
        upgrade(url)
    _AT_HEAD.add(normalise_url(url))
    return engine


@lru_cache(maxsize=8)
def _sessionmaker(url: str) -> sessionmaker[Session]:
    return sessionmaker(get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str, write: bool = False) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error.

    `write=True` for transactions that write: on SQLite they start with BEGIN IMMEDIATE, so
    the write lock is taken (waiting up to the busy timeout) before anything is read. A
    deferred transaction that reads, then writes after another process committed, fails at
    once with "database is locked" (its WAL snapshot is stale) — two concurrent crawls hit
    that. Readers stay deferred and never block writers.
    """
    session = _sessionmaker(url)()
    try:
        if write and session.get_bind().dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose_all() -> None:
    """Drop pooled connections (after fork, before exit)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    _AT_HEAD.clear()
    _sessionmaker.cache_clear()
