"""Slow clients holding half a request cannot take /healthz away (issue 26, finding 6).

Every connection here is to loopback, bounded in number, and closed by the test whatever
happens; the waits are bounded by socket timeouts.
"""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.core.web.server import HttpServer
from tests.support.stack import SandboxStack

PARTIAL = b"GET /healthz HTTP/1.1\r\nHost: cxpulse\r\nX-Slow: "


# One app for the whole module (SQLite only): these tests hold connections, not data.
@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path
) -> Iterator[SandboxStack]:
    path = tmp_path_factory.mktemp("slow") / "cxpulse.sqlite3"
    path.write_bytes(_sqlite_template.read_bytes())
    with SandboxStack.start(f"sqlite:///{path}", migrate=False) as running:
        yield running


@contextmanager
def partial_requests(port: int, count: int) -> Iterator[list[socket.socket]]:
    """``count`` connections, each having sent half a header and then nothing."""
    held: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(PARTIAL)
            held.append(sock)
        yield held
    finally:
        for sock in held:
            sock.close()


def health(port: int, timeout: float) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    finally:
        conn.close()


def test_healthz_answers_beside_150_stalled_requests(served: SandboxStack) -> None:
    # waitress's default limit is 100 connections: 110 stalled ones used to take it down.
    with partial_requests(served.server.port, 150):
        assert health(served.server.port, timeout=5) == 200


def test_stalled_requests_are_dropped_so_a_full_server_recovers(served: SandboxStack) -> None:
    assert served.wsgi is not None
    server = HttpServer(served.wsgi, port=0, connection_limit=10, channel_timeout=2).start()
    try:
        with partial_requests(server.port, 12) as held:
            # Over the limit now; the stalled ones time out and /healthz gets its turn.
            assert health(server.port, timeout=12) == 200
            held[0].settimeout(5)
            assert held[0].recv(1024) == b""  # the server hung up on the stalled client
    finally:
        server.stop()
