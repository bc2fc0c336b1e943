"""The webhook secret in `/cx admin`: made and shown once to an admin, rotatable."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.admin.store import REFUSAL
from bot.core import ids
from bot.outcomes.web import workspace_secret
from models import OutcomesSecret, Workspace
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view


def _open_admin(stack: SandboxStack, user: str, count: int) -> dict[str, Any]:
    assert stack.actor.slash_command(user, "admin").status == 200
    stack.emulator.wait_for("views.open", count=count)
    return open_view(stack.emulator, ids.ADMIN_VIEW)


def _stored(stack: SandboxStack) -> str | None:
    with stack.runtime.sessions() as session:
        ws = session.scalars(select(Workspace)).one()
        return workspace_secret(session, workspace_id=ws.id, key=stack.settings.cxpulse_secret)


def test_an_admin_makes_and_rotates_the_secret_which_is_shown_once(stack: SandboxStack) -> None:
    admin = str(stack.emulator.add_user(name="ada", is_admin=True)["id"])
    view = _open_admin(stack, admin, 1)
    assert "Create webhook secret" in json.dumps(view["blocks"])
    stack.actor.click(admin, view=view, action_id=ids.ADMIN_OUTCOMES_SECRET)
    (push,) = stack.emulator.wait_for("views.push")
    secret = _stored(stack)
    assert secret is not None
    shown = json.dumps(push.args["view"])
    assert secret in shown
    assert "X-CXPulse-Signature" in shown
    with stack.runtime.sessions() as session:
        (row,) = session.scalars(select(OutcomesSecret))
        assert secret not in json.dumps([row.nonce, row.created_by])  # only the nonce is kept
        assert row.created_by == admin

    again = _open_admin(stack, admin, 2)
    blocks = json.dumps(again["blocks"])
    assert "Rotate webhook secret" in blocks
    assert secret not in blocks
    stack.actor.click(admin, view=again, action_id=ids.ADMIN_OUTCOMES_SECRET)
    stack.emulator.wait_for("views.push", count=2)
    rotated = _stored(stack)
    assert rotated is not None
    assert rotated != secret


def test_a_non_admin_click_changes_nothing(stack: SandboxStack) -> None:
    admin = str(stack.emulator.add_user(name="ada", is_admin=True)["id"])
    other = str(stack.emulator.add_user(name="norm")["id"])
    view = _open_admin(stack, admin, 1)
    stack.actor.click(other, view=view, action_id=ids.ADMIN_OUTCOMES_SECRET)
    (push,) = stack.emulator.wait_for("views.push")
    assert REFUSAL in json.dumps(push.args["view"])
    assert _stored(stack) is None
