"""The API's listening socket, bound before anything is printed, so that a busy port, a
privileged one or a foreign address is one line instead of a start banner and an errno."""

from __future__ import annotations

import errno
import socket


class ListenError(Exception):
    """The socket cannot be bound; the message says why and what to do."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (port 0: one the system picks), for uvicorn to serve.
    SO_REUSEADDR as uvicorn sets it: a restart need not wait out TIME_WAIT, while a port
    another process listens on stays refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ListenError(_reason(host, port, exc)) from None
    sock.set_inheritable(True)
    return sock


def _reason(host: str, port: int, exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"cannot listen on {host}: not a known host name or address"
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} is in use on {host}: stop what listens there, or choose "
                "another with --port")
    if exc.errno == errno.EACCES:
        return f"port {port} needs privileges to bind: choose one above 1023 with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: not an address of this machine"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
