"""`parkwatch worker` and `crawl --distributed` without a reachable Redis: one line, exit 2,
no password in it."""

from __future__ import annotations

import pytest

URL = "redis://:hunter2@127.0.0.1:1/0"  # nothing listens on port 1


@pytest.mark.parametrize("args", [("worker",), ("crawl", "--distributed"),
                                  ("serve", "--distributed")])
def test_unreachable_redis_is_one_line(workspace, args) -> None:
    proc = workspace.run(*args, PARKWATCH_REDIS_URL=URL, timeout=60)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach Redis at redis://" in lines[0], proc.stderr
    assert "hunter2" not in proc.stderr + proc.stdout
