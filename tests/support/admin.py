"""The admin modal as a test drives it: an admin, a valid submission, the effective config."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core import ids
from bot.workspace.config import effective_config
from models import Workspace
from tests.support.stack import Driven
from tests.support.waiting import open_view


def admin_user(stack: Driven) -> str:
    return str(stack.emulator.add_user(name="ada", is_admin=True)["id"])


def open_admin(stack: Driven, user: str, *, count: int = 1) -> dict[str, Any]:
    assert stack.actor.slash_command(user, "admin").status == 200
    stack.emulator.wait_for("views.open", count=count)
    return open_view(stack.emulator, ids.ADMIN_VIEW)


def admin_config(stack: Driven) -> Any:
    with stack.runtime.sessions() as session:
        ws = session.scalar(
            select(Workspace).where(Workspace.slack_team_id == stack.emulator.team_id)
        )
        return effective_config(session, settings=stack.settings, workspace=ws)


VALID: dict[str, Any] = {
    ids.ADMIN_PULSE_TIME: "08:30",
    ids.ADMIN_WORKING_DAYS: ["0", "2", "4"],
    ids.ADMIN_THRESHOLD: "7",
    ids.ADMIN_VALUES: "#Customer-First, ownership #grit",
    ids.ADMIN_TOGGLES: ["enps"],
}
