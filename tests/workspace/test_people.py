"""The directory sync service on real databases."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.workspace.store import (
    WHOLE_WORKSPACE_TEAM,
    DirectoryUser,
    active_people,
    ensure_workspace,
    find_person,
    sync_people,
)
from models import Person, Team


def _user(uid: str, tz: str = "Europe/London", **kw: object) -> DirectoryUser:
    return DirectoryUser(user_id=uid, display_name=uid.lower(), tz=tz, **kw)  # type: ignore[arg-type]


def test_sync_adds_people_and_skips_bots_deleted_and_slackbot(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1", name="Acme")
        report = sync_people(
            session,
            workspace=ws,
            users=[
                _user("U1"),
                _user("U2", tz="Asia/Kolkata"),
                _user("B1", is_bot=True),
                _user("U3", deleted=True),
                _user("USLACKBOT"),
            ],
        )
    assert (report.added, report.skipped) == (2, 3)
    people = active_people(session, workspace=ws)
    assert [(p.slack_user_id, p.tz) for p in people] == [
        ("U1", "Europe/London"),
        ("U2", "Asia/Kolkata"),
    ]
    team = session.scalar(select(Team).where(Team.workspace_id == ws.id))
    assert team is not None
    assert team.name == WHOLE_WORKSPACE_TEAM
    assert {p.team_id for p in people} == {team.id}


def test_sync_updates_changes_and_deactivates_the_departed(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        sync_people(session, workspace=ws, users=[_user("U1"), _user("U2")])
    with session.begin():
        report = sync_people(
            session,
            workspace=ws,
            users=[_user("U1", tz="America/St_Johns"), _user("U2", deleted=True)],
        )
    assert (report.added, report.updated, report.deactivated) == (0, 1, 1)
    with session.begin():
        u1 = find_person(session, slack_team_id="T1", slack_user_id="U1")
        u2 = find_person(session, slack_team_id="T1", slack_user_id="U2")
        assert u1 is not None
        assert u1.tz == "America/St_Johns"
        assert u1.active
        assert u2 is not None
        assert not u2.active
    with session.begin():
        again = sync_people(session, workspace=ws, users=[_user("U1", tz="America/St_Johns")])
    assert (again.added, again.updated, again.deactivated) == (0, 0, 0)


def test_sync_maps_user_groups_to_teams_first_group_wins(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        sync_people(
            session,
            workspace=ws,
            users=[_user("U1"), _user("U2"), _user("U3")],
            team_members={
                "Support": ("S1", frozenset({"U1", "U2"})),
                "Sales": ("S2", frozenset({"U2", "U3"})),
            },
        )
    rows = session.execute(
        select(Person.slack_user_id, Team.name).join(Team).order_by(Person.slack_user_id)
    ).all()
    assert [tuple(r) for r in rows] == [("U1", "Support"), ("U2", "Support"), ("U3", "Sales")]


def test_workspaces_are_separate(session: Session) -> None:
    with session.begin():
        a = ensure_workspace(session, slack_team_id="TA")
        b = ensure_workspace(session, slack_team_id="TB")
        sync_people(session, workspace=a, users=[_user("U1")])
        sync_people(session, workspace=b, users=[_user("U1"), _user("U2")])
    assert len(active_people(session, workspace=a)) == 1
    assert len(active_people(session, workspace=b)) == 2
