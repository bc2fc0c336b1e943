"""Slack's side of Socket Mode: the WebSocket an app opens with apps.connections.open.

As Slack documents it: a URL with a one-time ticket; `hello` on connect; requests as
envelopes (`envelope_id`, `type` of slash_commands / interactive / events_api, `payload`,
`accepts_response_payload`, and for events `retry_attempt` / `retry_reason`); the app acks
with `{"envelope_id": ..., "payload": ...}`; a `disconnect` message asks it to refresh.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from slack_emulator.transport import ActorResponse

ENVELOPE_TYPES = ("slash_commands", "interactive", "events_api")


class SocketModeError(RuntimeError):
    """An envelope could not be delivered or was never acknowledged."""


@dataclass
class _Pending:
    """An envelope waiting for the app's ack."""

    connection: ServerConnection
    done: threading.Event = field(default_factory=threading.Event)
    ack: dict[str, Any] | None = None


class SocketModeServer:
    """Serves Socket Mode WebSockets on a loopback port, one ticket per connection."""

    def __init__(self, app_id: str) -> None:
        """Nothing listens until start()."""
        self.app_id = app_id
        self._tickets: set[str] = set()
        self._open: list[ServerConnection] = []
        self._pending: dict[str, _Pending] = {}
        self._changed = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._turn = itertools.count()
        self.connections_opened = 0
        self.envelopes_acked = 0
        self.refused_tickets = 0

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Listen on a free loopback port."""
        if self._server is not None:
            return
        self._server = serve(
            self._serve_connection,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            compression=None,  # Slack's own client does not negotiate permessage-deflate
            ping_interval=None,  # the app pings; Slack answers (pongs are automatic)
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close every connection and stop listening."""
        if self._server is None:
            return
        self.drop()
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._server = None

    @property
    def port(self) -> int:
        """Return the listening port (once started)."""
        if self._server is None:
            raise RuntimeError("Socket Mode server is not started")
        return int(self._server.socket.getsockname()[1])

    # -- apps.connections.open -------------------------------------------------------------

    def issue_url(self) -> str:
        """Return a WebSocket URL with a fresh one-time ticket, as apps.connections.open does."""
        ticket = str(uuid.uuid4())
        with self._changed:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse a connection without a ticket we issued (each works once)."""
        ticket = (parse_qs(urlsplit(request.path).query).get("ticket") or [""])[0]
        with self._changed:
            if ticket in self._tickets:
                self._tickets.discard(ticket)
                return None
            self.refused_tickets += 1
        return connection.respond(401, "invalid ticket\n")

    # -- one connection ----------------------------------------------------------------------

    def _serve_connection(self, connection: ServerConnection) -> None:
        with self._changed:
            self._open.append(connection)
            self.connections_opened += 1
            count = len(self._open)
            self._changed.notify_all()
        try:
            connection.send(json.dumps(self._hello(count)))
            for raw in connection:
                self._receive(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                if connection in self._open:
                    self._open.remove(connection)
                for pending in self._pending.values():
                    if pending.connection is connection:
                        pending.done.set()
                self._changed.notify_all()

    def _hello(self, count: int) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": count,
            "debug_info": {
                "host": "applink-sandbox",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _receive(self, raw: str | bytes) -> None:
        """Record an ack; anything else from the app is ignored, as Slack ignores it."""
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        with self._changed:
            pending = self._pending.get(str(message.get("envelope_id")))
            if pending is not None:
                pending.ack = message
                pending.done.set()

    # -- what tests and the actor do -----------------------------------------------------------

    @property
    def open_connections(self) -> int:
        """How many app connections are open now."""
        with self._changed:
            return len(self._open)

    def wait_connected(self, timeout: float = 10.0, *, newer_than: int = 0, count: int = 1) -> None:
        """Wait until `count` connections are open (and more than `newer_than` were opened)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._open) < count or self.connections_opened <= newer_than:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SocketModeError("the app has no Socket Mode connection open")
                self._changed.wait(left)

    def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """Send one envelope to the app and return its ack (raise if none comes in time).

        Like Slack, an event whose connection drops before the ack is sent again on the
        app's next connection with `retry_attempt` raised; other requests simply fail.
        """
        if kind not in ENVELOPE_TYPES:
            raise ValueError(f"unknown envelope type {kind!r}")
        deadline = time.monotonic() + timeout
        while True:
            self.wait_connected(max(0.0, deadline - time.monotonic()))
            envelope_id = str(uuid.uuid4())
            envelope: dict[str, Any] = {
                "envelope_id": envelope_id,
                "payload": payload,
                "type": kind,
                "accepts_response_payload": accepts_response_payload,
            }
            if kind == "events_api":
                envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
            with self._changed:
                # Like Slack, spread requests over the app's open connections.
                connection = self._open[next(self._turn) % len(self._open)]
                pending = _Pending(connection)
                self._pending[envelope_id] = pending
            try:
                with contextlib.suppress(ConnectionClosed):
                    connection.send(json.dumps(envelope))
                pending.done.wait(max(0.0, deadline - time.monotonic()))
            finally:
                with self._changed:
                    self._pending.pop(envelope_id, None)
            if pending.ack is not None:
                with self._changed:
                    self.envelopes_acked += 1
                return pending.ack
            if kind != "events_api" or time.monotonic() >= deadline:
                raise SocketModeError(f"no ack for {kind} envelope {envelope_id}")
            retry_attempt, retry_reason = retry_attempt + 1, "timeout"

    def request_refresh(self) -> None:
        """Ask every open connection to reconnect (Slack's `disconnect` message)."""
        message = {
            "type": "disconnect",
            "reason": "refresh_requested",
            "debug_info": {"host": "applink-sandbox"},
        }
        with self._changed:
            # Like Slack, nothing more goes down a connection asked to refresh.
            connections, self._open = list(self._open), []
        for connection in connections:
            with contextlib.suppress(ConnectionClosed):
                connection.send(json.dumps(message))

    def drop(self) -> None:
        """Cut every connection without a closing handshake, as a network failure does."""
        with self._changed:
            # Forgotten at once: nothing more is sent down a socket that is already cut.
            connections, self._open = list(self._open), []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.socket.shutdown(socket.SHUT_RDWR)


