"""The `followups` job: a DM on the due date, once, with a "Done" button that closes it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.core import ids
from tests.support.moments import only_moment, opened_view, valid_values
from tests.support.stack import SandboxStack

# The user is in New York: on 9 March 2026 (after the DST change) 09:00 there is 13:00 UTC.
BEFORE_NINE = datetime(2026, 3, 9, 12, 59, tzinfo=UTC)
AT_NINE = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def _log_with_followup(stack: SandboxStack, user: str, followup: str = "2026-03-09") -> None:
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    values = valid_values(**{ids.MOMENT_FOLLOWUP: followup, ids.MOMENT_NEW_CUSTOMER: "Globex"})
    assert stack.actor.submit_view(user, view, values).json is None
    stack.emulator.wait_for("chat.postEphemeral")  # the confirmation: the moment is saved


def _report(result: dict[str, dict[str, int]], stack: SandboxStack) -> dict[str, int]:
    return result[stack.emulator.team_id]


def test_followup_dm_goes_out_once_on_its_date_and_done_closes_it(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada", tz="America/New_York")["id"]
    _log_with_followup(stack, user)

    early = stack.run_job("followups", at=BEFORE_NINE)
    assert _report(early, stack) == {"due": 0, "sent": 0, "failed": 0, "skipped": 0}
    assert stack.emulator.calls_to("chat.postMessage") == []

    sent = stack.run_job("followups", at=AT_NINE)
    assert _report(sent, stack)["sent"] == 1
    again = stack.run_job("followups", at=NEXT_DAY)
    assert _report(again, stack)["due"] == 0
    (dm,) = stack.emulator.calls_to("chat.postMessage")
    assert dm.args["channel"] == user
    assert "close the loop with *Globex* — a thank-you note?" in json.dumps(
        dm.args["blocks"], ensure_ascii=False
    )
    assert only_moment(stack).followup_sent_at == AT_NINE

    message = stack.actor.latest_message(stack.actor.dm_of(user))
    assert stack.actor.click(user, message=message, action_id=ids.FOLLOWUP_DONE).status == 200
    stack.emulator.wait_for("response_url")
    closed = stack.actor.latest_message(stack.actor.dm_of(user))
    assert "Loop closed" in closed["text"]
    assert ids.FOLLOWUP_DONE not in json.dumps(closed["blocks"])
    assert only_moment(stack).followup_done_at == NEXT_DAY  # the clock the click saw


def test_someone_else_cannot_close_my_followup(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    other = stack.emulator.add_user(name="bo")["id"]
    _log_with_followup(stack, user)
    stack.run_job("followups", at=AT_NINE)
    message = stack.actor.latest_message(stack.actor.dm_of(user))
    stack.actor.click(other, message=message, action_id=ids.FOLLOWUP_DONE)
    (answer,) = stack.emulator.wait_for("response_url")
    assert answer.args["text"].startswith("Only the person who logged this moment")
    assert only_moment(stack).followup_done_at is None


def test_a_failed_dm_is_retried_on_the_next_run(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    _log_with_followup(stack, user)
    stack.emulator.inject_fault("chat.postMessage", "error", error="fatal_error")
    failed = stack.run_job("followups", at=AT_NINE)
    assert _report(failed, stack)["failed"] == 1
    assert only_moment(stack).followup_sent_at is None
    retried = stack.run_job("followups", at=datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    assert _report(retried, stack)["sent"] == 1
    assert len(stack.emulator.wait_for("chat.postMessage")) == 1


def test_moments_without_followup_never_dm(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    stack.actor.submit_view(user, opened_view(stack), valid_values())
    stack.emulator.wait_for("chat.postEphemeral")
    result = stack.run_job("followups", at=AT_NINE)
    assert _report(result, stack)["due"] == 0
    assert stack.emulator.calls_to("chat.postMessage") == []
