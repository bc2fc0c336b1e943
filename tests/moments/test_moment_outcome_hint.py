"""The moment modal checks the outcome against the story: a hint, never a refusal."""

from __future__ import annotations

import json
from typing import Any

from bot.core import ids
from tests.support.moments import only_moment, opened_view, valid_values
from tests.support.stack import SandboxStack

GRIM = "They were furious: the outage wrecked their launch and nobody called them back."
GLOWING = "They were thrilled with the quick fix and thanked the whole team."


def _log(stack: SandboxStack, user: str, outcome: str, story: str) -> dict[str, Any]:
    """Log a moment through the modal; return the confirmation the person saw."""
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    values = valid_values(**{ids.MOMENT_OUTCOME: outcome, ids.MOMENT_WHAT: story})
    reply = stack.actor.submit_view(user, view, values)
    assert reply.status == 200
    assert (reply.json or {}).get("response_action") is None  # saved, not refused
    stack.emulator.wait_for("chat.postEphemeral")
    (confirmation,) = stack.emulator.ephemerals
    return confirmation


def test_a_win_that_reads_like_a_problem_is_saved_with_a_hint(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    confirmation = _log(stack, user, "win", GRIM)
    assert only_moment(stack).outcome == "win"
    shown = json.dumps(confirmation["blocks"], ensure_ascii=False)
    assert "This story reads like a problem — change the outcome?" in shown
    assert ids.MOMENT_CHANGE_OUTCOME in shown

    reply = stack.actor.click(user, message=confirmation, action_id=ids.MOMENT_CHANGE_OUTCOME)
    assert reply.status == 200
    (response,) = stack.emulator.wait_for("response_url")
    assert only_moment(stack).outcome == "problem"
    assert response.args["replace_original"] is True
    updated = json.dumps(response.args["blocks"], ensure_ascii=False)
    assert "⚠️ Problem" in updated
    assert "reads like" not in updated
    assert ids.MOMENT_CHANGE_OUTCOME not in updated


def test_a_problem_that_reads_like_a_win_gets_the_reverse_hint(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    confirmation = _log(stack, user, "problem", GLOWING)
    assert "This story reads like a win — change the outcome?" in json.dumps(
        confirmation["blocks"], ensure_ascii=False
    )
    assert only_moment(stack).outcome == "problem"


def test_matching_and_neutral_outcomes_get_no_hint(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    for count, (outcome, story) in enumerate(
        [("win", GLOWING), ("problem", GRIM), ("neutral", GRIM)], start=1
    ):
        stack.actor.slash_command(user, "moment")
        view = opened_view(stack, count)
        values = valid_values(**{ids.MOMENT_OUTCOME: outcome, ids.MOMENT_WHAT: story})
        stack.actor.submit_view(user, view, values)
        stack.emulator.wait_for("chat.postEphemeral", count=count)
    for confirmation in stack.emulator.ephemerals:
        shown = json.dumps(confirmation["blocks"], ensure_ascii=False)
        assert "reads like" not in shown
        assert ids.MOMENT_CHANGE_OUTCOME not in shown


def test_only_the_author_can_change_the_outcome(stack: SandboxStack) -> None:
    ada = stack.emulator.add_user(name="ada")["id"]
    bo = stack.emulator.add_user(name="bo")["id"]
    confirmation = _log(stack, ada, "win", GRIM)
    stack.actor.click(bo, message=confirmation, action_id=ids.MOMENT_CHANGE_OUTCOME)
    (response,) = stack.emulator.wait_for("response_url")
    assert "Only the person who logged this moment" in response.args["text"]
    assert response.args.get("replace_original") is not True
    assert only_moment(stack).outcome == "win"
