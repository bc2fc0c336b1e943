"""Prometheus metrics: one registry per app runtime, the Bolt middleware counting requests,
and the transports' ack timer.

Each ``Runtime`` owns a ``Metrics`` with its own ``CollectorRegistry`` (not the library's
global one), so tests and several apps in one process never share or collide on a name.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

if TYPE_CHECKING:
    from slack_sdk.socket_mode.client import BaseSocketModeClient
    from slack_sdk.socket_mode.request import SocketModeRequest

    from bot.core.leader import Leadership

# The Slack request being handled by this thread (and the listener it started), for logs.
request_id: ContextVar[str | None] = ContextVar("cxpulse_request_id", default=None)

# Slack wants an answer within 3 s; the buckets resolve the fast end and the deadline.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
# Payload types kept as they are; anything else is "other" (a label is never free text).
_PAYLOAD_KINDS = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
    }
)


class Metrics:
    """Every CX Pulse metric, registered in a registry of its own."""

    def __init__(self) -> None:
        """Create the registry and the metrics (all start at zero)."""
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.slack_requests = Counter(
            "cxpulse_slack_requests", "Slack requests handled, by kind", ["kind"], registry=r
        )
        self.ack_seconds = Histogram(
            "cxpulse_slack_ack_seconds",
            "Time from a Slack request reaching Bolt to Bolt's answer (the ack), by kind",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.jobs_run = Counter(
            "cxpulse_jobs_run", "Scheduled job runs, by job", ["job"], registry=r
        )
        self.jobs_failed = Counter(
            "cxpulse_jobs_failed", "Scheduled job runs that raised, by job", ["job"], registry=r
        )
        self.job_last_success = Gauge(
            "cxpulse_job_last_success_timestamp_seconds",
            "Unix time of each job's last run that did not raise",
            ["job"],
            registry=r,
        )
        self.pulses_sent = Counter("cxpulse_pulses_sent", "Pulse DMs posted", registry=r)
        self.pulses_failed = Counter(
            "cxpulse_pulses_failed",
            "Pulse DMs that could not be posted (permanent, or retried at a later run)",
            registry=r,
        )
        self.reminders_sent = Counter(
            "cxpulse_reminders_sent", "Pulse reminders posted", registry=r
        )
        self.digests_posted = Counter(
            "cxpulse_digests_posted", "Weekly digests posted to a channel", registry=r
        )
        self.outcomes_imported = Counter(
            "cxpulse_outcome_rows_imported",
            "Customer outcome rows stored, by source",
            ["source"],
            registry=r,
        )
        self.outcomes_rejected = Counter(
            "cxpulse_outcome_rows_rejected",
            "Customer outcome rows refused as invalid, by source",
            ["source"],
            registry=r,
        )
        self.leader = Gauge(
            "cxpulse_scheduler_leader",
            "1 while this process runs the scheduled jobs (holds leadership), else 0",
            registry=r,
        )

    def watch_leadership(self, leadership: Leadership) -> None:
        """Report ``leadership`` in the leader gauge, read at every scrape."""
        self.leader.set_function(lambda: 1.0 if leadership.is_leader() else 0.0)

    def exposition(self) -> tuple[bytes, str]:
        """The registry in Prometheus text format, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def request_kind(body: dict[str, Any]) -> str:
    """A low-cardinality name for what Slack sent: command, event, block_actions…"""
    if "command" in body:
        return "command"
    kind = body.get("type")
    if kind == "event_callback":
        return "event"
    return str(kind) if kind in _PAYLOAD_KINDS else "other"


class RequestMetrics(Middleware):
    """A global Bolt middleware: counts requests and names them for the logs.

    The request id set here is copied to the listener's thread by Bolt's listener executor
    (``contextvars``), and cleared by the transports (``clear_request_id``) when the next
    request starts on the same thread. The ack is timed by the transports (``AckTimer``):
    Bolt runs global middleware one after the other before the listener, so ``next()``
    returns before the listener has acked.
    """

    def __init__(self, metrics: Metrics) -> None:
        """Record into ``metrics``."""
        self.metrics = metrics

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Set the request id, count the request, and go on."""
        request_id.set(uuid.uuid4().hex[:16])
        self.metrics.slack_requests.labels(request_kind(req.body)).inc()
        return next()


class AckTimer:
    """Times what Slack waits for: from a request reaching Bolt to Bolt's answer.

    With ``process_before_response=False`` Bolt's ``dispatch`` returns once the listener has
    acked (or its ack timed out), and the transport sends that answer at once; so the time
    around ``dispatch`` as each transport calls it is the ack latency, measured without
    touching Bolt's ``ack``.
    """

    def __init__(self, metrics: Metrics, *, clock: Callable[[], float] = time.perf_counter) -> None:
        """Record into ``metrics.ack_seconds``."""
        self.metrics = metrics
        self.clock = clock
        self._socket_starts: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextmanager
    def timing(self, body: dict[str, Any]) -> Iterator[None]:
        """Observe the time the block takes (HTTP: Bolt's WSGI adapter answering ``body``)."""
        started = self.clock()
        try:
            yield
        finally:
            self.observe(body, self.clock() - started)

    def observe(self, body: dict[str, Any], seconds: float) -> None:
        """One ack of a request whose parsed body is ``body``, ``seconds`` after it came in."""
        self.metrics.ack_seconds.labels(request_kind(body)).observe(seconds)

    def socket_started(self, _client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        """Socket Mode listener placed before Bolt's: the message came in."""
        with self._lock:
            self._socket_starts[req.envelope_id] = self.clock()

    def socket_answered(self, _client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        """Socket Mode listener placed after Bolt's: Bolt dispatched and sent its answer."""
        with self._lock:
            started = self._socket_starts.pop(req.envelope_id, None)
        if started is not None:
            self.observe(req.payload, self.clock() - started)


def clear_request_id(*_args: object) -> None:
    """Forget the previous request's id: a transport calls this as a request starts."""
    request_id.set(None)
