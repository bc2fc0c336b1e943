"""HTTP serving: signed Slack requests to Bolt (App.dispatch), the operations paths, on waitress."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_sdk.signature import SignatureVerifier

from bot.core.features import Route, Routes
from bot.core.web.body import BodyError, read_body
from bot.core.web.guard import bolt_safe_form, envelope_problem, has_nul, without_nul
from bot.core.web.signatures import unsigned_reason
from bot.ops.metrics import AckTimer, clear_request_id

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Slack's largest requests (a 100-block view with its state) are far below this.
MAX_BODY_BYTES = 2 * 1024 * 1024
# waitress's default of 100 let 110 clients that never finish a request lock everyone out
# (health checks included). Each open connection costs a socket and a few KB.
CONNECTION_LIMIT = 1000
# Seconds a connection may sit without sending or receiving a byte; waitress's default is
# 120. Slack and help desks send whole requests at once, so 30 s is generous.
CHANNEL_TIMEOUT = 30


class CxPulseWSGI:
    """Routes Slack's requests to Bolt and every other path to the feature that serves it."""

    def __init__(self, app: App, runtime: Runtime, routes: Routes) -> None:
        """Serve ``app`` at ``/slack/events`` and each of ``routes``, built once from ``runtime``.

        Slack's signature is checked here, once, before anything is parsed: ``app`` is built
        with ``request_verification_enabled=False`` (``build_parts``), so a body this door
        re-encodes for Bolt (``bolt_safe_form``, NUL dropped) needs no signature of its own.
        Without a signing secret every Slack request is refused.
        """
        self.app = app
        self.bolt = SlackRequestHandler(app, path=EVENTS_PATH)  # Bolt's GET paths (none today)
        secret = runtime.settings.slack_signing_secret
        self.verifier = SignatureVerifier(secret) if secret else None
        self.ack_timer = AckTimer(runtime.metrics)
        built: dict[object, WSGIApplication | None] = {}
        self.routes: list[tuple[Route, WSGIApplication]] = []
        for route in routes.routes:
            if route.make not in built:
                built[route.make] = route.make(runtime)
            served = built[route.make]
            if served is not None:
                self.routes.append((route, served))

    def served(self, path: str) -> WSGIApplication | None:
        """The feature's WSGI app that answers ``path`` (any method), or None."""
        for route, served in self.routes:
            if route.matches(path, route.methods[0]):
                return served
        return None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        clear_request_id()  # this thread's previous Slack request is over
        path, method = str(environ.get("PATH_INFO")), str(environ.get("REQUEST_METHOD"))
        if path == EVENTS_PATH and method == "POST":
            return self._slack(environ, start_response)
        for route, served in self.routes:
            if route.matches(path, method):
                return served(environ, start_response)
        return self.bolt(environ, start_response)

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Hand a signed, well-formed request to Bolt; 401 unsigned, 400 what Slack never sends.

        Bolt's WSGI adapter is three calls (build a ``BoltRequest``, ``App.dispatch``, write
        the ``BoltResponse``); they are made here so that the body is parsed once, by Bolt,
        and that parse is what is checked before any middleware or listener sees it.
        """
        try:
            raw = read_body(environ, MAX_BODY_BYTES)
        except BodyError as exc:
            return _json(start_response, exc.status, {"error": exc.reason})
        refused = self._unsigned(raw, environ)
        if refused is not None:
            return _json(start_response, "401 Unauthorized", {"error": refused})
        headers = WsgiHttpRequest(environ).get_headers()
        query = str(environ.get("QUERY_STRING") or "")
        try:
            text = raw.decode("utf-8")
            # Bolt's own parse misreads a form that mentions "payload" (docs/architecture/
            # bolt-payload.md): the same fields, re-encoded so it reads them right. The
            # signature was checked above on the bytes Slack sent; Bolt checks none.
            content_type = str(environ.get("CONTENT_TYPE") or "").split(";")[0] or None
            text = bolt_safe_form(text, content_type) or text
            request = BoltRequest(body=text, query=query, headers=headers)
            problem = envelope_problem(request.body)
            if problem is None and has_nul(request.body):
                # PostgreSQL cannot store NUL in text; Slack never sends one: it is dropped.
                text = without_nul(text, content_type, request.body) or text
                request = BoltRequest(body=text, query=query, headers=headers)
        except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON; JSON too deep
            problem = f"unreadable body ({type(exc).__name__})"
        except Exception as exc:  # Bolt could not even read what it was given
            problem = f"Bolt could not read it ({type(exc).__name__})"
        if problem is not None:
            logger.warning("rejected a malformed request: %s", problem)
            return _json(start_response, "400 Bad Request", {"error": "malformed request"})
        with self.ack_timer.timing(request.body):
            try:
                answer = self.app.dispatch(request)
            except Exception as exc:  # Bolt failed on what got past the envelope
                logger.warning("Bolt failed on a request (%s)", type(exc).__name__)
                return _json(start_response, "400 Bad Request", {"error": "malformed request"})
        response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
        start_response(response.status, response.get_headers())
        return response.get_body()

    def _unsigned(self, raw: bytes, environ: WSGIEnvironment) -> str | None:
        """Why the request is not signed by Slack (for a 401), or None when it is."""
        if self.verifier is None:
            return "this app has no signing secret (SLACK_SIGNING_SECRET), so it takes no request"
        return unsigned_reason(
            [self.verifier],
            body=raw,
            timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            signature=environ.get("HTTP_X_SLACK_SIGNATURE"),
            header_names=("X-Slack-Request-Timestamp", "X-Slack-Signature"),
        )


def _json(start_response: StartResponse, status: str, body: dict[str, object]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


class HttpServer:
    """A waitress server on a background thread (tests, demo) or the foreground (serve)."""

    def __init__(
        self,
        wsgi: WSGIApplication,
        *,
        host: str = "127.0.0.1",
        port: int = 3000,
        threads: int = 16,
        trusted_proxy: str | None = None,
        connection_limit: int = CONNECTION_LIMIT,
        channel_timeout: int = CHANNEL_TIMEOUT,
    ) -> None:
        from waitress.server import create_server

        # Behind a reverse proxy, the client's address (rate limits) and scheme (Secure
        # cookies) come from the proxy's X-Forwarded-* headers, trusted from it alone.
        proxy: dict[str, Any] = {}
        if trusted_proxy:
            proxy = {
                "trusted_proxy": trusted_proxy,
                "trusted_proxy_count": 1,
                "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            }

        # waitress: threaded, production-grade, pure Python; many threads because
        # listeners keep working after the ack and Slack expects an answer in 3 s.
        self._server = create_server(
            wsgi,
            host=host,
            port=port,
            threads=threads,
            clear_untrusted_proxy_headers=True,
            max_request_body_size=MAX_BODY_BYTES,
            connection_limit=connection_limit,
            channel_timeout=channel_timeout,
            # How often idle connections are looked for: a few times per timeout.
            cleanup_interval=max(1, min(10, channel_timeout // 3)),
            **proxy,
        )
        self._thread: threading.Thread | None = None
        self._stopped = False

    @property
    def port(self) -> int:
        """The bound port (useful when started on port 0)."""
        return int(self._server.effective_port)  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        """Base URL of the server on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def serve_forever(self) -> None:
        """Block, serving requests, until interrupted."""
        self._server.run()

    def start(self) -> HttpServer:
        """Serve on a daemon thread and return at once."""
        self._thread = threading.Thread(target=self._server.run, name="cxpulse-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting requests, close every socket, and end the worker threads."""
        server = self._server
        if self._stopped:
            return
        self._stopped = True
        if self._thread is None or not self._thread.is_alive():
            server.close()
        else:
            # Close from inside the I/O loop (via its trigger): closing from this thread
            # races the loop's select() on the same descriptors and costs a poll timeout.
            try:
                server.trigger.pull_trigger(self._close_all)  # type: ignore[union-attr]
            except OSError:  # the loop already closed its trigger: it is on its way out
                server.close()
            self._thread.join(timeout=5)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)

    def drain(self, timeout: float) -> None:
        """Stop accepting connections, let requests already received finish and their answers
        go out (for at most ``timeout`` seconds), then stop."""
        if self._thread is None or not self._thread.is_alive():
            self.stop()
            return
        server: Any = self._server
        server.trigger.pull_trigger(self._stop_accepting)
        deadline = time.monotonic() + timeout
        while self._busy() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._busy():
            logger.warning("stopping with requests still in flight after %.0f s", timeout)
        self.stop()

    def _stop_accepting(self) -> None:
        # In the I/O loop's thread: the listening socket leaves the loop and is closed, so new
        # connections are refused while the open ones are served to the end.
        server: Any = self._server
        server.accepting = False
        server.del_channel()
        server.socket.close()

    def _busy(self) -> bool:
        """Whether a request is queued, being handled, or its answer is not all sent."""
        server: Any = self._server
        if server.task_dispatcher.queue:
            return True
        return any(
            getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0)
            for channel in list(server._map.values())
        )

    def _close_all(self) -> None:
        for dispatcher in list(self._server._map.values()):  # type: ignore[union-attr]
            dispatcher.close()
