"""A listener failing on our side is answered politely over HTTP, by the one error handler."""

from __future__ import annotations

from typing import Any

import pytest

import handlers.admin
import handlers.settings
from bot.core import ids
from bot.core.apology import SORRY
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view


def broken(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the database went away")


def test_a_failed_modal_submission_keeps_the_modal_and_says_sorry_inline(
    stack: SandboxStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = stack.emulator.add_user(name="ada", is_admin=True)["id"]
    assert stack.actor.slash_command(admin, "admin").status == 200
    view = open_view(stack.emulator, ids.ADMIN_VIEW)
    monkeypatch.setattr(handlers.admin.svc, "save_admin_choices", broken)
    answer = stack.actor.submit_view(admin, view, {})
    assert answer.status == 200
    assert answer.json == {"response_action": "errors", "errors": {ids.ADMIN_VALUES: SORRY}}
    assert view["id"] in stack.emulator.open_views  # still open, with what was typed


def test_a_failed_modal_without_an_apology_block_turns_into_the_sorry_modal(
    stack: SandboxStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = stack.emulator.add_user(name="pat")["id"]
    stack.run_job("sync-users")
    stack.actor.app_home_opened(user)
    stack.emulator.wait_for("views.publish")
    stack.actor.click(user, view=stack.emulator.home_views[user], action_id=ids.HOME_PULSE_PAUSE)
    pause = open_view(stack.emulator, ids.PULSE_PAUSE_VIEW)
    monkeypatch.setattr(handlers.settings, "pause_message", broken)
    answer = stack.actor.submit_view(user, pause, {ids.PULSE_PAUSE_BLOCK: "3"})
    assert answer.status == 200
    assert answer.json is not None
    assert answer.json["response_action"] == "update"
    assert answer.json["view"]["callback_id"] == ids.SORRY_VIEW
    assert SORRY in str(answer.json["view"]["blocks"])
