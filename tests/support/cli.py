"""The real `parkwatch` command run in this process (as its own `main()` runs it), for the CLI
tests that need no child process: the same exit codes, stdout and stderr, at a chosen width."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from unittest import mock

from tests.support.workspace import Workspace


def invoke(workspace: Workspace, *args: str, columns: int = 200,
           **env: str) -> subprocess.CompletedProcess[str]:
    """`parkwatch ARGS` in this process with the workspace's environment, the terminal
    `columns` wide; a CompletedProcess like Workspace.run's."""
    from click.testing import CliRunner

    from parkwatch import console
    from parkwatch.cli import main

    environ = {**workspace.env(**env), "COLUMNS": str(columns)}
    with mock.patch.dict(os.environ, environ, clear=True), contextlib.chdir(workspace.root), \
            CliRunner().isolation() as (stdout, stderr, _), \
            mock.patch.object(sys, "argv", ["parkwatch", *args]), \
            mock.patch.object(console.out, "_width", columns), \
            mock.patch.object(console.err, "_width", columns):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        printed = stdout.getvalue().decode("utf-8", "replace")
        errors = stderr.getvalue().decode("utf-8", "replace")
    return subprocess.CompletedProcess(["parkwatch", *args], code, printed, errors)
