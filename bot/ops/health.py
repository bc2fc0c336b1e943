"""``GET /healthz`` (alive), ``/readyz`` (ready for traffic) and ``/metrics`` (Prometheus).

Liveness never touches the database: a database outage must make instances unready (taken
out of the load balancer), not restarted. Readiness asks the database, compares its Alembic
revision with the code's, and asks Slack ``auth.test`` at most once a minute.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.ops.metrics import Metrics
from models.db import MIGRATIONS_DIR, ping

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from bot.runtime import Runtime

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
OPS_PATHS = frozenset({HEALTH_PATH, READY_PATH, METRICS_PATH})
# A good auth.test answer is trusted this long; a failed one is asked again sooner.
SLACK_OK_SECONDS = 60.0
SLACK_RETRY_SECONDS = 10.0

Check = tuple[bool, str]


@cache
def code_heads() -> frozenset[str]:
    """The Alembic head revision(s) this code's migrations end at."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def migrations_check(engine: Engine) -> Check:
    """Whether the database's schema revision is the code's head."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        current = frozenset(MigrationContext.configure(conn).get_current_heads())
    if current == code_heads():
        return True, "ok"
    found = ", ".join(sorted(current)) or "none"
    return False, (
        f"database at revision {found}, code at {', '.join(sorted(code_heads()))}: "
        "run `cxpulse db upgrade`"
    )


class SlackAuthCheck:
    """``auth.test`` with the bot token, its answer cached so probes do not call Slack each time."""

    def __init__(
        self,
        client: Callable[[], WebClient],
        *,
        clock: Callable[[], float] = time.monotonic,
        ok_seconds: float = SLACK_OK_SECONDS,
        retry_seconds: float = SLACK_RETRY_SECONDS,
    ) -> None:
        """Ask ``client()`` (the single-workspace bot client)."""
        self.client = client
        self.clock = clock
        self.ok_seconds = ok_seconds
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._answer: Check | None = None
        self._until = 0.0

    def __call__(self) -> Check:
        """The cached answer, or a fresh one when it has expired."""
        with self._lock:  # one auth.test at a time; concurrent probes share its answer
            if self._answer is not None and self.clock() < self._until:
                return self._answer
            answer = self._ask()
            ttl = self.ok_seconds if answer[0] else self.retry_seconds
            self._answer, self._until = answer, self.clock() + ttl
            return answer

    def _ask(self) -> Check:
        try:
            self.client().auth_test()
        except SlackApiError as exc:
            return False, f"auth.test failed: {exc.response.get('error')}"
        except Exception as exc:  # network, DNS, timeout: Slack cannot be reached
            return False, f"Slack unreachable ({type(exc).__name__})"
        return True, "ok"


class OpsEndpoints:
    """A WSGI app answering the three operations paths (and 404 to anything else)."""

    def __init__(
        self,
        engine: Engine,
        *,
        metrics: Metrics | None = None,
        slack: Callable[[], Check] | None = None,
    ) -> None:
        """Probe ``engine``; ``slack`` checks the Slack token (None: not checked, e.g. OAuth)."""
        self.engine = engine
        self.metrics = metrics or Metrics()
        self.slack = slack
        # Set while the process shuts down: no new traffic should be sent here.
        self.stopping = threading.Event()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one of the operations paths."""
        path = environ.get("PATH_INFO")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or path not in OPS_PATHS:
            return _send(start_response, "404 Not Found", {"error": "not found"})
        if path == HEALTH_PATH:
            return _send(start_response, "200 OK", {"ok": True})
        if path == READY_PATH:
            return self._ready(start_response)
        data, content_type = self.metrics.exposition()
        start_response(
            "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(data)))]
        )
        return [data]

    def readiness(self) -> dict[str, Check]:
        """Each readiness check's result, by name."""
        checks: dict[str, Check] = {}
        if self.stopping.is_set():
            checks["process"] = (False, "shutting down")
        try:
            ping(self.engine)
        except Exception as exc:  # any driver error means "not ready"
            checks["database"] = (False, f"unreachable ({type(exc).__name__})")
            checks["migrations"] = (False, "unknown: the database is unreachable")
        else:
            checks["database"] = (True, "ok")
            try:
                checks["migrations"] = migrations_check(self.engine)
            except Exception as exc:  # the database went away between the two queries
                checks["migrations"] = (False, f"unknown ({type(exc).__name__})")
        if self.slack is not None:
            checks["slack"] = self.slack()
        return checks

    def _ready(self, start_response: StartResponse) -> list[bytes]:
        checks = self.readiness()
        not_ready = [name for name, (ok, _) in checks.items() if not ok]
        body: dict[str, object] = {
            "ready": not not_ready,
            "checks": {name: text for name, (_, text) in checks.items()},
        }
        if not_ready:
            body["not_ready"] = not_ready
            logger.warning("not ready: %s", ", ".join(f"{n}: {checks[n][1]}" for n in not_ready))
            return _send(start_response, "503 Service Unavailable", body)
        return _send(start_response, "200 OK", body)


def _send(start_response: StartResponse, status: str, body: dict[str, object]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def ops_for(runtime: Runtime) -> OpsEndpoints:
    """The operations paths of ``runtime``: its database, its metrics, its bot token if any."""
    slack = SlackAuthCheck(runtime.clients.default) if runtime.settings.slack_bot_token else None
    return OpsEndpoints(runtime.sessions.kw["bind"], metrics=runtime.metrics, slack=slack)
