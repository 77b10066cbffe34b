"""`parkwatch api` and its port, as a user runs it (child process): a port another process
listens on is one line and exit 2 before any banner; port 0 serves on the port it prints, and
Ctrl-C stops it quietly."""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading

import httpx
import pytest

from tests.query.conftest import fill
from tests.query.test_query_cli import one_line_error


@pytest.fixture
def filled(workspace):
    fill(workspace.database_url)
    return workspace


def test_a_busy_port_is_one_line(filled) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        proc = filled.run("api", "--port", str(port), timeout=60)
    one_line_error(proc, f"port {port} is in use on 127.0.0.1: stop what listens there, "
                         "or choose another with --port")
    assert "parkwatch on" not in proc.stderr and "errno" not in proc.stderr.lower()
    assert proc.stdout == ""


def test_a_foreign_address_is_one_line(filled) -> None:
    proc = filled.run("api", "--host", "192.0.2.1", "--port", "0", timeout=60,
                      PARKWATCH_API_TOKEN="t0ken-for-this-test")
    one_line_error(proc, "cannot listen on 192.0.2.1: not an address of this machine")


def test_port_0_serves_on_the_printed_port_and_stops_on_ctrl_c(filled) -> None:
    child = subprocess.Popen([sys.executable, "-m", "parkwatch", "api", "--port", "0"],
                             cwd=filled.root, env=filled.env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in child.stderr],
                              daemon=True)
    reader.start()
    try:
        banner = lines.get(timeout=60)
        found = re.match(r"parkwatch on http://127\.0\.0\.1:(\d+) ", banner)
        assert found and found.group(1) != "0", banner
        health = httpx.get(f"http://127.0.0.1:{found.group(1)}/health", timeout=10)
        assert health.status_code == 200 and health.json()["articles"] == 6
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    reader.join(timeout=10)  # the child's stderr is closed: the reader has read it all
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert "Traceback" not in "".join(rest)
