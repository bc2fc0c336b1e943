"""The test pulse: what staff get each day, sent to an admin, marked, and never counted.

It is the real pulse DM (same blocks, same second question) with a line saying it is a
test and every button's action id moved under ``ids.PULSE_TEST``, so a tap reaches only the
test listener, which confirms it and stores nothing: no send row (nobody was "asked"), no
answer, note or skip. A tap on a test can therefore never be counted, whatever its value.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk import WebClient

from bot.core import ids
from bot.core.fastblocks import button, section
from bot.core.posting import Mark, Posted, call_with_patience, post_once
from bot.pulse.questions import bank_question
from bot.pulse.views import build_pulse_blocks, pulse_text

TEST_EVENT = "cxpulse_test_pulse"
TEST_MARK_TEXT = "Test pulse — answers are not counted"
TEST_TAPPED_TEXT = (
    "Test pulse: that tap worked, and nothing was recorded or counted. "
    "On a real pulse people see “Thanks, got it”. (Only you can see this reply.)"
)
ADMIN_TEST_TEXT = (
    "*See what staff get.* A test pulse comes to your DMs from CX Pulse, marked as a test; "
    "taps on it are confirmed but never recorded or counted."
)


def test_action_id(action_id: str) -> str:
    """The test pulse's action id for one of the real pulse's buttons."""
    return f"{ids.PULSE_TEST}_{action_id}"


def _retarget(element: dict[str, Any]) -> dict[str, Any]:
    if "action_id" in element:
        return {**element, "action_id": test_action_id(str(element["action_id"]))}
    return element


def build_test_pulse_blocks(*, day: date, threshold: int) -> list[dict[str, Any]]:
    """The pulse DM for ``day`` (with the day's rotating question), marked as a test."""
    blocks = build_pulse_blocks(send_id=0, question=bank_question(day), threshold=threshold)
    marked: list[dict[str, Any]] = [section(f"🧪 *{TEST_MARK_TEXT}.*")]
    for block in blocks:
        block = dict(block)
        if "elements" in block and block.get("type") == "actions":
            block["elements"] = [_retarget(e) for e in block["elements"]]
        if "accessory" in block:
            block["accessory"] = _retarget(block["accessory"])
        marked.append(block)
    return marked


def send_test_pulse(
    client: WebClient, *, user_id: str, day: date, threshold: int, request_key: str
) -> Posted:
    """DM ``user_id`` a test pulse once per ``request_key`` (a retried click posts it once)."""
    answer = call_with_patience(lambda: client.conversations_open(users=user_id))
    return post_once(
        client,
        channel=str(answer["channel"]["id"]),
        mark=Mark(TEST_EVENT, {"request": request_key}),
        text=f"{TEST_MARK_TEXT}. {pulse_text()}",
        blocks=build_test_pulse_blocks(day=day, threshold=threshold),
        unfurl_links=False,
    )


def admin_test_pulse_blocks() -> list[dict[str, Any]]:
    """The `/cx admin` modal's "Send me a test pulse" row."""
    return [
        section(
            ADMIN_TEST_TEXT,
            accessory=button(
                text="Send me a test pulse", action_id=ids.ADMIN_TEST_PULSE, value="test"
            ),
        )
    ]
