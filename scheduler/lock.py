"""One `parkwatch serve` per database: APScheduler's job store must never have two schedulers.

SQLite: an exclusive flock on `<database>.serve.lock` next to the file. PostgreSQL: a session
advisory lock held on a dedicated connection. Both vanish with the process, even after kill -9.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from archive.db import normalise_url

ADVISORY_KEY = 0x7061726B77  # "parkw"


class ServiceRunning(Exception):
    """Another service already runs on this database; the message is one line."""


class ServiceLock:
    """Held from acquire() until release() or the process ends."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self._file: IO[str] | None = None
        self._conn: Connection | None = None

    def acquire(self) -> ServiceLock:
        parsed = make_url(self.url)
        backend = parsed.get_backend_name()
        if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
            self._lock_file(Path(parsed.database).expanduser())
        elif backend == "postgresql":
            self._lock_advisory()
        return self

    def _lock_file(self, database: Path) -> None:
        path = database.with_name(database.name + ".serve.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the service's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip() or "?"
            handle.close()
            raise ServiceRunning(f"another parkwatch serve (pid {pid}) already runs on "
                                 f"{database}; stop it first") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def _lock_advisory(self) -> None:
        engine = create_engine(self.url, poolclass=NullPool)
        conn = engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
        conn.commit()
        if not got:
            conn.close()
            shown = make_url(self.url).render_as_string(hide_password=True)
            raise ServiceRunning(f"another parkwatch serve already runs on {shown}; "
                                 "stop it first")
        self._conn = conn

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
