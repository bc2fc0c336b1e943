"""Rows created on first sight (workspace, team, person) survive two first requests at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.workspace.clients import person_for_request
from bot.workspace.store import ensure_team, ensure_workspace
from models import Person, Team, Workspace


def _race(engine: Engine, create: Callable[[Session], int]) -> tuple[int, int]:
    """Create in one transaction; while it is still open, create the same row in another.

    The second request's insert meets the first one's uncommitted row (it waits for it on
    both backends) and must end up with that row instead of failing on the unique key.
    """
    outcome: dict[str, Any] = {}

    def second() -> None:
        try:
            with Session(engine) as other, other.begin():
                outcome["id"] = create(other)
        except Exception as exc:
            outcome["error"] = exc

    with Session(engine) as first, first.begin():
        first_id = create(first)
        racer = threading.Thread(target=second)
        racer.start()
        racer.join(0.5)  # let it reach its insert while ours is uncommitted
    racer.join(20)
    assert "error" not in outcome, outcome.get("error")
    return first_id, outcome["id"]


def test_a_new_workspace_seen_by_two_requests_at_once(engine: Engine) -> None:
    first, second = _race(engine, lambda s: ensure_workspace(s, slack_team_id="TNEW").id)
    assert first == second
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 1


def test_a_new_team_seen_by_two_syncs_at_once(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        workspace_id = ensure_workspace(session, slack_team_id="T1").id

    def create(s: Session) -> int:
        workspace = s.get_one(Workspace, workspace_id)
        return ensure_team(s, workspace=workspace, name="Support").id

    first, second = _race(engine, create)
    assert first == second
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 1


class _Directory(WebClient):
    """users.info for one newcomer, without a Slack server."""

    def users_info(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return {"user": {"id": kwargs["user"], "tz": "Europe/Paris", "profile": {}}}


def test_a_newcomer_double_click_creates_one_person(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        ensure_workspace(session, slack_team_id="T1")
    client = _Directory(token="xoxb-test")

    def create(s: Session) -> int:
        return person_for_request(s, client, team_id="T1", user_id="UNEW").id

    first, second = _race(engine, create)
    assert first == second
    with Session(engine) as session:
        people = session.scalars(select(Person)).all()
    assert [(p.slack_user_id, p.tz) for p in people] == [("UNEW", "Europe/Paris")]
