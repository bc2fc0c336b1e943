"""The metrics registry: one per runtime, jobs counted whether they succeed or raise."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.config import Settings
from bot.core.jobs import Job, run_counted
from bot.core.leader import LocalLeader
from bot.ops.metrics import AckTimer, Metrics, request_kind
from bot.runtime import ClientProvider, Runtime
from models.db import make_engine, make_sessionmaker

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def runtime() -> Runtime:
    settings = Settings.from_env({})
    sessions = make_sessionmaker(make_engine("sqlite://", pooled=False))
    return Runtime(settings=settings, sessions=sessions, clients=ClientProvider(settings))


def test_two_runtimes_in_one_process_keep_their_own_counts() -> None:
    first, second = runtime(), runtime()
    ok = Job(name="tidy", run=lambda rt, now: {"done": 1}, summary="tidy up")
    run_counted(ok, first, NOW)
    run_counted(ok, first, NOW)
    run_counted(ok, second, NOW)
    assert value(first.metrics, "cxpulse_jobs_run_total", job="tidy") == 2
    assert value(second.metrics, "cxpulse_jobs_run_total", job="tidy") == 1
    assert value(first.metrics, "cxpulse_jobs_failed_total", job="tidy") is None


def test_a_job_that_raises_is_counted_as_run_and_failed() -> None:
    rt = runtime()

    def boom(_rt: Runtime, _now: datetime) -> dict[str, Any]:
        raise RuntimeError("the help desk is down")

    with pytest.raises(RuntimeError):
        run_counted(Job(name="boom", run=boom, summary="fails"), rt, NOW)
    assert value(rt.metrics, "cxpulse_jobs_run_total", job="boom") == 1
    assert value(rt.metrics, "cxpulse_jobs_failed_total", job="boom") == 1
    assert value(rt.metrics, "cxpulse_job_last_success_timestamp_seconds", job="boom") is None


def test_the_leader_gauge_follows_leadership() -> None:
    metrics = Metrics()
    assert value(metrics, "cxpulse_scheduler_leader") == 0

    class Toggle(LocalLeader):
        leads = False

        def is_leader(self) -> bool:
            return self.leads

    leadership = Toggle()
    metrics.watch_leadership(leadership)
    assert value(metrics, "cxpulse_scheduler_leader") == 0
    leadership.leads = True
    assert value(metrics, "cxpulse_scheduler_leader") == 1


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"command": "/cx", "text": "help"}, "command"),
        ({"type": "event_callback", "event": {"type": "app_home_opened"}}, "event"),
        ({"type": "block_actions"}, "block_actions"),
        ({"type": "view_submission"}, "view_submission"),
        ({"type": "something new from Slack"}, "other"),
        ({}, "other"),
    ],
)
def test_request_kinds_are_a_small_fixed_set(body: dict[str, Any], kind: str) -> None:
    assert request_kind(body) == kind


def test_the_ack_timer_observes_each_transport_by_kind() -> None:
    metrics = Metrics()
    ticks = iter([10.0, 10.25, 20.0, 20.5])
    timer = AckTimer(metrics, clock=lambda: next(ticks))
    with timer.timing({"command": "/cx", "text": "help"}):
        pass  # Bolt's HTTP adapter answering
    click = SocketModeRequest(
        type="interactive", envelope_id="env-1", payload={"type": "block_actions"}
    )
    client: Any = None  # the listeners do not use the client
    timer.socket_started(client, click)
    timer.socket_answered(client, click)
    timer.socket_answered(client, click)  # no second start: nothing more to observe
    assert value(metrics, "cxpulse_slack_ack_seconds_sum", kind="command") == 0.25
    assert value(metrics, "cxpulse_slack_ack_seconds_sum", kind="block_actions") == 0.5
    assert value(metrics, "cxpulse_slack_ack_seconds_count", kind="block_actions") == 1
