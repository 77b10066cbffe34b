"""Engines, sessions and migrations for any SQLAlchemy URL (SQLite by default, PostgreSQL)."""

from __future__ import annotations

import os
import re
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
SUPPORTED = "sqlite:///PATH or postgresql://USER@HOST/DB (psycopg)"

# user:password@ in any URL-shaped text, parsable or not; password=... in a DSN or query string.
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][\w+.-]*://[^\s:/@'\"]*:)[^\s'\"]*@")
_KV_PASSWORD = re.compile(r"(?i)(?P<head>\bpassword\s*=\s*)[^\s&;'\"]+")


class StorageError(Exception):
    """The archive cannot be reached or used; the message is one line a user can act on."""


def mask_url(url: str) -> str:
    """The URL with its password shown as ***, even when the URL does not parse."""
    return redact(url)


def redact(text: str, *secrets: str | None) -> str:
    """`text` with every URL password, `password=` value and literal secret replaced by ***."""
    if "@" in text:
        text = _URL_PASSWORD.sub(lambda m: m.group("head") + "***@", text)
    if "=" in text:
        text = _KV_PASSWORD.sub(lambda m: m.group("head") + "***", text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def url_password(url: str) -> str | None:
    """The password in a database URL (to scrub it from text), None when there is none."""
    try:
        return make_url(normalise_url(url)).password  # type: ignore[return-value]
    except (ArgumentError, ValueError):
        m = re.search(r"://[^\s:/@]*:([^\s]*)@", url)
        return m.group(1) if m else None


def _describe(url: str, exc: BaseException) -> str:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    message = f"database {mask_url(url)}: {detail[0] if detail else type(exc).__name__}"
    return redact(message, url_password(url))


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other backends and in-memory databases)."""
    try:
        parsed = make_url(normalise_url(url))
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or \
            parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database).expanduser()


def _read_only(path: Path) -> bool:
    """An existing file this process cannot write, or in a folder it cannot write (a read-only
    copy, a read-only mount): SQLite could open it only read-only."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _damaged(url: str, exc: BaseException) -> StorageError | None:
    """A corrupted SQLite file as one line naming the file and the way out."""
    detail = str(getattr(exc, "orig", None) or exc)
    if "malformed" not in detail and "not a database" not in detail:
        return None
    path = sqlite_path(url)
    name = str(path) if path else mask_url(url)
    return StorageError(f"the archive {name} is damaged ({detail.splitlines()[0].strip()}); "
                        f"recover what it holds with: sqlite3 {name} .recover | sqlite3 NEW.db")


def storage_error(exc: BaseException, url: str | None = None) -> StorageError:
    """Any database exception as a one-line StorageError with no secret in it."""
    if url is None and len(_ENGINES) == 1:
        url = next(iter(_ENGINES))
    if url is not None and (damaged := _damaged(url, exc)):
        return damaged
    if url is None:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return StorageError(redact(f"database error: {detail[0] if detail else exc!r}"))
    return StorageError(_describe(url, exc))


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


def _sqlite_read_only_pragmas(dbapi_connection, _record) -> None:
    from archive.search_syntax import register_sqlite_functions

    register_sqlite_functions(dbapi_connection)  # search snippets read the FTS5 view (0007)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


_ENGINES: dict[str, Engine] = {}
_READ_ONLY: set[int] = set()  # id() of engines opened read-only


def _parse(url: str):
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        if "://" not in url:  # not URL-shaped: nothing of it is shown (it may be a secret)
            raise StorageError(f"invalid database URL: expected {SUPPORTED}") from None
        detail = redact(str(exc), url_password(url))
        raise StorageError(f"invalid database URL {mask_url(url)}: {detail}; expected "
                           f"{SUPPORTED}") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StorageError(f"unsupported database URL {mask_url(url)}: parkwatch supports "
                           f"sqlite and postgresql ({SUPPORTED})")
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() not in (
            "psycopg", "postgresql"):
        raise StorageError(f"unsupported database driver in {mask_url(url)}: use "
                           "postgresql:// or postgresql+psycopg:// (psycopg 3)")
    return parsed


def get_engine(url: str) -> Engine:
    """One engine per URL per process; SQLite files get WAL and a busy timeout, and open
    read-only (immutable) when the file or its folder cannot be written."""
    url = normalise_url(url)
    if url in _ENGINES:
        return _ENGINES[url]
    parsed = _parse(url)
    try:
        path = sqlite_path(url)
        if path is not None and _read_only(path):
            # immutable: no -wal/-shm files are created, nothing is locked or written.
            uri = f"file:{path.resolve()}?mode=ro&immutable=1"
            engine = create_engine("sqlite://", creator=_sqlite_uri_creator(uri))
            event.listen(engine, "connect", _sqlite_read_only_pragmas)
            _READ_ONLY.add(id(engine))
        elif parsed.get_backend_name() == "sqlite":
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, connect_args=_connect_args(parsed))
    except (ArgumentError, NoSuchModuleError, ValueError, OSError) as exc:
        detail = redact(str(exc), url_password(url))
        raise StorageError(f"invalid database URL {mask_url(url)}: {detail}") from None
    _ENGINES[url] = engine
    return engine


