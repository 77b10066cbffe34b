"""The real `parkwatch` command run in this process (as its own `main()` runs it), for the CLI
tests that need no child process: the same exit codes, stdout and stderr, at a chosen width."""

from __future__ import annotations

import subprocess

from tests.docs.sandbox import in_process
from tests.support.workspace import Workspace


def invoke(workspace: Workspace, *args: str, columns: int = 200,
           **env: str) -> subprocess.CompletedProcess[str]:
    """`parkwatch ARGS` in this process with the workspace's environment, the terminal
    `columns` wide; a CompletedProcess like Workspace.run's."""
    environ = {**workspace.env(**env), "COLUMNS": str(columns)}
    result = in_process(list(args), environ, workspace.root, columns=columns)
    return subprocess.CompletedProcess(["parkwatch", *args], result.exit_code, result.stdout,
                                       result.stderr)
