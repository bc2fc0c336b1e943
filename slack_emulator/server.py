"""HTTP plumbing: a threaded stdlib server routing to the dispatcher and webhooks."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from slack_emulator.dispatch import Dispatcher, Outcome
from slack_emulator.recording import CallLog
from slack_emulator.state import SandboxState
from slack_emulator.webhooks import receive_response, receive_upload


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that carries the emulator's dispatcher and state."""

    daemon_threads = True
    # Don't let stop() wait for a handler sleeping through an injected timeout.
    block_on_close = False
    # socketserver's default backlog of 5 drops connections when the app's senders
    # (8 threads) and the actor's clicks arrive together; the kernel then retries
    # the SYN only after a second, which stalled whole pulse runs.
    request_queue_size = 128

    def __init__(self, dispatcher: Dispatcher, state: SandboxState, log: CallLog) -> None:
        """Bind to a free port on the loopback interface."""
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.dispatcher = dispatcher
        self.state = state
        self.log = log


def _form(text: str) -> dict[str, Any]:
    """Parse a query string or urlencoded form, keeping the last value of each key."""
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


class _RequestHandler(BaseHTTPRequestHandler):
    """Routes /api/<method>, /upload/<file_id> and /response/<id>."""

    server: EmulatorHTTPServer
    server_version = "SlackSandbox/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet; the call log is the record."""

    def do_GET(self) -> None:
        """Answer GET (Slack accepts GET with query parameters for most methods)."""
        self._route(b"")

    def do_POST(self) -> None:
        """Answer POST with a form, JSON or raw body."""
        length = int(self.headers.get("Content-Length") or 0)
        self._route(self.rfile.read(length) if length else b"")

    def _route(self, body: bytes) -> None:
        url = urlsplit(self.path)
        content_type = self.headers.get("Content-Type") or ""
        if url.path.startswith("/api/"):
            args = _form(url.query)
            try:
                args.update(self._body_args(body, content_type))
            except ValueError:
                self._send(200, {"ok": False, "error": "invalid_json"})
                return
            method = url.path[len("/api/") :]
            auth = self.headers.get("Authorization") or ""
            self._send_outcome(self.server.dispatcher.call(method, args, auth))
        elif url.path.startswith("/upload/"):
            file_id = url.path[len("/upload/") :]
            self._send_text(
                *receive_upload(self.server.state, self.server.log, file_id, body, content_type)
            )
        elif url.path.startswith("/response/"):
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                self._send_text(400, "invalid_payload")
                return
            response_id = url.path[len("/response/") :]
            self._send_text(
                *receive_response(self.server.state, self.server.log, response_id, payload)
            )
        else:
            self._send_text(404, "not found")

    @staticmethod
    def _body_args(body: bytes, content_type: str) -> dict[str, Any]:
        """Decode a form or JSON body into arguments."""
        if not body:
            return {}
        if content_type.startswith("application/json"):
            decoded = json.loads(body)
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            return decoded
        return _form(body.decode("utf-8"))

    def _send_outcome(self, outcome: Outcome) -> None:
        if outcome.delay:
            time.sleep(outcome.delay)
        if outcome.disconnect:
            # Close without a status line: the client sees RemoteDisconnected.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if outcome.cut:
            self._send_cut(outcome)
            return
        self._send(outcome.status, outcome.body, outcome.headers)

    def _send_cut(self, outcome: Outcome) -> None:
        """Announce the whole body, send half of it, and hang up (IncompleteRead)."""
        data = json.dumps(outcome.body).encode()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.send_response(outcome.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self._write(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

    def _send_text(self, status: int, text: str) -> None:
        self._write(status, text.encode(), "text/plain; charset=utf-8", None)

    def _write(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. an injected timeout); nothing to tell it


class ServerThread:
    """Runs an EmulatorHTTPServer in a daemon thread."""

    def __init__(self, server: EmulatorHTTPServer) -> None:
        """Remember the server; nothing runs until start()."""
        self.server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """Return the bound port."""
        return int(self.server.server_address[1])

    def start(self) -> None:
        """Start serving."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=2)
