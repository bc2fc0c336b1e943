"""/healthz, /readyz and /metrics over real HTTP, as a load balancer and Prometheus see them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
from alembic import command
from prometheus_client.parser import text_string_to_metric_families

from bot.outcomes.web import sign
from models.db import alembic_config
from tests.support.stack import SandboxStack
from tests.support.waiting import wait_until

PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def get(stack: SandboxStack, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(stack.server.url + path, timeout=10) as answer:  # noqa: S310
            return int(answer.status), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def scrape(stack: SandboxStack) -> dict[str, float]:
    """Every sample of GET /metrics as ``name{label="value",…}`` -> value."""
    status, body = get(stack, "/metrics")
    assert status == 200
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] = sample.value
    return samples


def test_healthz_answers_alive_without_asking_anything(stack: SandboxStack) -> None:
    status, body = get(stack, "/healthz")
    assert (status, json.loads(body)) == (200, {"ok": True})


def test_readyz_checks_database_migrations_and_slack_and_caches_auth_test(
    stack: SandboxStack,
) -> None:
    before = len(stack.emulator.calls_to("auth.test"))
    status, body = get(stack, "/readyz")
    assert status == 200, body
    assert json.loads(body) == {
        "ready": True,
        "checks": {"database": "ok", "migrations": "ok", "slack": "ok"},
    }
    assert len(stack.emulator.calls_to("auth.test")) == before + 1
    for _ in range(3):
        assert get(stack, "/readyz")[0] == 200
    assert len(stack.emulator.calls_to("auth.test")) == before + 1  # cached, not asked again


def test_readyz_is_503_naming_a_revoked_token(db_url: str) -> None:
    with SandboxStack.start(db_url, migrate=False) as stack:
        stack.emulator.inject_fault("auth.test", "error", error="invalid_auth")
        status, body = get(stack, "/readyz")
        answer = json.loads(body)
        assert status == 503
        assert answer["ready"] is False
        assert answer["not_ready"] == ["slack"]
        assert answer["checks"]["slack"] == "auth.test failed: invalid_auth"
        assert answer["checks"]["database"] == "ok"
        # Liveness does not care: restarting would not bring the token back.
        assert get(stack, "/healthz")[0] == 200


def test_readyz_is_503_while_migrations_are_behind(db_url: str) -> None:
    with SandboxStack.start(db_url, migrate=False) as stack:
        stack.runtime.sessions.kw["bind"].dispose()
        command.downgrade(alembic_config(db_url), "-1")
        status, body = get(stack, "/readyz")
        answer = json.loads(body)
        assert status == 503
        assert answer["not_ready"] == ["migrations"]
        assert "run `cxpulse db upgrade`" in answer["checks"]["migrations"]
        command.upgrade(alembic_config(db_url), "head")
        assert get(stack, "/readyz")[0] == 200


def test_metrics_count_a_signed_slash_command_and_time_its_ack(stack: SandboxStack) -> None:
    before = scrape(stack)
    assert before.get('cxpulse_slack_requests_total{kind="command"}', 0) == 0
    user = stack.emulator.add_user(name="hal")["id"]
    assert stack.actor.slash_command(user, "help").status == 200
    assert stack.actor.app_home_opened(user).status == 200
    after = scrape(stack)
    assert after['cxpulse_slack_requests_total{kind="command"}'] == 1
    assert after['cxpulse_slack_requests_total{kind="event"}'] == 1
    assert after['cxpulse_slack_ack_seconds_count{kind="command"}'] == 1
    assert 0 < after['cxpulse_slack_ack_seconds_sum{kind="command"}'] < 3
    assert after['cxpulse_slack_ack_seconds_bucket{kind="command",le="3.0"}'] == 1
    # An unsigned request never reaches Bolt, so it is not counted as Slack's.
    assert stack.actor.slash_command(user, "help", sign=False).status == 401
    assert scrape(stack)['cxpulse_slack_requests_total{kind="command"}'] == 1


def test_the_ack_metric_times_every_answer_bolt_gives_slack(stack: SandboxStack) -> None:
    """Timed where Slack waits (around Bolt's adapter), even when no listener acks."""
    user = stack.emulator.add_user(name="ida")["id"]
    button = {"type": "button", "action_id": "nobody-listens", "value": "1"}
    button["text"] = {"type": "plain_text", "text": "Press"}
    message = {"ts": "1700000000.000100", "blocks": [{"type": "actions", "elements": [button]}]}
    channel = stack.emulator.general_channel().id
    answer = stack.actor.click(
        user, message=message, action_id="nobody-listens", channel_id=channel
    )
    assert answer.status == 404  # Bolt's own answer: no listener for it
    after = scrape(stack)
    assert after['cxpulse_slack_requests_total{kind="block_actions"}'] == 1
    assert after['cxpulse_slack_ack_seconds_count{kind="block_actions"}'] == 1


def test_metrics_count_job_runs_and_the_pulses_they_send(stack: SandboxStack) -> None:
    assert 'cxpulse_jobs_run_total{job="sync-users"}' not in scrape(stack)
    user = stack.emulator.add_user(name="ann", tz="Europe/London")["id"]
    stack.run_job("sync-users", PULSE_AT)
    stack.run_job("pulses", PULSE_AT)
    wait_until(lambda: stack.emulator.dm_channel(user), what="the pulse DM")
    samples = scrape(stack)
    assert samples['cxpulse_jobs_run_total{job="sync-users"}'] == 1
    assert samples['cxpulse_jobs_run_total{job="pulses"}'] == 1
    assert samples.get('cxpulse_jobs_failed_total{job="pulses"}', 0) == 0
    assert samples['cxpulse_job_last_success_timestamp_seconds{job="pulses"}'] > 0
    assert samples["cxpulse_pulses_sent_total{}"] == 1
    assert samples["cxpulse_pulses_failed_total{}"] == 0


def test_metrics_count_outcome_rows_stored_and_rejected_by_the_webhook(db_url: str) -> None:
    secret = "ops-outcomes-secret"
    with SandboxStack.start(db_url, migrate=False, outcomes_secret=secret) as stack:
        stack.emulator.add_user("U0ALICE", name="alice", email="alice@example.com")
        stack.run_job("sync-users")
        good = {
            "when": "2026-03-02T09:30:00Z",
            "agent": "alice@example.com",
            "kind": "csat",
            "score": 5,
            "external_id": "zd-1",
        }
        body = json.dumps([good, good | {"external_id": "zd-2", "score": "lots"}]).encode()
        ts = str(int(stack.clock().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "X-CXPulse-Timestamp": ts,
            "X-CXPulse-Signature": sign(secret, ts, body),
        }
        url = stack.server.url + "/outcomes"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as refused:  # one row refused, one kept
            urllib.request.urlopen(request, timeout=10)  # noqa: S310
        assert refused.value.code == 400
        samples = scrape(stack)
        assert samples['cxpulse_outcome_rows_imported_total{source="webhook"}'] == 1
        assert samples['cxpulse_outcome_rows_rejected_total{source="webhook"}'] == 1


def test_the_leader_gauge_is_zero_without_a_scheduler(stack: SandboxStack) -> None:
    # The sandbox runs jobs by hand, as `cxpulse serve --no-scheduler` does: it leads nothing.
    assert scrape(stack)["cxpulse_scheduler_leader{}"] == 0
