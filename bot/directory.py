"""Find the person behind a request, fetching them from Slack the first time."""

from __future__ import annotations

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.services.people import DirectoryUser, ensure_workspace, find_person
from models import Person


def person_for_request(
    session: Session, client: WebClient, *, team_id: str, user_id: str
) -> Person:
    """The person row for ``user_id``; a newcomer not yet synced is looked up with users.info."""
    person = find_person(session, slack_team_id=team_id, slack_user_id=user_id)
    if person is not None:
        return person
    member = client.users_info(user=user_id)["user"]
    profile = member.get("profile") or {}
    user = DirectoryUser(
        user_id=user_id,
        display_name=profile.get("display_name") or profile.get("real_name") or "",
        tz=member.get("tz") or "UTC",
        is_admin=bool(member.get("is_admin") or member.get("is_owner")),
    )
    workspace = ensure_workspace(session, slack_team_id=team_id)
    person = Person(
        workspace_id=workspace.id,
        slack_user_id=user.user_id,
        display_name=user.display_name,
        tz=user.tz,
        is_admin=user.is_admin,
    )
    session.add(person)
    session.flush()
    return person
