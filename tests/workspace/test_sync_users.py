"""`sync-users` against the emulator: pagination, skipping, teams from user groups."""

from __future__ import annotations

from sqlalchemy import func, select

from models import Person, Team
from tests.support.stack import SandboxStack


def test_sync_users_pages_through_the_directory(stack: SandboxStack) -> None:
    for i in range(450):
        stack.emulator.add_user(name=f"person{i}", tz="Pacific/Chatham")
    stack.emulator.add_user(name="gone", deleted=True)
    stack.emulator.add_user(name="robot", is_bot=True)

    result = stack.run_job("sync-users")

    pages = stack.emulator.calls_to("users.list")
    assert len(pages) >= 3  # 200 per page
    report = next(iter(result.values()))
    assert report["added"] == 450
    with stack.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 450
        tzs = set(session.scalars(select(Person.tz)))
    assert tzs == {"Pacific/Chatham"}


def test_sync_users_maps_team_groups(db_url: str) -> None:
    with SandboxStack.start(db_url, migrate=False) as stack:
        a = stack.emulator.add_user(name="a")["id"]
        b = stack.emulator.add_user(name="b")["id"]
        stack.emulator.add_usergroup(handle="support-team", name="Support", users=[a])
        stack.emulator.add_usergroup(handle="sales-team", name="Sales", users=[b])
        stack.settings = stack.settings.with_overrides(team_groups=("@support-team", "sales-team"))
        stack.runtime.settings = stack.settings
        stack.run_job("sync-users")
        with stack.runtime.sessions() as session:
            query = select(Person.slack_user_id, Team.name).join(Team)
            rows = {user_id: team for user_id, team in session.execute(query)}
        assert rows == {a: "Support", b: "Sales"}
