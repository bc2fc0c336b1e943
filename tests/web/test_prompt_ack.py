"""Slack gets its answer the moment a listener acks: Bolt's 10 ms poll never sleeps.

Observed, not patched: the request thread's calls to ``time.sleep`` are counted with
``sys.setprofile`` while Bolt dispatches a click whose listener acks and then keeps
working. With Bolt's defaults the thread sleeps at least once; with ``AckFirstExecutor``
and ``PromptAckMiddleware`` it never does, and the answer is back before the listener ends.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.web.prompt_ack import AckFirstExecutor, PromptAck, PromptAckMiddleware
from slack_emulator.emulator import SlackEmulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[SlackEmulator]:
    with SlackEmulator() as running:
        yield running


def click_app(emulator: SlackEmulator, *, prompt: bool) -> tuple[App, threading.Event, list[str]]:
    client = WebClient(base_url=emulator.api_url, token=emulator.bot_token)
    extra: dict[str, Any] = {"listener_executor": AckFirstExecutor()} if prompt else {}
    app = App(client=client, request_verification_enabled=False, **extra)
    if prompt:
        app.use(PromptAckMiddleware())
    release, seen = threading.Event(), []

    @app.action("work")
    def work(ack: Ack) -> None:
        seen.append(type(ack).__name__)
        time.sleep(0.05)  # some work before the ack (this thread is not the one observed)
        ack()
        release.wait(10)  # the slow part of a listener, after its ack
        seen.append("done")

    return app, release, seen


def dispatch_counting_sleeps(app: App) -> tuple[BoltResponse, int]:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "api_app_id": "A1",
        "actions": [{"action_id": "work", "block_id": "b", "type": "button", "value": "1"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers = {"content-type": ["application/x-www-form-urlencoded"]}
    request = BoltRequest(body=body, headers=headers)
    sleeps = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal sleeps
        if event == "c_call" and arg is time.sleep:
            sleeps += 1

    sys.setprofile(profile)
    try:
        response = app.dispatch(request)
    finally:
        sys.setprofile(None)
    return response, sleeps


def test_bolt_alone_polls_for_the_ack(emulator: SlackEmulator) -> None:
    app, release, _ = click_app(emulator, prompt=False)
    try:
        response, sleeps = dispatch_counting_sleeps(app)
    finally:
        release.set()
    assert response.status == 200
    assert sleeps >= 1  # what the prompt ack removes; if Bolt stops polling, revisit it


def test_the_answer_is_back_at_the_ack_without_a_poll(emulator: SlackEmulator) -> None:
    app, release, seen = click_app(emulator, prompt=True)
    try:
        response, sleeps = dispatch_counting_sleeps(app)
        assert response.status == 200
        assert seen == ["PromptAck"]  # acked, and still working
        assert sleeps == 0
    finally:
        release.set()


def test_a_listener_that_fails_before_its_ack_still_gets_bolts_answer(
    emulator: SlackEmulator,
) -> None:
    client = WebClient(base_url=emulator.api_url, token=emulator.bot_token)
    app = App(
        client=client, request_verification_enabled=False, listener_executor=AckFirstExecutor()
    )
    app.use(PromptAckMiddleware())

    @app.action("work")
    def work(ack: Ack) -> None:
        raise RuntimeError("before the ack")

    response, sleeps = dispatch_counting_sleeps(app)
    assert response.status == 500  # Bolt's own answer to an unacked failure
    assert sleeps == 0


def test_prompt_ack_is_bolts_ack() -> None:
    ack = PromptAck()
    assert isinstance(ack, Ack)
    response = ack(text="hi")
    assert ack.acked.is_set()
    assert response is ack.response
    assert response.status == 200