def new_app_token(app_id: str) -> str:
    """An app-level token in Slack's shape (`xapp-1-<app id>-...`), sandbox only."""
    return f"xapp-1-{app_id}-{secrets.token_hex(8)}"


def envelope_for(body: str, content_type: str) -> tuple[str, dict[str, Any], bool]:
    """Turn the HTTP request Slack would POST into (envelope type, payload, accepts response).

    Slash commands travel as their form fields, interactivity as the decoded `payload`
    field, events as the event_callback object; Socket Mode has no URL verification.
    """
    if content_type.startswith("application/json"):
        decoded = json.loads(body)
        if decoded.get("type") != "event_callback":
            raise ValueError(f"Slack sends no {decoded.get('type')!r} over Socket Mode")
        return "events_api", decoded, False
    form = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
    if "payload" in form:
        payload = json.loads(form["payload"])
        accepts = payload.get("type") in ("view_submission", "block_suggestion")
        return "interactive", payload, accepts
    return "slash_commands", form, True


def send_over_socket(
    server: SocketModeServer,
    body: str,
    content_type: str,
    retry_num: int | None,
    timeout: float,
) -> ActorResponse:
    """Deliver one request as an envelope and answer like the HTTP transport would."""
    kind, payload, accepts = envelope_for(body, content_type)
    reason = "timeout" if retry_num else ""
    ack = server.deliver(
        kind,
        payload,
        accepts_response_payload=accepts,
        retry_attempt=retry_num or 0,
        retry_reason=reason,
        timeout=timeout,
    )
    answer = ack.get("payload")
    text = json.dumps(answer) if answer else ""
    return ActorResponse(200, text, answer if isinstance(answer, dict) else None, {})