def _sqlite_uri_creator(uri: str):
    import sqlite3

    def connect():
        return sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)

    return connect


def is_read_only(engine: Engine) -> bool:
    return id(engine) in _READ_ONLY


def url_of(engine: Engine) -> str:
    """The URL an engine was made for (with its password: never print it unmasked)."""
    for url, known in _ENGINES.items():
        if known is engine:
            return url
    return engine.url.render_as_string(hide_password=False)


def open_archive(url: str) -> Engine:
    """For commands that read: the archive must exist (never created here); then as
    ensure_schema. StorageError with one line when there is no archive at `url`."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise StorageError(
            f"no archive at {path}: check PARKWATCH_DATABASE_URL / database_url, or create "
            "it with `parkwatch crawl` or `parkwatch db upgrade`")
    return ensure_schema(url)


def _connect_args(parsed) -> dict:
    if parsed.get_backend_name() == "postgresql":
        return {"connect_timeout": 10}
    return {}


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        url = url_of(engine)
        raise _damaged(url, exc) or StorageError(f"cannot connect to {_describe(url, exc)}") \
            from None


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("archive") / "migrations"))
    cfg.attributes["database_url"] = normalise_url(url)
    return cfg


_MIGRATION_LOCK_KEY = 7_274_913  # pg_advisory_xact_lock key of schema upgrades


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One schema upgrade at a time across processes: a crawl, the service's children and a
    `db upgrade` may all find an old archive at once (each would add the same columns).
    SQLite: an flock on FILE.migrate-lock beside the database; PostgreSQL: an advisory lock
    taken inside the upgrade's transaction."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    try:
        handle = open(f"{Path(path).expanduser()}.migrate-lock", "a")  # noqa: SIM115
    except OSError:  # a directory we may not write to: nothing else can migrate there either
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database to the newest schema (idempotent)."""
    _migrate(url, "upgrade", revision)


def downgrade(url: str, revision: str) -> None:
    """Take the database's schema back to `revision` (tests of the migrations)."""
    _AT_HEAD.discard(normalise_url(url))
    _migrate(url, "downgrade", revision)


def _migrate(url: str, direction: str, revision: str) -> None:
    from alembic import command

    engine = get_engine(url)
    check_connection(engine)
    cfg = alembic_config(url)
    try:
        with _migration_lock(engine), engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # concurrent upgraders wait for the first
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})")
            cfg.attributes["connection"] = conn
            getattr(command, direction)(cfg, revision)
    except (DBAPIError, SQLAlchemyError) as exc:
        raise _damaged(url, exc) or StorageError(f"cannot migrate {_describe(url, exc)}") \
            from None


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*=\s*(?:["']([^"']+)["']|None)\s*$""", re.M)


@lru_cache(maxsize=1)
def newest_revision() -> str | None:
    """head_revision() without alembic: the revision no migration names as its down_revision,
    read from the migration files' own `revision = "…"` / `down_revision = "…"` lines.
    Importing alembic and loading its scripts cost every command ~0.3 s just to learn that
    the archive is up to date; alembic still does every upgrade. None if the files do not
    make one line of history."""
    revisions, parents = set(), set()
    for path in (resources.files("archive") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py") or path.name.startswith("_"):
            continue
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    """The archive's revision as alembic records it (alembic_version), without alembic."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
        return ",".join(sorted(versions)) or None


_AT_HEAD: set[str] = set()  # databases this process has seen at the newest schema


def ensure_schema(url: str) -> Engine:
    """Connect, upgrade the schema if it is behind, and return the engine. Checked once per
    database and process: a crawl's run bookkeeping and pipeline stages all call it."""
    engine = get_engine(url)
    if normalise_url(url) in _AT_HEAD:
        return engine
    check_connection(engine)
    try:
        newest = newest_revision() or head_revision()
        behind = _stored_revision(engine) != newest
    except (DBAPIError, SQLAlchemyError) as exc:
        raise _damaged(url, exc) or StorageError(f"cannot read {_describe(url, exc)}") \
            from None
    if behind and is_read_only(engine):
        raise StorageError(f"the archive {mask_url(url)} is read-only and its schema is older "
                           "than this parkwatch: run `parkwatch db upgrade` on a writable copy")
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
    _READ_ONLY.clear()
    _AT_HEAD.clear()
    _sessionmaker.cache_clear()
