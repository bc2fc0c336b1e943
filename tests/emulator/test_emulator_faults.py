"""Rate limits and injected faults, and slack_sdk's retry handlers coping with them."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from slack_emulator import SlackEmulator

QUICK = FixedValueRetryIntervalCalculator(0.05)


def test_rate_limit_answers_429_with_retry_after(
    emulator: SlackEmulator, client: WebClient
) -> None:
    emulator.set_rate_limit("chat.postMessage", per_second=2, burst=2)
    client.chat_postMessage(channel="general", text="1")
    client.chat_postMessage(channel="general", text="2")
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="general", text="3")
    response = raised.value.response
    assert response.status_code == 429
    assert response.data == {"ok": False, "error": "ratelimited"}
    assert response.headers["Retry-After"] in ("1", ["1"])
    client.auth_test()  # other methods are not limited
    assert [c.error for c in emulator.calls] == [None, None, "ratelimited", None]


def test_rate_limits_are_per_workspace(emulator: SlackEmulator, client: WebClient) -> None:
    emulator.set_rate_limit(None, per_minute=60, burst=1)
    client.auth_test()
    other = WebClient(base_url=emulator.api_url, token=emulator.add_workspace("T0TWO", "Two"))
    other.auth_test()
    with pytest.raises(SlackApiError):
        client.auth_test()


def test_rate_limit_retry_handler_waits_and_succeeds(
    emulator: SlackEmulator, client: WebClient
) -> None:
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    emulator.inject_fault("chat.postMessage", "ratelimited", retry_after=1)
    started = time.monotonic()
    assert client.chat_postMessage(channel="general", text="hi")["ok"]
    assert time.monotonic() - started >= 1
    assert [c.error for c in emulator.calls] == ["ratelimited", None]


def test_server_error_is_retried(emulator: SlackEmulator, client: WebClient) -> None:
    client.retry_handlers.append(
        ServerErrorRetryHandler(max_retry_count=2, interval_calculator=QUICK)
    )
    emulator.inject_fault("chat.postMessage", "server_error", times=2, status=503)
    assert client.chat_postMessage(channel="general", text="hi")["ok"]
    assert [c.error for c in emulator.calls] == ["server_error", "server_error", None]
    assert len(emulator.messages("general")) == 1


def test_disconnect_is_retried(emulator: SlackEmulator) -> None:
    client = WebClient(
        base_url=emulator.api_url,
        token=emulator.bot_token,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=QUICK)],
    )
    emulator.inject_fault("users.list", "disconnect")
    assert client.users_list()["ok"]
    assert [c.error for c in emulator.calls] == ["disconnect", None]


def test_timeout_still_does_the_work(emulator: SlackEmulator) -> None:
    impatient = WebClient(base_url=emulator.api_url, token=emulator.bot_token, timeout=1)
    emulator.inject_fault("chat.postMessage", "timeout", delay=1.3)
    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="general", text="maybe")
    # Like Slack, the message may have been posted although the client gave up.
    assert [m["text"] for m in emulator.messages("general")] == ["maybe"]
    assert emulator.calls_to("chat.postMessage")[0].error == "timeout"


def test_error_fault_and_any_method(emulator: SlackEmulator, client: WebClient) -> None:
    emulator.inject_fault("*", "error", error="fatal_error")
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response.data == {"ok": False, "error": "fatal_error"}
    assert client.auth_test()["ok"]


def test_random_faults_are_reproducible(emulator: SlackEmulator, client: WebClient) -> None:
    def failures(seed: int) -> list[bool]:
        emulator.clear_faults()
        emulator.inject_fault_rate("auth.test", "error", probability=0.5, seed=seed)
        outcomes = []
        for _ in range(20):
            try:
                client.auth_test()
                outcomes.append(False)
            except SlackApiError:
                outcomes.append(True)
        return outcomes

    first = failures(7)
    assert first == failures(7)
    assert 3 < sum(first) < 17


@pytest.mark.parametrize("kind", ["server_error", "disconnect"])
def test_a_done_fault_posts_then_fails(emulator: SlackEmulator, kind: str) -> None:
    bare = WebClient(base_url=emulator.api_url, token=emulator.bot_token, retry_handlers=[])
    emulator.inject_fault("chat.postMessage", kind, done=True, status=503)
    with pytest.raises(Exception):  # noqa: B017,PT011 - SlackApiError (503) or RemoteDisconnected
        bare.chat_postMessage(channel="general", text="posted anyway")
    assert [m["text"] for m in emulator.messages("general")] == ["posted anyway"]
    assert [c.error for c in emulator.calls] == [kind]
