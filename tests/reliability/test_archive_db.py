"""archive/db.py as a new user meets it: archives that do not exist, read-only copies, damaged
files, unsupported and mistyped URLs — one line each, no password in it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from archive.db import mask_url, redact

CANARY = "CANARY-PW-7d1f"


def test_mask_url_hides_the_password_even_when_the_url_does_not_parse() -> None:
    for url in (f"postgresql+psycopg://postgres:{CANARY}@127.0.0.1:54x2/db",
                f"postgresql://u:{CANARY}@h/db", f"mysql://root:{CANARY}@h/x",
                f"postgresql://h/db?password={CANARY}&sslmode=off"):
        assert CANARY not in mask_url(url), url
    assert mask_url("sqlite:///tmp/a.db") == "sqlite:///tmp/a.db"
    assert redact(f"token {CANARY}x in text", f"{CANARY}x") == "token *** in text"


@pytest.mark.parametrize("command", [
    ["articles", "list"], ["articles", "show", "1"], ["search", "zone"], ["metrics", "list"],
    ["status"], ["runs"], ["export", "--format", "jsonl", "--output", "-"],
])
def test_read_commands_on_a_missing_archive_say_so_and_create_nothing(tmp_path,
                                                                      command) -> None:
    from tests.support.workspace import Workspace

    missing = tmp_path / "typo" / "archive.db"
    workspace = Workspace(tmp_path, f"sqlite:///{missing}")
    proc = workspace.run(*command)
    if proc.returncode == 2 and "Usage" in proc.stderr:  # a command shaped otherwise here
        pytest.skip(f"{command}: {proc.stderr.splitlines()[-1]}")
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"no archive at {missing}" in lines[0], proc.stderr
    assert not missing.exists() and not missing.parent.exists()


def _archive(tmp_path: Path) -> Path:
    from tests.support.workspace import Workspace

    path = tmp_path / "made" / "archive.db"
    Workspace(tmp_path, f"sqlite:///{path}").run("db", "upgrade", check=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def copy_into_read_only(original, folder) -> None:
    """`original` copied as `archive.db` into the read_only_dir folder, which stays read-only."""
    if os.geteuid() == 0:  # put the copy under the mount: remount read-write briefly
        subprocess.run(["umount", str(folder)], check=True)
        shutil.copy(original, folder / "archive.db")
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
    else:
        folder.chmod(0o755)
        shutil.copy(original, folder / "archive.db")
        folder.chmod(0o555)


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder on a read-only mount (root writes any file, but not on a read-only mount)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount a folder read-only: {mounted.stderr.strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True,
                       capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_read_only_copy_opens_read_only(tmp_path, read_only_dir) -> None:
    from tests.support.workspace import Workspace

    original = _archive(tmp_path)
    copy_into_read_only(original, read_only_dir)
    assert not os.access(read_only_dir, os.W_OK)
    workspace = Workspace(tmp_path, f"sqlite:///{read_only_dir / 'archive.db'}")
    for command in (["articles", "list", "--json"], ["runs", "--json"], ["status", "--json"]):
        proc = workspace.run(*command)
        assert proc.returncode == 0, (command, proc.stderr)
    assert workspace.run("articles", "list", "--json").stdout.strip() == "[]"
    from fastapi.testclient import TestClient

    from archive.db import dispose_all
    from foundation.settings import Settings
    from parkwatch.api import create_app

    app = create_app(Settings(database_url=workspace.database_url, home=tmp_path))
    with TestClient(app) as client:  # the API reads the same copy
        answer = client.get("/articles")
        assert answer.status_code == 200 and answer.json()["items"] == [], answer.text
    dispose_all()
    assert sorted(p.name for p in read_only_dir.iterdir()) == ["archive.db"]  # no -wal/-shm


def test_a_damaged_archive_is_one_line_naming_the_file_and_recover(tmp_path) -> None:
    from tests.support.workspace import Workspace

    path = _archive(tmp_path)
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of the schema's b-tree is garbage
    path.write_bytes(bytes(data))
    proc = Workspace(tmp_path, f"sqlite:///{path}").run("articles", "list")
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0 and len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and f"sqlite3 {path} .recover" in lines[0]
    assert "Traceback" not in proc.stderr and "[SQL" not in proc.stderr


def test_a_file_that_is_not_a_database(tmp_path) -> None:
    from tests.support.workspace import Workspace

    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not an archive\n" * 200)
    proc = Workspace(tmp_path, f"sqlite:///{path}").run("articles", "list")
    assert proc.returncode != 0 and ".recover" in proc.stderr and str(path) in proc.stderr
    assert path.read_text().startswith("these are my notes")


@pytest.mark.parametrize(("url", "expect"), [
    (f"postgresql+psycopg://postgres:{CANARY}@127.0.0.1:54x2/test", "invalid database URL"),
    (f"mysql://root:{CANARY}@127.0.0.1/parkwatch", "supports sqlite and postgresql"),
    (f"postgresql+asyncpg://postgres:{CANARY}@127.0.0.1/test", "unsupported database driver"),
    (f"postgresql://postgres:{CANARY}@127.0.0.1:1/test", "cannot connect"),
    (f"not a url {CANARY}", "invalid database URL"),
])
def test_bad_database_urls_are_one_line_without_the_password(tmp_path, url, expect) -> None:
    from tests.support.workspace import Workspace

    workspace = Workspace(tmp_path, url)
    for command in (["articles", "list"], ["db", "upgrade"], ["crawl", "--max-articles", "1"],
                    ["status"]):
        proc = workspace.run(*command, timeout=60)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode != 0 and len(lines) == 1, (command, proc.stderr)
        assert expect in lines[0], (command, lines[0])
        assert CANARY not in proc.stdout + proc.stderr, (command, lines[0])
